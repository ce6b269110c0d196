"""The pages this process served lately, kept decoded in its memory.

A hit found here reads and decodes nothing: no round trip to the shared cache, no unpickling.
Django's local-memory cache would do the bounding too, but it pickles every value and unpickles
it on every get: the very cost this avoids.
"""

import threading
from collections import OrderedDict

from django.conf import settings

from .entries import is_current


class RecentPages:
    """At most ``KB_RECENT_PAGES`` pages (least recently used go first), each used only while
    it is current (kb.cache.entries.is_current)."""

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, version):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if not is_current(entry, version):
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
