"""CSRF tokens in cached pages.

The feedback forms work without JavaScript, so the article page carries a CSRF token; a token
belongs to one visitor, which would keep that page out of the page cache (kb.cache). Instead the
template writes a placeholder (``{% csrf_placeholder %}``), the page is cached with it, and this
middleware puts the visitor's own token in its place on every response, cached or not. Such a
response then tells shared caches (CDNs) to keep out: it is the visitor's alone.
"""

from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control

PLACEHOLDER = "kb-csrf-token-placeholder-6f1c"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()


class CsrfPlaceholderMiddleware:
    """Must come after CsrfViewMiddleware in MIDDLEWARE, so that the cookie that get_token may
    create is set on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or _PLACEHOLDER_BYTES not in response.content
        ):
            return response
        response.content = response.content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
        cache_control = response.get("Cache-Control", "")
        if cache_control:
            # Drop the shared-cache directives; keep the browser's revalidation (max-age=0).
            kept = [
                part.strip()
                for part in cache_control.split(",")
                if part.strip().split("=")[0]
                not in {"public", "s-maxage", "stale-while-revalidate"}
            ]
            response["Cache-Control"] = ", ".join(kept)
        patch_cache_control(response, private=True)
        if response.has_header("ETag") and not response["ETag"].startswith("W/"):
            response["ETag"] = "W/" + response["ETag"]  # same page, this visitor's token
        return response
