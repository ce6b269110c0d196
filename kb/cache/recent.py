"""The pages this process served lately, kept decoded in its memory.

A hit found here reads and decodes nothing: no round trip to the shared cache, no unpickling.
Django's local-memory cache would do the bounding too, but it pickles every value and unpickles
it on every get: the very cost this avoids.
"""

import threading
from collections import OrderedDict

from django.conf import settings

from .entries import is_current, is_in_time


class RecentPages:
    """At most ``KB_RECENT_PAGES`` pages (least recently used go first), each used only while
    it is current (kb.cache.entries.is_current). Each is kept with the generation of the
    versions it was last found current against (kb.cache.versions.Known): while nothing
    changed, a hit compares one number, however many scopes the page showed."""

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key):
        return key in self._entries

    def get(self, key, versions, generation):
        with self._lock:
            kept = self._entries.get(key)
            if kept is None:
                return None
            entry, checked = kept
            current = is_in_time(entry) if checked == generation else is_current(entry, versions)
            if not current:
                del self._entries[key]
                return None
            self._entries[key] = (entry, generation)
            self._entries.move_to_end(key)
            return entry

    def put(self, key, entry, generation):
        size = settings.KB_RECENT_PAGES
        with self._lock:
            self._entries[key] = (entry, generation)
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


recent_pages = RecentPages()
