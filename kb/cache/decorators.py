"""The view's side of the page cache: ``@cache_public_page`` and the page's tag.

A view opts in with ``@cache_public_page``; the decorator tells PageCacheMiddleware, through
attributes of the view and of its response, which paths to look up and how long it may keep
each answer it can share.
"""

import hashlib
import threading
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# Set on a view's response by @cache_public_page: how long the middleware may keep it.
CACHEABLE_FOR = "kb_page_cache_seconds"
# Set on the view itself: the middleware consults the cache only for paths such views answer.
CACHEABLE_VIEW = "kb_public_page"
# Set on the response: scopes the page depends on beyond what it recorded while made.
DEPENDS_ON = "kb_page_depends_on"
# Set on a response by tag_page: what the middleware's page_served signal says of the page.
TAG = "kb_page_tag"
# Set on a response the middleware answers as a cached page would be but does not store yet.
NOT_STORED = "kb_page_not_stored"
# Set on a response kept by the page cache but by no cache outside (a CDN, a shared proxy).
PRIVATE_OUTSIDE = "kb_page_private_outside"


class SeenLately:
    """The last ``size`` keys this process was asked about: ``seen(key)`` says whether ``key``
    was among them, and remembers it. Digests only, so a long URL costs 20 bytes."""

    def __init__(self, size):
        self.size = size
        self._keys = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, key):
        digest = hashlib.blake2b(key.encode(), digest_size=20).digest()
        with self._lock:
            known = digest in self._keys
            self._keys[digest] = None
            self._keys.move_to_end(digest)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)
        return known

    def clear(self):
        with self._lock:
            self._keys.clear()


# URLs of @cache_public_page(store_when_repeated=True) views this process was asked lately.
repeated = SeenLately(10_000)


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


def cache_public_page(
    view=None, *, timeout=None, expires_in=None, depends_on=(), store_when_repeated=False
):
    """Let PageCacheMiddleware keep a public page view's answers (see kb.cache).

    Use on every page view whose output depends only on the URL, the variant and the content.
    ``timeout`` (seconds) bounds pages that also show something else that changes, such as
    reading counts; ``expires_in``, a function of no arguments asked each time a page is made,
    says in how many seconds the page goes stale by itself (None: not before the content
    changes), as when a scheduled article goes live (kb.publishing). ``depends_on``: scopes
    (kb.cache.versions) the page shows beyond the records it read, such as the list of every
    category, which a new one joins. Answers that cannot be shared are marked never to be
    cached.

    ``store_when_repeated``: for views with a URL per reader's question (the search page), whose
    URLs are mostly asked once. Such a page is stored only when its URL was asked before (by
    this process, lately: ``repeated``), so a flood of one-off questions cannot push the pages
    everyone reads out of the page cache; and it is kept by no cache outside ours, which would
    answer without the page being counted (``Cache-Control: private``)."""
    if view is None:
        return lambda view: cache_public_page(
            view,
            timeout=timeout,
            expires_in=expires_in,
            depends_on=depends_on,
            store_when_repeated=store_when_repeated,
        )

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if is_anonymous_read(request) and is_shareable(request, response):
            longest = settings.KB_PAGE_CACHE_SECONDS
            seconds = min(timeout or longest, longest)
            stale_in = expires_in() if expires_in else None
            if stale_in is not None:
                seconds = min(seconds, stale_in)
            setattr(response, CACHEABLE_FOR, seconds)
            setattr(response, DEPENDS_ON, tuple(depends_on))
            if store_when_repeated:
                # A page per reader's question: counted each time it is answered with, which a
                # CDN answering in our place would not do.
                setattr(response, PRIVATE_OUTSIDE, True)
                if not repeated.seen(request.get_full_path()):
                    setattr(response, NOT_STORED, True)
        else:
            add_never_cache_headers(response)
        return response

    setattr(wrapped, CACHEABLE_VIEW, True)
    return wrapped


def tag_page(response, tag):
    """Tag a page with a value the page cache does not interpret (picklable: it is stored with
    the page): each time PageCacheMiddleware answers with the page, from the cache or just
    made, it sends ``page_served`` with this tag (kb.hits counts article views so)."""
    setattr(response, TAG, tag)
