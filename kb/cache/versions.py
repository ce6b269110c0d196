"""Content versions per scope: what tells a cached page that what it shows has changed.

A scope is a name for something pages show (``article:12``, ``category:3``, ``catalog``; the
names are the caller's, see kb.signals). While a page is made, whatever it shows says so
(``depends_on``); its entry records the version of each such scope as it was when the page
was begun, and it is current only while every one of them still is (``is_current``). A change
bumps the scopes it touches (``bump``): only the pages that showed them are made again. The
scope ``*`` is part of every page: ``bump_content_version()`` makes every page again.

The versions' source of truth is a store every server shares (``KB_CONTENT_VERSION_STORE``:
the database, kb.content_versions), written in the transaction of the change: a bump cannot
be lost to a cache that was away. Each process keeps the versions in memory and asks the store
what changed at most once every ``KB_CONTENT_VERSION_CHECK_SECONDS``, and only when it has a
cached page to check (a change made in the process itself is known at once): a cached page
costs no query, and a change made elsewhere shows within that time. If the store cannot be
read (the database is away), the versions known stay in use and it is asked again later.

Versions are microseconds since the epoch. A process asks for the rows changed since a little
before the newest version it knows (``LOOKBACK``), so that a change written a moment before
another but committed after it is not missed, and reads every row now and then
(``FULL_READ_SECONDS``) in case a transaction took longer than that and its process died
before it could write its version again once committed (kb.signals writes it twice).
"""

import contextvars
import threading
import time
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.module_loading import import_string

EVERYTHING = "*"
LOOKBACK = 10_000_000  # microseconds
FULL_READ_SECONDS = 60

_clock = time.monotonic


class VersionStore(Protocol):
    def changed_since(self, version: int | None) -> Iterable[tuple[str, int]]:
        """(scope, version) of the scopes changed after ``version`` (None: every scope)."""

    def save(self, versions: dict[str, int]) -> None:
        """Write these versions, in the caller's transaction."""


class Known:
    """The versions as this process knows them: a dict never changed in place (a request
    keeps the one it began with), and a generation that grows each time it is replaced."""

    def __init__(self):
        self.versions = {}
        self.generation = 0
        self.newest = None  # the newest version read from the store
        self.check_after = 0.0  # _clock() time
        self.full_read_after = 0.0
        self.lock = threading.Lock()

    def merge(self, changes, replace=False):
        with self.lock:
            versions = {} if replace else dict(self.versions)
            versions.update(changes)
            if versions != self.versions:
                self.versions = versions
                self.generation += 1


_known = Known()


def forget():
    """Forget every version known here: the next check reads them all from the store (the
    tests do so after rolling the database back)."""
    global _known
    _known = Known()


def _store():
    return import_string(settings.KB_CONTENT_VERSION_STORE)()


def snapshot():
    """(versions, generation) as known now, without asking the store."""
    return _known.versions, _known.generation


def for_new_page():
    """(versions, generation) to record a page being made at: those known, without waiting on
    the store (a stale one only costs the page being made again at its next check), unless
    this process never read them yet."""
    return current() if _known.newest is None else snapshot()


def current():
    """(versions, generation), asking the store first if the check interval has passed. One
    thread asks while the others go on with what is known."""
    now = _clock()
    if now >= _known.check_after and _known.lock.acquire(blocking=False):
        try:
            full = now >= _known.full_read_after or _known.newest is None
            since = None if full else _known.newest - LOOKBACK
            try:
                rows = list(_store().changed_since(since))
            except DatabaseError:
                rows = None
            interval = settings.KB_CONTENT_VERSION_CHECK_SECONDS
            _known.check_after = _clock() + interval
            if rows is not None and full:
                _known.full_read_after = _clock() + FULL_READ_SECONDS
        finally:
            _known.lock.release()
        if rows is not None:
            if rows:
                newest = max(version for _, version in rows)
                _known.newest = max(newest, _known.newest or 0)
            _known.merge(rows, replace=full)
    return snapshot()


_last_made = 0
_made_lock = threading.Lock()


def _new_version():
    # Microseconds since the epoch, growing within the process even if the clock steps back.
    global _last_made
    with _made_lock:
        _last_made = max(time.time_ns() // 1000, _last_made + 1)
        return _last_made


def bump(*scopes):
    """These scopes changed: write new versions to the store (in the caller's transaction) and
    know them here at once. Returns the versions written."""
    version = _new_version()
    versions = dict.fromkeys(scopes, version)
    _store().save(versions)
    _known.merge(versions)
    return versions


# Scopes to bump again once the current transaction commits, per thread: a transaction that
# saves thousands of records (an import) writes them once, not once per save.
_to_bump = threading.local()


def _bump_committed():
    scopes = getattr(_to_bump, "scopes", None)
    _to_bump.scopes = set()
    if scopes:
        bump(*scopes)


def bump_when_committed(*scopes):
    """Bump now and again once the transaction commits: a page made from the old rows while the
    transaction was open is not kept as current (kb.signals). The first callback to run bumps
    every scope waiting, the others find nothing left (a rolled-back transaction's scopes are
    bumped with the next commit: harmless)."""
    bump(*scopes)
    if not hasattr(_to_bump, "scopes"):
        _to_bump.scopes = set()
    _to_bump.scopes.update(scopes)
    transaction.on_commit(_bump_committed, robust=True)


def bump_content_version():
    """Every cached page is made again: after a change no signal tells (``update()``,
    ``bulk_create()``) or one that touches everything."""
    bump_when_committed(EVERYTHING)


def is_current(recorded, versions):
    """Whether ``recorded`` (scope -> version, from an entry) is what ``versions`` knows."""
    return all(versions.get(scope, 0) == version for scope, version in recorded.items())


# The scopes the page being made showed (a set), while the page cache makes one.
_shown = contextvars.ContextVar("kb_page_scopes", default=None)


def depends_on(*scopes):
    """The page being made shows these scopes (nothing happens when no page is being made)."""
    shown = _shown.get()
    if shown is not None:
        shown.update(scopes)


def recording():
    """Start recording what a page shows; returns the token for ``recorded``."""
    return _shown.set({EVERYTHING})


def recorded(token):
    """Stop recording: the scopes the page showed."""
    shown = _shown.get()
    _shown.reset(token)
    return shown
