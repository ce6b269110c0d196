"""Search pages of repeated queries, kept in each process for the index generation they were
ranked in: real traffic repeats its questions, and a page found again costs a dictionary
look-up instead of a search.

Keyed on (generation, normalised query, page, page size): any change to the content or the
synonyms bumps the generation (kb.search.indexer.bump_generation), and kb.search.statistics
empties this cache with its other caches of the old generation. A scheduled article going
live changes what readers may see without a new generation: the cache is valid only until
the next scheduled publication. Logging is the engine's business, for found pages as for new.
"""

import threading
from collections import OrderedDict

from django.utils import timezone

# Pages kept per process, the least recently used dropped first: a bound on memory (a page
# with its snippets and remedies is a few kilobytes).
CACHED_PAGES = 1000


class ResultsCache:
    """A bounded map of search keys to SearchPage objects, valid until ``valid_until``."""

    def __init__(self, size=CACHED_PAGES):
        self.size = size
        self.lock = threading.Lock()
        self.clear()

    def clear(self, valid_until=None):
        with self.lock:
            self.pages = OrderedDict()
            self.valid_until = valid_until

    def expired(self):
        return self.valid_until is not None and timezone.now() >= self.valid_until

    def get(self, key):
        """The page kept for ``key``, or None."""
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)
