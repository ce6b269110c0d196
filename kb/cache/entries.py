"""A cached page: what the middleware stores of a response, and the response it replays.

An entry keeps the page whole, compressed once in each coding that pays (kb.compression), headers and all (those the whole stack added: the
traditional-script conversion, the security headers), except the headers made per response or
by the middleware itself, and the version of each scope the page showed (kb.cache.versions). It is
current while each of those versions is, and its time has not run out.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from ..compression import chosen_coding, coded_etag, encoded_bodies, is_compressible
from . import versions as content_versions
from .decorators import PRIVATE_OUTSIDE, TAG

# Headers made per response or by the middleware itself; everything else is kept and replayed.
_NOT_STORED = frozenset(
    {"content-length", "set-cookie", "etag", "last-modified", "cache-control", "expires", "date"}
)


def _etag(content):
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


@functools.cache
def _public_cache_control(cdn_max_age, stale_while_revalidate):
    # Browsers revalidate every time (a cheap 304); shared caches keep the page a while.
    response = HttpResponse()
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=cdn_max_age,
        stale_while_revalidate=stale_while_revalidate,
    )
    return response["Cache-Control"]


def _public_headers(last_modified, private_outside=False):
    if private_outside:  # browsers revalidate; no shared cache keeps it
        cache_control = "private, max-age=0"
    else:
        cache_control = _public_cache_control(
            settings.KB_CDN_MAX_AGE, settings.KB_CDN_STALE_WHILE_REVALIDATE
        )
    return [("Last-Modified", http_date(last_modified)), ("Cache-Control", cache_control)]


def make_entry(response, shown, seconds):
    """The entry for ``response``, which showed ``shown`` (scope -> version when the page was
    begun), kept ``seconds``. Compressed now, once, in each coding that pays (kb.compression):
    a hit sends the stored bytes."""
    if hasattr(response, "render") and callable(response.render):
        response.render()
    etag = _etag(response.content)
    encoded = encoded_bodies(response.content) if is_compressible(response) else {}
    if encoded:
        patch_vary_headers(response, ("Accept-Encoding",))
    # When this copy was made: a scheduled article going live, the home page's refresh or a new
    # release change a page without changing the content version.
    made = time.time()
    return {
        "shown": shown,
        "expires": made + seconds,
        "content": response.content,
        "encoded": encoded,
        "headers": [
            (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
        ],
        "public": _public_headers(made, getattr(response, PRIVATE_OUTSIDE, False)),
        "etag": etag,
        "tag": getattr(response, TAG, None),
        "last_modified": made,
    }


def coding_for(request, entry):
    """The content-coding to send ``entry`` in to this request (None: as it is)."""
    return chosen_coding(request, entry["encoded"]) if entry.get("encoded") else None


def etag_of(entry, coding):
    return coded_etag(entry["etag"], coding)


def replay(entry, coding=None):
    """The response for a cached page, in ``coding`` (one of the entry's encoded bodies)."""
    body = entry["encoded"][coding] if coding else entry["content"]
    response = HttpResponse(body)
    for name, value in entry["headers"]:
        response[name] = value
    for name, value in entry["public"]:
        response[name] = value
    response["ETag"] = etag_of(entry, coding)
    if coding:
        response["Content-Encoding"] = coding
    response["Content-Length"] = str(len(body))
    return response


def is_in_time(entry):
    """Cache backends expire entries too, but a copy kept in a process must not outlive its
    timeout either."""
    return entry.get("expires", 0) > time.time()


def is_current(entry, versions):
    """Still in time, and every scope it showed is at the version it was made from."""
    return is_in_time(entry) and content_versions.is_current(entry.get("shown", {}), versions)
