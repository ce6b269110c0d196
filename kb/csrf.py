"""Cross-origin protection for the readers' anonymous writes, without tokens: the feedback
forms (kb.views) and the search-click beacon (kb.api).

The vote forms and search results sit on pages that must be the same for every reader so that
the page cache (kb.cache) and CDNs can keep them; a CSRF token belongs to one visitor and would
make each page private. Votes and clicks are anonymous and carry no credentials, so instead of a
token they are protected the way Go's net/http ``CrossOriginProtection`` (Go 1.25) and OWASP's
Fetch Metadata guidance do it, from the headers every current browser sends with a form or
fetch POST:

1. GET, HEAD and OPTIONS are never refused;
2. an ``Origin`` listed in ``CSRF_TRUSTED_ORIGINS`` is allowed;
3. with ``Sec-Fetch-Site``: ``same-origin`` (our own page) and ``none`` (the reader typed or
   bookmarked it) are allowed, anything else (``same-site``, ``cross-site``) is refused;
4. without it, a request without ``Origin`` either is not from a browser (a script could send
   any header it likes anyway) or from a browser too old to send one: allowed;
5. otherwise the ``Origin``'s host must be this request's host.

The visitor cookie is ``SameSite=Lax`` besides, so a forged cross-site POST would not carry the
reader's anonymous id even where these headers were missing, and votes and clicks are
rate-limited (kb.feedback). Everything signed in (admin, markdownx) keeps Django's token-based
protection.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import is_same_domain
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_trusted_origin(origin):
    """``CSRF_TRUSTED_ORIGINS`` as Django reads it: exact origins, or ``https://*.example.com``
    for any subdomain."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in trusted:
            if origin == trusted:
                return True
            continue
        allowed = urlsplit(trusted)
        if parts.scheme == allowed.scheme and is_same_domain(parts.netloc, allowed.netloc[1:]):
            return True
    return False


def is_cross_origin(request):
    """Whether a browser sent this request on behalf of another site."""
    if request.method in SAFE_METHODS:
        return False
    origin = request.headers.get("Origin")
    if origin is not None and is_trusted_origin(origin):
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in ALLOWED_FETCH_SITES
    if origin is None:
        return False
    try:
        parts = urlsplit(origin)
    except ValueError:
        return True
    if origin == "null" or parts.scheme not in DEFAULT_PORTS:
        return True
    request_scheme = "https" if request.is_secure() else "http"
    return _without_default_port(parts.netloc, parts.scheme) != _without_default_port(
        request.get_host(), request_scheme
    )


def _without_default_port(host, scheme):
    """``example.com:443`` and ``example.com`` are one host for https."""
    return host.lower().removesuffix(f":{DEFAULT_PORTS[scheme]}")


def cross_origin_protected(refused):
    """Protect a view with is_cross_origin instead of Django's CSRF token check (which it is
    exempt from); ``refused(request)`` makes the 403 answer."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if is_cross_origin(request):
                return refused(request, *args, **kwargs)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
