"""The search log: searches counted per query and day in memory, written in batches, single
searches kept only as a sample for KB_SEARCH_LOG_RETENTION_DAYS. Runs on SQLite and PostgreSQL."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kb.counters import BatchedCounts
from kb.models import SearchLog, SearchQueryDay
from kb.search import log as search_log

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_flood_of_one_query_costs_a_handful_of_writes_and_is_all_counted(
    client, editor_client, imported, settings
):
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 3600
    with CaptureQueriesContext(connection) as queries:
        for _ in range(1000):
            assert client.get("/api/search", {"q": "花呗还款失败"}).status_code == 200
        assert not SearchQueryDay.objects.exists()  # counted in memory so far
        search_log.searches.flush()
    # At most: the hourly prune, the day's UPDATE, its first INSERT, one INSERT of the samples.
    assert len(writes(queries.captured_queries)) <= 4, writes(queries.captured_queries)
    day = SearchQueryDay.objects.get()
    assert (day.query, day.searches, day.zero_results) == ("花呗还款失败", 1000, 0)
    assert SearchLog.objects.count() == search_log.SAMPLES_PER_QUERY
    page = editor_client.get(reverse("admin:report", args=["top-searches"])).content.decode()
    assert "共 1000 次搜索，其中 0 次没有结果。" in page
    assert "<td>1000</td><td>0</td>" in page.replace("\n", "")


def test_the_reports_include_searches_not_written_yet(client, editor_client, imported, settings):
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 3600
    for _ in range(3):
        client.get("/search/", {"q": "xyzzyq"})
    page = editor_client.get(reverse("admin:kb_search_queue")).content.decode()
    assert "xyzzyq" in page and '<td data-label="无结果次数">3</td>' in page


def test_each_query_and_day_is_one_row(imported):
    now = timezone.now()
    search_log.record("花呗", 3, took_ms=10, at=now)
    search_log.record("花呗", 0, took_ms=30, at=now)
    search_log.record("花呗", 5, took_ms=20, at=now - timedelta(days=1))
    search_log.record("白条", 1, took_ms=1, at=now)
    rows = SearchQueryDay.objects.order_by("day", "query")
    assert [(r.query, r.searches, r.zero_results, r.results, r.took_ms) for r in rows] == [
        ("花呗", 1, 0, 5, 20),
        ("白条", 1, 0, 1, 1),
        ("花呗", 2, 1, 3, 40),
    ]
    assert rows.get(query="花呗", day=timezone.localdate(now)).last_at == now


def test_single_searches_older_than_the_retention_are_pruned(settings, monkeypatch):
    settings.KB_SEARCH_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (40, 31, 29, 0):
        SearchLog.objects.create(
            query=f"{days}天前", result_count=1, created_at=now - timedelta(days)
        )
    call_command("prune_search_log")
    assert sorted(SearchLog.objects.values_list("query", flat=True)) == ["0天前", "29天前"]

    # Without the command too: a process prunes while writing its searches (at most hourly).
    monkeypatch.setattr(search_log, "PRUNE_EVERY_SECONDS", 0)
    settings.KB_SEARCH_LOG_RETENTION_DAYS = 10
    search_log.record("花呗", 1, took_ms=1)
    assert sorted(SearchLog.objects.values_list("query", flat=True)) == ["0天前", "花呗"]


def test_a_retention_of_zero_keeps_no_single_searches_but_counts_them(client, imported, settings):
    settings.KB_SEARCH_LOG_RETENTION_DAYS = 0
    SearchLog.objects.create(query="旧的", result_count=1)
    call_command("prune_search_log")
    client.get("/search/", {"q": "花呗还款"})
    assert not SearchLog.objects.exists()
    assert SearchQueryDay.objects.get().searches == 1


def test_counts_that_cannot_be_written_are_kept_for_the_next_try():
    written, failing = {}, {"b"}

    def write(key, value):
        if key in failing:
            raise OperationalError("the database went away")
        written[key] = written.get(key, 0) + value

    counts = BatchedCounts("test counts", write, seconds=lambda: 3600)
    for key in "aab":
        counts.add(key)
    counts.flush()
    assert written == {"a": 2} and counts.pending() == {"b": 1}
    failing.clear()
    counts.add("b")
    counts.flush()
    assert written == {"a": 2, "b": 2} and counts.pending() == {}


def test_many_different_keys_are_written_before_their_time_to_bound_memory():
    written = []
    counts = BatchedCounts("test counts", lambda k, v: written.append(k), lambda: 3600, max_keys=3)
    for key in "abc":
        counts.add(key)
    assert sorted(written) == ["a", "b", "c"] and counts.pending() == {}


def test_the_migration_counts_the_searches_logged_before_it():
    at = timezone.now().replace(hour=12)
    for count in (0, 2, 4):
        SearchLog.objects.create(query="花呗", result_count=count, took_ms=3, created_at=at)
    SearchLog.objects.create(query="花呗", result_count=1, created_at=at - timedelta(days=2))
    migration = importlib.import_module("kb.migrations.0012_search_query_day")
    migration.count_logged_searches(apps, None)
    rows = SearchQueryDay.objects.order_by("day")
    assert [(r.searches, r.zero_results, r.results, r.took_ms) for r in rows] == [
        (1, 0, 1, 0),
        (3, 1, 6, 9),
    ]
    assert rows.last().day == timezone.localdate(at) and rows.last().last_at == at


def test_a_phone_or_id_number_typed_into_search_is_never_logged(
    client, editor_client, imported, settings
):
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 3600
    query = "我的手机号 138 1234 5678 一直被催收"
    client.get("/search/", {"q": query})
    client.get("/api/search", {"q": "身份证110101199003071234还不了花呗"})
    search_log.record_click(query)
    page = editor_client.get(reverse("admin:kb_search_queue")).content.decode()
    search_log.searches.flush()
    search_log.clicks.flush()
    logged = [day.query for day in SearchQueryDay.objects.all()]
    logged += list(SearchLog.objects.values_list("query", flat=True))
    assert logged and not any(digits in text for text in logged for digits in ("5678", "1234"))
    assert all("［已隐去］" in text for text in logged)
    assert "5678" not in page and "1101011990" not in page
    # The click on that search lands on the search's own (redacted) row.
    assert sum(day.clicks for day in SearchQueryDay.objects.all()) == 1
    assert SearchQueryDay.objects.get(clicks=1).searches == 1
