"""The view's side of the page cache: ``@cache_public_page`` and the page's tag.

A view opts in with ``@cache_public_page``; the decorator tells PageCacheMiddleware, through
attributes of the view and of its response, which paths to look up and how long it may keep
each answer it can share.
"""

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


def cache_public_page(view=None, *, timeout=None, expires_in=None, depends_on=()):
    """Let PageCacheMiddleware keep a public page view's answers (see kb.cache).

    Use on every page view whose output depends only on the URL, the variant and the content.
    ``timeout`` (seconds) bounds pages that also show something else that changes, such as
    reading counts; ``expires_in``, a function of no arguments asked each time a page is made,
    says in how many seconds the page goes stale by itself (None: not before the content
    changes), as when a scheduled article goes live (kb.publishing). ``depends_on``: scopes
    (kb.cache.versions) the page shows beyond the records it read, such as the list of every
    category, which a new one joins. Answers that cannot be shared are marked never to be
    cached."""
    if view is None:
        return lambda view: cache_public_page(
            view, timeout=timeout, expires_in=expires_in, depends_on=depends_on
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
