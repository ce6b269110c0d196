"""Counts that readers' requests add up in memory and a process writes in batches.

An anonymous request that only counts something (a search for the staff reports) must not cost
a database write each: a flood would be a flood of INSERTs. A ``BatchedCounts`` adds values up
per key in memory (thread-safe) and writes them, one ``write(key, value)`` per key, at most every
``seconds()`` seconds (by the request that finds the time has come), as soon as it holds
``max_keys`` keys (a bound on memory when every request brings a new key), and when the process
exits. A value that cannot be written (the database is away) is kept for the next try; a crash
loses at most those seconds of counts, which feed reports and rankings, not anybody's records.

``add_to_row`` is how a batch lands in the database: one UPDATE adding to a row's counters, an
INSERT the first time.

Values are anything ``+`` adds up: numbers (article views, kb.hits), or a dataclass with
``__add__`` (searches per query and day, kb.search.log).
"""

import atexit
import logging
import threading
import time

from django.db import DatabaseError
from django.db.models import F, Value
from django.db.models.functions import Greatest

logger = logging.getLogger(__name__)


class BatchedCounts:
    def __init__(self, name, write, seconds, max_keys=10_000):
        self.name = name  # for the log
        self._write_one = write
        self._seconds = seconds  # read at every add: a setting tests may change
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._counts = {}
        self._since = time.monotonic()
        atexit.register(self._flush_at_exit)

    def add(self, key, value=1):
        with self._lock:
            self._merge(key, value)
            due = time.monotonic() - self._since >= self._seconds()
            if not due and len(self._counts) < self._max_keys:
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

    def discard(self):
        """Forget what was counted and not written (tests)."""
        with self._lock:
            self._take()

    def _merge(self, key, value):
        self._counts[key] = self._counts[key] + value if key in self._counts else value

    def _take(self):
        counts, self._counts, self._since = self._counts, {}, time.monotonic()
        return counts

    def _write(self, counts):
        remaining = dict(counts)
        try:
            for key, value in counts.items():
                self._write_one(key, value)
                del remaining[key]
        except DatabaseError as error:
            logger.warning("%s not written yet (kept for the next try): %s", self.name, error)
            with self._lock:
                for key, value in remaining.items():
                    self._merge(key, value)

    def _flush_at_exit(self):
        try:
            self.flush()
        except Exception:  # the interpreter is going away: never fail its exit
            logger.exception("%s lost at exit", self.name)


def add_to_row(queryset, lookup, counts, latest=None):
    """Add ``counts`` to the counters of the row found by ``lookup`` (and keep the later of each
    ``latest`` value), creating the row the first time: one UPDATE, an INSERT when it is new."""
    latest = latest or {}
    fields = {name: queryset.model._meta.get_field(name) for name in latest}
    changed = queryset.filter(**lookup).update(
        **{name: F(name) + value for name, value in counts.items()},
        **{name: Greatest(name, Value(v, output_field=fields[name])) for name, v in latest.items()},
    )
    if changed:
        return
    _, created = queryset.get_or_create(**lookup, defaults={**counts, **latest})
    if not created:  # another process created the row in between
        add_to_row(queryset, lookup, counts, latest)
