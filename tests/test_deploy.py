"""deploy/nginx.conf.template: the proxy configuration the README's scale-out path ships.

Rendered as the official nginx image renders it (envsubst of the set variables only) and
checked by the real nginx (`nginx -t`), so a typo or a directive in the wrong block fails here,
not on the day someone deploys it.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from support.live import render_nginx_template

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx.conf.template"
PLACEHOLDERS = {"LISTEN_PORT", "APP_ADDRESS", "STATIC_ROOT"}


render = render_nginx_template


def nginx():
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        pytest.fail("nginx is missing: make test installs it (apt-get install nginx)")
    return path


def test_the_template_uses_exactly_the_documented_placeholders():
    assert set(re.findall(r"\$\{([A-Z_]+)\}", TEMPLATE.read_text())) == PLACEHOLDERS


def test_the_rendered_template_is_a_valid_nginx_configuration(tmp_path):
    conf = tmp_path / "kb.conf"
    conf.write_text(
        render(LISTEN_PORT="8080", APP_ADDRESS="127.0.0.1:8000", STATIC_ROOT=str(tmp_path))
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {conf};\n}}\n"
    )
    check = subprocess.run(
        [nginx(), "-t", "-q", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr


def publish_static(static_root, shared):
    return subprocess.run(
        [str(Path(settings.BASE_DIR) / "deploy" / "app.sh"), "publish-static", str(shared)],
        env={**os.environ, "KB_STATIC_ROOT": str(static_root), "KB_VENV": sys.prefix},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_publishing_a_release_s_static_files_keeps_the_previous_release_s(tmp_path):
    """deploy/app.sh publish-static: each release adds its files to the folder nginx serves and
    deletes none, so the pages of the release still running find their hashed CSS and JS."""
    shared = tmp_path / "shared"
    for release, digest in (("1", "aaaaaaaaaaaa"), ("2", "bbbbbbbbbbbb")):
        collected = tmp_path / f"static-{release}"
        (collected / "kb").mkdir(parents=True)
        (collected / "kb" / f"site.{digest}.css").write_text(f"/* release {release} */")
        (collected / "kb" / "site.css").write_text(f"/* release {release} */")
        (collected / "staticfiles.json").write_text(f'{{"release": {release}}}')
        result = publish_static(collected, shared)
        assert result.returncode == 0, result.stderr
    assert (shared / "kb" / "site.aaaaaaaaaaaa.css").read_text() == "/* release 1 */"
    assert (shared / "kb" / "site.bbbbbbbbbbbb.css").read_text() == "/* release 2 */"
    assert (shared / "kb" / "site.css").read_text() == "/* release 2 */"  # unhashed: the newest
    refused = publish_static(tmp_path / "nothing", shared)
    assert refused.returncode != 0 and "no collected static files" in refused.stderr
