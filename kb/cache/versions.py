"""The content version: one value that every change to what readers see replaces.

A cached page carries the content version it was made from, and one from an older version is a
miss: a publish, an edit or an import (kb.signals calls ``bump_content_version``) shows on every
page without knowing which pages showed the changed record.

The version lives in the default cache, shared by every process (the pages have a cache of their
own, whose evictions must not evict it). Each process reads it from there at most once every
``KB_CONTENT_VERSION_CHECK_SECONDS`` (a change made in the process itself is known at once), so
a cached page usually costs no cache read at all.
"""

import time

from django.conf import settings
from django.core.cache import cache

CONTENT_VERSION_KEY = "kb:content-version"

# The content version as this process last read it, and until when (time.monotonic()) it may
# use it without asking the shared cache again: (version, until).
_known_version = (None, 0.0)
_clock = time.monotonic


def _new_version():
    # Microseconds since the epoch: unique enough, and it says when content last changed.
    return str(time.time_ns() // 1000)


def content_version():
    """The current content version. Read from the shared cache at most once every
    ``KB_CONTENT_VERSION_CHECK_SECONDS`` per process (a change made in this process is known
    at once): a change made elsewhere reaches every process within that time."""
    global _known_version
    version, until = _known_version
    now = _clock()
    if version is not None and now < until:
        return version
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # First request, or the cache was emptied: start a version (add: another worker may
        # have started one a moment ago).
        cache.add(CONTENT_VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY) or _new_version()
    _known_version = (version, now + settings.KB_CONTENT_VERSION_CHECK_SECONDS)
    return version


def bump_content_version():
    """Invalidate every cached page: the content changed."""
    global _known_version
    version = _new_version()
    cache.set(CONTENT_VERSION_KEY, version, timeout=None)
    _known_version = (version, _clock() + settings.KB_CONTENT_VERSION_CHECK_SECONDS)
