"""The public page cache.

Pages that are the same for every anonymous reader (home, categories, articles) are kept whole,
headers and all, and ``PageCacheMiddleware`` answers a repeat request for them from the cache
before the rest of the middleware, the URL resolver and the view run: a cached page costs about
what a static file costs.

A view opts in with ``@cache_public_page``; the middleware stores what the whole stack made of
its answer (the traditional-script conversion, the security headers) under a key made of

- the page variant (``settings.KB_PAGE_VARIANT``: by default the script, which the URL prefix
  decides, see kb.variants) and the absolute URL: scheme, host, path and query string;
- the code version: a fingerprint of the code, templates, locked dependencies and static
  manifest (and ``KB_RELEASE``), so a deploy never serves pages that an older release rendered;

and the entry carries the content version it was made from. The content version is one value
that every change to articles, causes, remedies, categories or synonyms replaces (kb.signals): an
entry from an older content version is a miss, so a publish, an edit or an import shows on every
page without knowing which pages showed the changed record. Each process reads the
version from the shared cache at most once every ``KB_CONTENT_VERSION_CHECK_SECONDS`` (1 s; a
change made in the process itself is known at once) and keeps the pages it served lately in its
memory (``RecentPages``, ``KB_RECENT_PAGES`` of them), so a hit usually reads nothing at all.

Only GET and HEAD requests without a session cookie (staff see their edits at once), for a path
that a cached view answers (the search and the API never wait on the cache), are answered from
the cache, and only answers that are 200, set no cookie and carry nothing of one
visitor (no CSRF token: the feedback forms need none, see kb.csrf) are stored. Such pages get
an ETag and Last-Modified, so browsers and CDNs revalidate with a 304 instead of downloading
the page again, and a Cache-Control that lets a CDN keep them ``KB_CDN_MAX_AGE`` seconds and
serve a stale copy while it revalidates.

Redis being down is a cache miss (django-redis ignores the errors): pages are then served from
each process's recent pages or rendered from the database as if there were no cache.
"""

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.connection import ConnectionProxy
from django.utils.http import http_date
from django.utils.module_loading import import_string

from . import hits

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "kb:content-version"
# The pages themselves go to a cache of their own (settings.CACHES["pages"]); the content
# version and everything else stay in the default one, which a flood of pages cannot evict.
page_store = ConnectionProxy(caches, "pages")
CACHE_STATUS_HEADER = "X-Page-Cache"
# Set on a view's response by @cache_public_page: how long the middleware may keep it.
_CACHEABLE_FOR = "kb_page_cache_seconds"
# Set on the view itself: the middleware consults the cache only for paths such views answer.
_CACHEABLE_VIEW = "kb_public_page"
# Set on an article page's response: the article whose view to count (kb.hits).
_ARTICLE = "kb_article_id"
# Headers made per response or by the middleware itself; everything else is kept and replayed.
_NOT_STORED = frozenset(
    {"content-length", "set-cookie", "etag", "last-modified", "cache-control", "expires", "date"}
)
# What the code version is a fingerprint of, below the project folder: the code, the templates
# and the locked dependencies (a release that only upgrades Django changes pages too).
_CODE = ("kb", "config", "templates")
_CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".toml"})
_CODE_FILES = ("requirements.lock", "pyproject.toml")


