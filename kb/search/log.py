"""The search log: how often each normalised query is searched per day, for the staff reports.

Searching is anonymous, so logging must not be a write per request that anyone can repeat: each
process adds searches up in memory per query and day (kb.counters) and writes them every
``KB_SEARCH_LOG_FLUSH_SECONDS``, one UPDATE of SearchQueryDay per query searched meanwhile.
A flood of one query costs one addition in memory per request. The results pages are kept by
the page cache: each one is tagged with its search (``count_searches``), and each time the cache
answers with it, its ``page_served`` signal counts the search, as kb.hits counts article views.

Clicks on a search page's results are counted the same way, per query and day
(``record_click``, SearchQueryDay.clicks): the work queue's "answered but nobody clicked".

Single searches (SearchLog: when, how many results, how long) are kept only as a sample, at most
``SAMPLES_PER_QUERY`` per query and batch, and only ``KB_SEARCH_LOG_RETENTION_DAYS`` days (0:
none). Older ones are deleted while a batch is written, at most once an hour per process (one
DELETE on the indexed ``created_at``), and by ``manage.py prune_search_log``.

Readers in trouble type their phone, ID card or bank card number into the search box ("我手机号
138… 被催收"). The log keeps what they asked, not who they are: such numbers and e-mail addresses
are redacted (kb.personal_data) before a query is counted, so they never reach memory, the
database or the staff's queue, and a click on that search lands on the same redacted row.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from kb.cache import page_served, tag_page
from kb.counters import BatchedCounts
from kb.models import SearchLog, SearchQueryDay
from kb.personal_data import redact_personal_data

from .query import normalize_query

SAMPLES_PER_QUERY = 5
PRUNE_EVERY_SECONDS = 3600
QUERY_LENGTH = SearchLog._meta.get_field("query").max_length
# The first item of a results page's tag (kb.cache.tag_page): the pages are this module's.
_RESULTS_PAGE = "kb.search.log.results"


@dataclass(frozen=True)
class Tally:
    """Searches of one query on one day, as counted in memory."""

    searches: int
    zero_results: int
    results: int
    took_ms: int
    last_at: datetime
    samples: tuple = field(default=())  # (at, result_count, took_ms) of the first few

    def __add__(self, other):
        return Tally(
            searches=self.searches + other.searches,
            zero_results=self.zero_results + other.zero_results,
            results=self.results + other.results,
            took_ms=self.took_ms + other.took_ms,
            last_at=max(self.last_at, other.last_at),
            samples=(self.samples + other.samples)[:SAMPLES_PER_QUERY],
        )


def count_searches(response, query, result_count, took_ms):
    """Count a search of ``query`` each time this results page is answered with, from the
    page cache (kb.cache) or just made: a repeated question answered from the cache is still
    a search for the staff reports."""
    tag_page(response, (_RESULTS_PAGE, query, result_count, took_ms))


def _page_served(sender, tag, **kwargs):
    if type(tag) is tuple and len(tag) == 4 and tag[0] == _RESULTS_PAGE:
        record(*tag[1:])


def connect():
    page_served.connect(_page_served, dispatch_uid="kb-search-log-results-pages")


def record(query, result_count, took_ms, at=None):
    """Count one search of ``query`` (normalised), which found ``result_count`` results."""
    at = at or timezone.now()
    sample = ((at, result_count, took_ms),) if settings.KB_SEARCH_LOG_RETENTION_DAYS else ()
    tally = Tally(1, int(result_count == 0), result_count, took_ms, at, sample)
    searches.add((logged_form(query), timezone.localdate(at)), tally)


def logged_form(query):
    """What the log keeps of a normalised query: personal numbers redacted, cut to the field."""
    return redact_personal_data(query)[:QUERY_LENGTH]


def _write(key, tally):
    query, day = key
    _prune_when_due()
    SearchQueryDay.objects.record(
        query,
        day,
        searches=tally.searches,
        zero_results=tally.zero_results,
        results=tally.results,
        took_ms=tally.took_ms,
        last_at=tally.last_at,
    )
    SearchLog.objects.bulk_create(
        SearchLog(query=query, result_count=count, took_ms=took_ms, created_at=at)
        for at, count, took_ms in tally.samples
    )


def record_click(query, at=None):
    """Count a reader's click on a result of a search for ``query`` (as typed or as the search
    page shows it: normalised here as the search normalised it, so both land on its row)."""
    text = logged_form(normalize_query(query)[0]) if isinstance(query, str) else ""
    if text:
        at = at or timezone.now()
        clicks.add((text, timezone.localdate(at)), ClickTally(1, at))


@dataclass(frozen=True)
class ClickTally:
    clicks: int
    last_at: datetime

    def __add__(self, other):
        return ClickTally(self.clicks + other.clicks, max(self.last_at, other.last_at))


def _write_clicks(key, tally):
    query, day = key
    SearchQueryDay.objects.record_clicks(query, day, clicks=tally.clicks, at=tally.last_at)


def prune():
    """Delete the single searches older than the retention; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.KB_SEARCH_LOG_RETENTION_DAYS)
    deleted, _ = SearchLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted


_last_prune = None


def _prune_when_due():
    global _last_prune
    now = time.monotonic()
    if _last_prune is None or now - _last_prune >= PRUNE_EVERY_SECONDS:
        prune()
        _last_prune = now


searches = BatchedCounts("search log", _write, seconds=lambda: settings.KB_SEARCH_LOG_FLUSH_SECONDS)
clicks = BatchedCounts(
    "search clicks", _write_clicks, seconds=lambda: settings.KB_SEARCH_LOG_FLUSH_SECONDS
)
