"""The search work queue and the staff charts' numbers: what readers ask and do not find, and
how searching and feedback go over time. Read by the admin's 搜索工作队列 and 图表 pages
(kb.admin.queue, kb.admin.charts).

Queries are grouped by the form best bets compare them in (kb.search.curation.match_key), so
「花唄 還款？」 and 「花呗还款」 are one row. What a row's query finds *now* is asked of search
itself (without counting the search), so after a best bet or a synonym the row says at once
whether the query is answered; a row with a best bet also counts its searches, answers and
clicks since the day the bet was last saved.

Three lists: queries that found nothing; queries that were answered, searched often enough
(``NO_CLICK_MIN_SEARCHES``) and whose results nobody clicked (SearchQueryDay.clicks, counted by
kb.hits); and queries whose first result readers vote 没帮助 more often than 有帮助 (votes are
per article, cause and remedy, not per query: the first result *now* is the closest honest
link).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from .models import Feedback, OutOfScopeQuery, SearchQueryDay
from .search import log as search_log
from .search.best_bets import best_bet_for, best_bet_saved_at
from .search.curation import match_key
from .search.engine import search

QUEUE_LIMIT = 50
# Answered searches a query needs before "nobody clicked" says something about its results.
NO_CLICK_MIN_SEARCHES = 3


@dataclass
class QueueEntry:
    key: str
    query: str  # the most searched written form
    searches: int = 0
    zero_results: int = 0
    clicks: int = 0
    recent: int = 0  # searches in the later half of the period
    first_seen: date | None = None
    last_seen: object = None
    answered_now: bool = False
    best_bet: bool = False
    first_result: object = None  # kb.search.engine.Result
    unhelpful: bool = False
    forms: list = field(default_factory=list)  # the written forms of the query, as logged
    since_fix: object = None  # SinceFix, when a best bet answers the query

    @property
    def answered_searches(self):
        return self.searches - self.zero_results

    @property
    def trend(self):
        """上升 / 下降 / 持平 / 新: the later half of the period against the earlier one."""
        earlier = self.searches - self.recent
        if not earlier:
            return "新"
        if self.recent > earlier * 1.25:
            return "上升"
        if self.recent < earlier * 0.8:
            return "下降"
        return "持平"


def searches_since(days):
    search_log.searches.flush()  # this process's latest searches and clicks count too
    search_log.clicks.flush()
    first_day = timezone.localdate() - timedelta(days=days - 1)
    return first_day, SearchQueryDay.objects.filter(day__gte=first_day)


def _grouped(rows):
    entries, forms = {}, {}
    for row in rows:
        key = match_key(row["query"])
        if not key:
            continue
        entry = entries.setdefault(key, QueueEntry(key=key, query=row["query"]))
        forms.setdefault(key, {})[row["query"]] = row["total"]
        entry.searches += row["total"]
        entry.zero_results += row["zero"]
        entry.clicks += row["clicks"]
        entry.recent += row["recent"] or 0
        entry.first_seen = min(filter(None, [entry.first_seen, row["first"]]))
        entry.last_seen = max(filter(None, [entry.last_seen, row["last"]]))
    for key, entry in entries.items():
        entry.query = max(forms[key].items(), key=lambda item: (item[1], item[0]))[0]
        entry.forms = sorted(forms[key])
    return entries


def _unhelpful_targets(since):
    """(article slug, cause position) of what readers found unhelpful more often than
    helpful."""
    votes = (
        Feedback.objects.on_articles_and_causes()
        .filter(created_at__gte=since)
        .values("article__slug", "cause__position")
        .annotate(
            helpful_votes=Count("pk", filter=Q(helpful=True)),
            unhelpful_votes=Count("pk", filter=Q(helpful=False)),
        )
    )
    return {
        (v["article__slug"], v["cause__position"])
        for v in votes
        if v["unhelpful_votes"] > v["helpful_votes"]
    }


@dataclass
class SinceFix:
    """A query's searches since its best bet was last saved: whether the fix works."""

    day: date
    searches: int
    zero_results: int
    clicks: int

    @property
    def answered(self):
        return self.searches - self.zero_results


@dataclass
class WorkQueue:
    unanswered: list
    not_clicked: list
    unhelpful: list
    out_of_scope: list


def work_queue(days):
    """The queue for the last ``days`` days (a WorkQueue of QueueEntry lists): queries that
    found nothing at least once, most often first; queries answered at least
    ``NO_CLICK_MIN_SEARCHES`` times whose results nobody clicked; queries whose first result
    readers find unhelpful; and the queries marked out of scope (with what was searched of
    them). Out-of-scope queries are in no other list, and each query in at most one."""
    first_day, counts = searches_since(days)
    middle = first_day + timedelta(days=days // 2)
    rows = (
        counts.values("query")
        .annotate(
            total=Sum("searches"),
            zero=Sum("zero_results"),
            clicks=Sum("clicks"),
            recent=Sum("searches", filter=Q(day__gte=middle)),
            first=Min("day"),
            last=Max("last_at"),
        )
        .order_by()
    )
    entries = _grouped(rows)
    out_of_scope = set(OutOfScopeQuery.objects.values_list("query", flat=True))
    ordered = sorted(entries.values(), key=lambda e: (-e.zero_results, -e.searches, e.key))
    unanswered = [e for e in ordered if e.zero_results and e.key not in out_of_scope]
    unanswered = unanswered[:QUEUE_LIMIT]
    listed = {e.key for e in unanswered} | out_of_scope

    busiest = sorted(entries.values(), key=lambda e: (-e.searches, e.key))
    not_clicked = [
        e
        for e in busiest
        if e.key not in listed
        and not e.zero_results
        and e.answered_searches >= NO_CLICK_MIN_SEARCHES
        and not e.clicks
    ][:QUEUE_LIMIT]
    listed |= {e.key for e in not_clicked}

    since = timezone.now() - timedelta(days=days)
    targets = _unhelpful_targets(since)
    unhelpful = []
    if targets:
        for entry in busiest[: QUEUE_LIMIT * 2]:
            if entry.key in listed:
                continue
            _look_up_now(entry)
            if entry.first_result and _target(entry.first_result) in targets:
                entry.unhelpful = True
                unhelpful.append(entry)
    for entry in unanswered + not_clicked:
        _look_up_now(entry)
        _count_since_fix(entry)
    scoped_out = [entries.get(key, QueueEntry(key=key, query=key)) for key in sorted(out_of_scope)]
    return WorkQueue(unanswered, not_clicked, unhelpful[:QUEUE_LIMIT], scoped_out)


def _target(result):
    return result.article_slug, result.cause_position


def _look_up_now(entry):
    page = search(entry.query, per_page=1)
    entry.answered_now = bool(page.count)
    entry.first_result = page.results[0] if page.results else None
    entry.best_bet = best_bet_for(entry.query) is not None


def _count_since_fix(entry):
    """The entry's searches, answers and clicks from the day its best bet was saved on."""
    saved = best_bet_saved_at(entry.query)
    if saved is None or not entry.forms:
        return
    day = timezone.localdate(saved)
    totals = SearchQueryDay.objects.filter(query__in=entry.forms, day__gte=day).aggregate(
        searches=Sum("searches"), zero=Sum("zero_results"), clicks=Sum("clicks")
    )
    entry.since_fix = SinceFix(
        day, totals["searches"] or 0, totals["zero"] or 0, totals["clicks"] or 0
    )
