"""The public page cache.

Whole rendered pages are cached under a key made of

- the content version: one value that every change to articles, causes, remedies, categories
  or synonyms replaces (kb.signals), so a publish, an edit or an import invalidates every page
  at once without knowing which pages showed the changed record;
- the page variant (``settings.KB_PAGE_VARIANT``, e.g. simplified or traditional script);
- the absolute URL: scheme, host, path and query string.

Only pages that are the same for every anonymous reader are cached: GET and HEAD requests
without a session cookie (staff see their edits at once), answered 200, setting no cookie and
carrying no CSRF token. Cached or not, such pages get an ETag and Last-Modified, so browsers and
CDNs revalidate with a 304 instead of downloading the page again, and a Cache-Control that lets
a CDN keep them ``KB_CDN_MAX_AGE`` seconds and serve a stale copy while it revalidates.

Redis being down is a cache miss (django-redis ignores the errors): pages are then rendered
from the database as if there were no cache.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "kb:content-version"
CACHE_STATUS_HEADER = "X-Page-Cache"


def _new_version():
    # Microseconds since the epoch: unique enough, and it says when content last changed.
    return str(time.time_ns() // 1000)


def content_version():
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # First request, or the cache was emptied: start a version; never cache it for ever
        # blindly (add: another worker may have started one a moment ago).
        cache.add(CONTENT_VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY) or _new_version()
    return version


def bump_content_version():
    """Invalidate every cached page: the content changed."""
    cache.set(CONTENT_VERSION_KEY, _new_version(), timeout=None)


def language_variant(request):
    """The default variant: the active language (LocaleMiddleware sets it from the URL prefix,
    the language cookie or Accept-Language)."""
    return translation.get_language() or ""


def page_variant(request):
    """What, beyond the URL, makes this request's page differ: ``settings.KB_PAGE_VARIANT``.

    A variant chosen by a cookie must also make CDNs vary (``Vary: Cookie`` or better, keep the
    variant in the URL: a prefix or a parameter), or they will mix the variants.
    """
    return str(import_string(settings.KB_PAGE_VARIANT)(request))


def page_cache_key(request, version):
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    variant = hashlib.sha256(page_variant(request).encode()).hexdigest()[:16]
    return f"kb:page:{version}:{variant}:{digest}"


def is_anonymous_read(request):
    """A request whose page may be shared: GET/HEAD without a session (not signed in)."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_shareable(request, response):
    """The view's answer is the same for every anonymous reader."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # {% csrf_token %} in a form: the token belongs to this visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _etag(content):
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _public_headers(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Browsers revalidate every time (a cheap 304); shared caches keep the page a while.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.KB_CDN_MAX_AGE,
        stale_while_revalidate=settings.KB_CDN_STALE_WHILE_REVALIDATE,
    )
    return response


def _seconds_to_next_publication():
    """Scheduled articles appear without any save: cached pages must expire by then."""
    from django.utils import timezone

    from .models import Article

    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return None
    return max(1, int((upcoming - timezone.now()).total_seconds()) + 1)


def cache_public_page(view=None, *, timeout=None):
    """Cache a public page view (see the module docstring). Use on every page view whose
    output depends only on the URL, the variant and the content; ``timeout`` (seconds) bounds
    pages that also show something else that changes, such as reading counts."""
    if view is None:
        return lambda view: cache_public_page(view, timeout=timeout)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_read(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        version = content_version()
        key = page_cache_key(request, version)
        entry = cache.get(key)
        if entry is not None:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            response[CACHE_STATUS_HEADER] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if not is_shareable(request, response):
                add_never_cache_headers(response)
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": _etag(response.content),
                "last_modified": int(version) / 1_000_000,
            }
            seconds = min(timeout or settings.KB_PAGE_CACHE_SECONDS, settings.KB_PAGE_CACHE_SECONDS)
            until_publication = _seconds_to_next_publication()
            if until_publication is not None:
                seconds = min(seconds, until_publication)
            cache.set(key, entry, seconds)
            response[CACHE_STATUS_HEADER] = "miss"

        _public_headers(response, entry["etag"], entry["last_modified"])
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["last_modified"]),
            response=response,
        )

    return wrapped
