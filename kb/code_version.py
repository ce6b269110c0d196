"""The release a process runs, as a fingerprint of what renders the pages.

The page cache (kb.cache) puts it in every page's key, so a deploy never serves pages that an
older release rendered, even from a shared cache that outlives the deploy.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# What the fingerprint covers, below the project folder: the code, the templates and the
# locked dependencies (a release that only upgrades Django changes pages too).
_CODE = ("kb", "config", "templates")
_CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".toml"})
_CODE_FILES = ("requirements.lock", "pyproject.toml")


@functools.cache
def code_version():
    """A fingerprint of what renders the pages: the project's code, templates and locked
    dependencies, the static files' manifest (hashed file names appear in pages) and
    ``KB_RELEASE`` if the deployment names its release (an image digest, a commit). Computed
    once per process, when the app is ready (kb.apps): under gunicorn's preload_app, in the
    master before the workers fork, so that every worker of a release agrees."""
    digest = hashlib.sha256(settings.KB_RELEASE.encode())
    root = Path(settings.BASE_DIR)
    files = [
        path
        for folder in _CODE
        for path in sorted((root / folder).rglob("*"))
        if path.suffix in _CODE_SUFFIXES and path.is_file()
    ]
    files += [root / name for name in _CODE_FILES]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in files:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()[:16]