def _new_version():
    # Microseconds since the epoch: unique enough, and it says when content last changed.
    return str(time.time_ns() // 1000)


# The content version as this process last read it, and until when (time.monotonic()) it may
# use it without asking the shared cache again: (version, until).
_known_version = (None, 0.0)
_clock = time.monotonic


def content_version():
    """The current content version. Read from the shared cache at most once every
    ``KB_CONTENT_VERSION_CHECK_SECONDS`` per process (a change made in this process is known
    at once): a cached page then costs no cache read at all, and a change made elsewhere
    reaches every process within that time."""
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


@functools.cache
def code_version():
    """A fingerprint of what renders the pages: the project's code, templates and locked
    dependencies, the static files' manifest (hashed file names appear in pages) and
    ``KB_RELEASE`` if the deployment names its release (an image digest, a commit). Computed
    once per process, when the app is ready: under gunicorn's preload_app, in the master before
    the workers fork, so that every worker of a release agrees."""
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
    # The absolute URL (get_host() checks ALLOWED_HOSTS: no key for a forged Host).
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{page_variant(request)}\n{url}".encode()).hexdigest()
    return f"kb:page:{code_version()}:{digest}"


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


def _public_headers(etag, last_modified):
    return [
        ("ETag", etag),
        ("Last-Modified", http_date(last_modified)),
        (
            "Cache-Control",
            _public_cache_control(settings.KB_CDN_MAX_AGE, settings.KB_CDN_STALE_WHILE_REVALIDATE),
        ),
    ]


_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


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
    """Let PageCacheMiddleware keep a public page view's answers (see the module docstring).
    Use on every page view whose output depends only on the URL, the variant and the content;
    ``timeout`` (seconds) bounds pages that also show something else that changes, such as
    reading counts. Answers that cannot be shared are marked never to be cached."""
    if view is None:
        return lambda view: cache_public_page(view, timeout=timeout)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if is_anonymous_read(request) and is_shareable(request, response):
            seconds = settings.KB_PAGE_CACHE_SECONDS
            setattr(response, _CACHEABLE_FOR, min(timeout or seconds, seconds))
        else:
            add_never_cache_headers(response)
        return response

    setattr(wrapped, _CACHEABLE_VIEW, True)
    return wrapped


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
    return getattr(match.func, _CACHEABLE_VIEW, False)


def is_public_page_path(request):
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    return _is_public_page_path(request.path_info, language, urlconf)


def _entry(response, version, seconds):
    if hasattr(response, "render") and callable(response.render):
        response.render()
    etag = _etag(response.content)
    # When this copy was made: a scheduled article going live, the home page's refresh or a new
    # release change a page without changing the content version.
    made = time.time()
    return {
        "version": version,
        "expires": made + seconds,
        "content": response.content,
        "headers": [
            (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
        ],
        "public": _public_headers(etag, made),
        "etag": etag,
        "article": getattr(response, _ARTICLE, None),
        "last_modified": made,
    }


def _replay(entry):
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    for name, value in entry["public"]:
        response[name] = value
    response["Content-Length"] = str(len(entry["content"]))
    return response


def _is_current(entry, version):
    """Made from the current content and still in time (cache backends expire entries too, but
    a copy kept in a process must not outlive its timeout either)."""
    return entry.get("version") == version and entry.get("expires", 0) > time.time()


class RecentPages:
    """The pages this process served lately, as they came out of the shared cache: a hit then
    reads and decodes nothing. Bounded (least recently used go first); a copy is used only
    while it is current. (Django's local-memory cache would do the bounding too, but it pickles
    every value and unpickles it on every get: the very cost this avoids.)"""

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, version):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if not _is_current(entry, version):
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = settings.KB_RECENT_PAGES
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


recent_pages = RecentPages()


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
        version = content_version()
        entry = recent_pages.get(key, version)
        if entry is None:
            entry = page_store.get(key)
            if entry is not None and _is_current(entry, version):
                recent_pages.put(key, entry)
            else:
                entry = None
        if entry is not None:
            response = _replay(entry)
            response[CACHE_STATUS_HEADER] = "hit"
        else:
            response = self.get_response(request)
            seconds = getattr(response, _CACHEABLE_FOR, None)
            if seconds is None:
                return response
            if response.cookies:  # something below set a cookie after the view: not shareable
                add_never_cache_headers(response)
                return response
            until_publication = _seconds_to_next_publication()
            if until_publication is not None:
                seconds = min(seconds, until_publication)
            entry = _entry(response, version, seconds)
            page_store.set(key, entry, seconds)
            recent_pages.put(key, entry)
            for name, value in entry["public"]:
                response[name] = value
            response[CACHE_STATUS_HEADER] = "miss"
        if entry["article"] is not None:
            hits.views.add(entry["article"])
        if not any(header in request.META for header in _CONDITIONAL):
            return response
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["last_modified"]),
            response=response,
        )
