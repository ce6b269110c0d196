"""Article views for the hot questions: counted in memory, written in batches.

The page cache (kb.cache) answers most article views without running the view, so views are
counted where every anonymous view passes: the article view tags its page with its article
(``count_readings``), and each time the page cache answers with that page, cached or just made,
its ``page_served`` signal says so. A database write per view would cost the cache its point;
instead each process adds views up in memory and writes them at most every
``KB_VIEW_FLUSH_SECONDS`` (one UPDATE per article read meanwhile, by the request that finds the
time has come) and when it exits. Counts that cannot be written (the database is away) are kept
for the next try; a crash loses at most those seconds of counts, which feed a ranking, not
anybody's records. Staff are not counted (the page cache does not answer them).
"""

import atexit
import contextlib
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, IntegrityError

from .cache import page_served, tag_page

logger = logging.getLogger(__name__)


class ViewCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = Counter()
        self._since = time.monotonic()

    def add(self, article_id):
        with self._lock:
            self._counts[article_id] += 1
            if time.monotonic() - self._since < settings.KB_VIEW_FLUSH_SECONDS:
                return
            counts = self._take()
        self._write(counts)

    def pending(self):
        with self._lock:
            return dict(self._counts)

    def flush(self):
        """Write what was counted so far."""
        with self._lock:
            counts = self._take()
        self._write(counts)

    def flush_discarding(self):
        """Forget what was counted and not written (tests)."""
        with self._lock:
            self._take()

    def _take(self):
        counts, self._counts, self._since = self._counts, Counter(), time.monotonic()
        return counts

    def _write(self, counts):
        from .models import ArticleHits

        remaining = dict(counts)
        try:
            for article_id, views in counts.items():
                # IntegrityError: the article was deleted meanwhile, nothing to count.
                with contextlib.suppress(IntegrityError):
                    ArticleHits.objects.record(article_id, views=views)
                del remaining[article_id]
        except DatabaseError as error:
            logger.warning("article views not written yet (kept for the next try): %s", error)
            with self._lock:
                self._counts.update(remaining)


views = ViewCounter()

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


def _flush_at_exit():
    try:
        views.flush()
    except Exception:  # the interpreter is going away: never fail its exit
        logger.exception("article views lost at exit")


atexit.register(_flush_at_exit)
