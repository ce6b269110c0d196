"""PageCacheMiddleware: answer a repeat request for a public page from the cache.

It answers before the rest of the middleware, the URL resolver and the view run, and stores
what the whole stack made of the answers that ``@cache_public_page`` marks
(kb.cache.decorators), under a key made of

- the page variant (``settings.KB_PAGE_VARIANT``: by default the script, which the URL prefix
  decides, see kb.variants) and the absolute URL: the site's address (``settings.KB_SITE_URL``,
  or else the request's scheme and host), path and query string;
- the code version (kb.code_version), so a deploy never serves pages that an older release rendered.

Each time it answers with a tagged page (kb.cache.decorators.tag_page), from the cache or just
made, it sends ``page_served``: whoever counts or logs page views listens to that (kb.hits),
and the cache stays a cache.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.dispatch import Signal
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.connection import ConnectionProxy
from django.utils.module_loading import import_string

from .. import code_version
from . import versions
from .decorators import CACHEABLE_FOR, CACHEABLE_VIEW, DEPENDS_ON, NOT_STORED, is_anonymous_read
from .entries import coding_for, etag_of, is_current, make_entry, replay
from .recent import recent_pages

# The pages themselves go to a cache of their own (settings.CACHES["pages"]); the content
# version and everything else stay in the default one, which a flood of pages cannot evict.
page_store = ConnectionProxy(caches, "pages")
CACHE_STATUS_HEADER = "X-Page-Cache"
# Sent with tag= (the page's tag) and request= each time a tagged page is answered with.
page_served = Signal(use_caching=True)
_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def page_variant(request):
    """What, beyond the URL, makes this request's page differ: ``settings.KB_PAGE_VARIANT``, a
    function of the request alone (the middleware asks before any view or language is active).

    A variant chosen by a cookie must also make CDNs vary (``Vary: Cookie`` or better, keep the
    variant in the URL: a prefix or a parameter), or they will mix the variants.
    """
    return str(_hook(settings.KB_PAGE_VARIANT)(request))


@functools.cache
def _hook(dotted_path):
    return import_string(dotted_path)


def page_cache_key(request):
    # get_host() checks ALLOWED_HOSTS: no key for a forged Host (a 400), even when the site's
    # address is fixed. That address, when set, stands for every spelling of the host that
    # ALLOWED_HOSTS lets in (HELP.example.com:1337, a trailing dot): one page, one entry.
    host = request.get_host()
    site = getattr(settings, "KB_SITE_URL", "") or f"{request.scheme}://{host}"
    url = f"{site}{request.get_full_path()}"
    digest = hashlib.sha256(f"{page_variant(request)}\n{url}".encode()).hexdigest()
    return f"kb:page:{code_version.code_version()}:{digest}"


@functools.lru_cache(maxsize=4096)
def _is_public_page_path(path, language, urlconf):
    """Whether a @cache_public_page view answers ``path`` (resolved in ``language``: the
    /zh-hant/ prefix only matches while zh-hant is active). Remembered per path, so the search,
    the API and everything else never wait on the cache for nothing."""
    try:
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, CACHEABLE_VIEW, False)


def is_public_page_path(request):
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    return _is_public_page_path(request.path_info, language, urlconf)


class PageCacheMiddleware:
    """Answer cached public pages early, and store the pages that @cache_public_page marks.

    Sits just after WhiteNoise: outside CSPMiddleware and everything else that shapes a page
    (their headers are stored with it), inside the middleware that must see every request
    (health checks, the request id, SecurityMiddleware's redirects and headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (is_anonymous_read(request) and is_public_page_path(request)):
            return self.get_response(request)
        key = page_cache_key(request)
        entry = self.cached_entry(key)
        if entry is not None:
            coding = coding_for(request, entry)
            response = replay(entry, coding)
            response[CACHE_STATUS_HEADER] = "hit"
        else:
            # What the page shows is recorded at the versions known now, before it is made: a
            # change committed meanwhile makes the entry out of date at once.
            begun, generation = versions.for_new_page()
            token = versions.recording()
            try:
                response = self.get_response(request)
                seconds = getattr(response, CACHEABLE_FOR, None)
                if seconds is None:
                    return response
                if response.cookies:  # something below set a cookie after the view: not shareable
                    add_never_cache_headers(response)
                    return response
                versions.depends_on(*getattr(response, DEPENDS_ON, ()))
                entry = make_entry(response, {}, seconds)
            finally:
                shown = versions.recorded(token)
            entry["shown"] = {scope: begun.get(scope, 0) for scope in shown}
            if not getattr(response, NOT_STORED, False):
                page_store.set(key, entry, seconds)
                recent_pages.put(key, entry, generation)
            coding = coding_for(request, entry)
            response = replay(entry, coding)
            response[CACHE_STATUS_HEADER] = "miss"
        if entry["tag"] is not None:
            page_served.send(PageCacheMiddleware, tag=entry["tag"], request=request)
        if not any(header in request.META for header in _CONDITIONAL):
            return response
        return get_conditional_response(
            request,
            etag=etag_of(entry, coding),
            last_modified=int(entry["last_modified"]),
            response=response,
        )

    @staticmethod
    def cached_entry(key):
        """The current entry for ``key``, or None. The versions are checked (at most once per
        KB_CONTENT_VERSION_CHECK_SECONDS, kb.cache.versions.current) only when there is a page
        to check: a request for a page not cached never waits on the store."""
        if key in recent_pages:
            known, generation = versions.current()
            entry = recent_pages.get(key, known, generation)
            if entry is not None:
                return entry
        entry = page_store.get(key)
        if entry is None:
            return None
        known, generation = versions.current()
        if not is_current(entry, known):
            return None
        recent_pages.put(key, entry, generation)
        return entry
