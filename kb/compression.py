"""Compressed HTML and JSON: what the app answers itself goes out Brotli- or gzip-compressed to
clients that take it (static files come compressed from collectstatic already, .br and .gz beside
each file, and WhiteNoise sends them with their Content-Encoding, which is left alone here).

Cached pages (kb.cache) are compressed once, when they are stored, and each hit sends the
stored bytes; ``CompressionMiddleware`` compresses the rest (the search, the API, the sitemap,
the feed) on the way out, leaving alone what is compressed already. Either way the answer says
``Vary: Accept-Encoding`` and an ETag of its own per encoding (RFC 9110, 8.8.3).

The coding is the one the client's Accept-Encoding rates highest (RFC 9110, 12.5.3), Brotli
when it rates both alike (it is some 20% smaller on these pages). Answers under ``MIN_SIZE``
bytes are sent as they are (compression would not pay), and so are images, downloads and
anything streamed.
"""

import gzip

import brotli
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


def _brotli(content):
    # Quality 6: within 1% of the smallest (11) on these pages at a hundredth of the time (a
    # 20 KB page: 0.2 ms against 20 ms), which a cache miss or the search page would pay.
    return brotli.compress(content, quality=6, mode=brotli.MODE_TEXT)


# Content-coding -> encoder, in the server's order of preference.
ENCODERS = {"br": _brotli, "gzip": _gzip}


def is_compressible(response):
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return (
        media_type in COMPRESSIBLE
        and not response.streaming
        and not response.has_header("Content-Encoding")
        and len(response.content) >= MIN_SIZE
    )


def accepted_codings(request):
    """{content-coding: q} of the request's Accept-Encoding, ``*`` and those refused (q=0)
    included; a q that is not a number refuses."""
    accepted = {}
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if coding.strip():
            accepted[coding.strip().lower()] = quality
    return accepted


def chosen_coding(request, available):
    """Of ``available`` (codings, in the server's order of preference), the one the request
    rates highest, or None for the identity: when none is acceptable, or the identity is
    rated above them all."""
    accepted = accepted_codings(request)
    best, best_quality = None, 0.0
    for coding in available:
        quality = accepted.get(coding, accepted.get("*", 0.0))
        if quality > best_quality:
            best, best_quality = coding, quality
    if best is not None and accepted.get("identity", 0.0) > best_quality:
        return None
    return best


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


def _varies_on_cookie(response):
    return "cookie" in (part.strip().lower() for part in response.get("Vary", "").split(","))


class CompressionMiddleware:
    """Brotli or gzip for the text the app writes (images, files and streams pass as they are).

    A page made for a session (it varies on Cookie: the admin, a signed-in editor) holds a CSRF
    token, so it gets gzip only, with Django's BREACH mitigation (random bytes in the gzip
    header, "Heal the BREACH"); Brotli has no such header to pad. Public answers (the search,
    the API, the sitemap, the feed) take either."""

    max_random_bytes = 100

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        private = _varies_on_cookie(response)
        coding = chosen_coding(request, ["gzip"] if private else list(ENCODERS))
        if coding is None:
            return response
        if private:
            body = compress_string(response.content, max_random_bytes=self.max_random_bytes)
        else:
            body = ENCODERS[coding](response.content)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = coding
        if response.has_header("ETag"):
            response["ETag"] = coded_etag(response["ETag"], coding)
        return response
