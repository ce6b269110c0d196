"""Compressed HTML and JSON: what the app answers itself goes out gzip-compressed to clients
that take it (static files come compressed from collectstatic already, see WhiteNoise).

Cached pages (kb.cache) are compressed once, when they are stored, and each hit sends the
stored bytes; ``CompressionMiddleware`` compresses the rest (the search, the API, the sitemap,
the feed) on the way out, leaving alone what is compressed already. Either way the answer says
``Vary: Accept-Encoding`` and an ETag of its own per encoding (RFC 9110, 8.8.3).

Only gzip: Brotli would need the ``brotli`` package, which the lock file does not hold; the
table ``ENCODERS`` is where it would go. Answers under ``MIN_SIZE`` bytes are sent as they are
(compression would not pay), and so are images, downloads and anything streamed.
"""

import gzip

from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

MIN_SIZE = 200
# Content types worth compressing: text the app writes (media types without parameters).
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/xml",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "application/rss+xml",
        "application/javascript",
        "application/ld+json",
        "application/problem+json",
        "application/vnd.oai.openapi+json",
        "image/svg+xml",
    }
)


def _gzip(content):
    # Fixed mtime: the same page compresses to the same bytes, whichever process made it.
    return gzip.compress(content, compresslevel=9, mtime=0)


# Content-coding -> encoder, in the server's order of preference.
ENCODERS = {"gzip": _gzip}


def is_compressible(response):
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return (
        media_type in COMPRESSIBLE
        and not response.streaming
        and not response.has_header("Content-Encoding")
        and len(response.content) >= MIN_SIZE
    )


def accepted_codings(request):
    """The content-codings the request's Accept-Encoding allows (q > 0), ``*`` included."""
    accepted = set()
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            accepted.add(coding.strip().lower())
    return accepted


def chosen_coding(request, available):
    """The first of ``available`` (codings, in order of preference) the request accepts, or
    None for the identity."""
    accepted = accepted_codings(request)
    for coding in available:
        if coding in accepted or "*" in accepted:
            return coding
    return None


def encoded_bodies(content):
    """{coding: bytes} of ``content`` in each coding that makes it smaller."""
    bodies = {}
    if len(content) >= MIN_SIZE:
        for coding, encode in ENCODERS.items():
            body = encode(content)
            if len(body) < len(content):
                bodies[coding] = body
    return bodies


def coded_etag(etag, coding):
    """A strong ETag of its own for the ``coding`` representation of a page: "abc" -> "abc-gzip"."""
    if coding is None or not etag:
        return etag
    weak, tag = ("W/", etag[2:]) if etag.startswith("W/") else ("", etag)
    return f'{weak}"{tag.strip(chr(34))}-{coding}"'


class CompressionMiddleware:
    """gzip for the text the app writes (images, files and streams pass as they are), with
    Django's BREACH mitigation (random bytes in the gzip header: an admin page holds a token)."""

    max_random_bytes = 100

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if chosen_coding(request, ["gzip"]) != "gzip":
            return response
        body = compress_string(response.content, max_random_bytes=self.max_random_bytes)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = "gzip"
        if response.has_header("ETag"):
            response["ETag"] = coded_etag(response["ETag"], "gzip")
        return response
