"""Article views and search clicks for the hot questions: counted in memory, written in batches.

The page cache (kb.cache) answers most article views without running the view, so views are
counted where every anonymous view passes: the article view tags its page with its article
(``count_readings``), and each time the page cache answers with that page, cached or just made,
its ``page_served`` signal says so. A database write per view would cost the cache its point;
instead each process adds views up in memory and writes them at most every
``KB_VIEW_FLUSH_SECONDS`` (one UPDATE per article read meanwhile, by the request that finds the
time has come) and when it exits (kb.counters). Counts that cannot be written (the database is away) are kept
for the next try; a crash loses at most those seconds of counts, which feed a ranking, not
anybody's records. Staff are not counted (the page cache does not answer them).

A **search click** is a reader following a link from a search page to an article: it counts
for the article (ArticleHits.search_clicks) and for the query searched (kb.search.log's
``record_click``, the work queue's "nobody clicked"), both batched like the views. It is
counted once, whichever way it arrives: with JavaScript, suggest.js sends a beacon
(``/api/search/click`` with the query) and has the browser send only the origin as the
referrer; without it, the article page is read with the search page (``/search/?q=...``) as
its same-site referrer (Referrer-Policy ``strict-origin-when-cross-origin`` keeps the query
for our own pages) and ``page_served`` counts it. The result links stay the article's own
URLs, so the page cache keeps one copy of each page.
"""

import contextlib
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from .cache import page_served, tag_page
from .counters import BatchedCounts
from .variants import TRADITIONAL, in_variant


def _write(article_id, field, count):
    from .models import ArticleHits

    # IntegrityError: the article was deleted meanwhile, nothing to count.
    with contextlib.suppress(IntegrityError):
        ArticleHits.objects.record(article_id, **{field: count})


def _write_views(article_id, views):
    _write(article_id, "views", views)


def _write_search_clicks(article_id, clicks):
    _write(article_id, "search_clicks", clicks)


def view_counter():
    """Article views added up in memory, written every ``KB_VIEW_FLUSH_SECONDS`` and at exit."""
    return BatchedCounts(
        "article views", _write_views, seconds=lambda: settings.KB_VIEW_FLUSH_SECONDS
    )


views = view_counter()
search_clicks = BatchedCounts(
    "search clicks per article",
    _write_search_clicks,
    seconds=lambda: settings.KB_VIEW_FLUSH_SECONDS,
)


def count_search_click(article_id, query):
    """A reader chose this article (or one of its causes) on the results of ``query``."""
    from .search import log as search_log

    search_clicks.add(article_id)
    search_log.record_click(query)


def _search_paths():
    with translation.override(None):
        path = reverse("kb:search")
    return {path, in_variant(TRADITIONAL, path)}


def searched_query(request):
    """The query of the search page this request's reader came from (its same-site
    ``Referer``), or None."""
    referrer = request.headers.get("Referer", "")
    if not referrer or len(referrer) > 2000:
        return None
    try:
        parts = urlsplit(referrer)
        hosts = {request.get_host().lower()}
    except (ValueError, DisallowedHost):  # a malformed referrer, or a Host Django refuses
        return None
    if settings.KB_SITE_URL:
        hosts.add(urlsplit(settings.KB_SITE_URL).netloc.lower())
    if parts.netloc.lower() not in hosts or parts.path not in _search_paths():
        return None
    query = parse_qs(parts.query).get("q", [""])[0]
    return query if query.strip() else None


# The first item of an article page's tag (kb.cache.tag_page): the pages are this module's.
_ARTICLE_PAGE = "kb.hits.article"


def count_readings(response, article_id):
    """Count a view of the article each time this page is read, from the page cache or not."""
    tag_page(response, (_ARTICLE_PAGE, article_id))


def _page_served(sender, tag, request=None, **kwargs):
    if type(tag) is tuple and len(tag) == 2 and tag[0] == _ARTICLE_PAGE:
        views.add(tag[1])
        query = searched_query(request) if request is not None else None
        # A revalidation (reload, back and forward: If-None-Match / If-Modified-Since) comes
        # with the same Referer but is no new click.
        if query is not None and not _is_revalidation(request):
            from .feedback import address_limited

            # Limited as the beacon is (kb.api): the same scope, so both ways share one budget.
            if not address_limited(request, "search-click"):
                count_search_click(tag[1], query)


def _is_revalidation(request):
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def connect():
    page_served.connect(_page_served, dispatch_uid="kb-hits-article-views")
