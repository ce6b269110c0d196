"""Article views for the hot questions: counted in memory, written in batches.

The page cache (kb.cache) answers most article views without running the view, so views are
counted where every anonymous view passes: the article view tags its page with its article
(``count_readings``), and each time the page cache answers with that page, cached or just made,
its ``page_served`` signal says so. A database write per view would cost the cache its point;
instead each process adds views up in memory and writes them at most every
``KB_VIEW_FLUSH_SECONDS`` (one UPDATE per article read meanwhile, by the request that finds the
time has come) and when it exits (kb.counters). Counts that cannot be written (the database is away) are kept
for the next try; a crash loses at most those seconds of counts, which feed a ranking, not
anybody's records. Staff are not counted (the page cache does not answer them).
"""

import contextlib

from django.conf import settings
from django.db import IntegrityError

from .cache import page_served, tag_page
from .counters import BatchedCounts


def _write_views(article_id, views):
    from .models import ArticleHits

    # IntegrityError: the article was deleted meanwhile, nothing to count.
    with contextlib.suppress(IntegrityError):
        ArticleHits.objects.record(article_id, views=views)


def view_counter():
    """Article views added up in memory, written every ``KB_VIEW_FLUSH_SECONDS`` and at exit."""
    return BatchedCounts(
        "article views", _write_views, seconds=lambda: settings.KB_VIEW_FLUSH_SECONDS
    )


views = view_counter()

# The first item of an article page's tag (kb.cache.tag_page): the pages are this module's.
_ARTICLE_PAGE = "kb.hits.article"


def count_readings(response, article_id):
    """Count a view of the article each time this page is read, from the page cache or not."""
    tag_page(response, (_ARTICLE_PAGE, article_id))


def _page_served(sender, tag, **kwargs):
    if type(tag) is tuple and len(tag) == 2 and tag[0] == _ARTICLE_PAGE:
        views.add(tag[1])


def connect():
    page_served.connect(_page_served, dispatch_uid="kb-hits-article-views")
