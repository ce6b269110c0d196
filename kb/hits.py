"""Article views for the hot questions: counted in memory, written in batches.

The page cache (kb.cache) answers most article views without running the view, so views are
counted where every anonymous view passes, in PageCacheMiddleware: a cached article page knows
its article. A database write per view would cost the cache its point; instead each process adds
views up in memory and writes them at most every ``KB_VIEW_FLUSH_SECONDS`` (one UPDATE per
article read meanwhile, by the request that finds the time has come) and when it exits. Counts
that cannot be written (the database is away) are kept for the next try; a crash loses at most
those seconds of counts, which feed a ranking, not anybody's records. Staff are not counted.
"""

import atexit
import contextlib
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, IntegrityError

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


def _flush_at_exit():
    try:
        views.flush()
    except Exception:  # the interpreter is going away: never fail its exit
        logger.exception("article views lost at exit")


atexit.register(_flush_at_exit)
