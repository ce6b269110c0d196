"""Read-only reports for staff (admin: 报表): what readers search for, which articles are due
for review, and what readers say of them. What readers do not find is the search work queue's
(kb.work_queue; the old 无结果搜索 report's address leads there).

Each report is a function from a period to a table, registered with ``@report(...)``; the admin
site (kb.admin_site) lists and renders whatever is registered, so a new report is one function
here and nothing else.

Reader feedback (Feedback.objects.summary()) is the third report: helpful / not helpful per
article, cause and remedy (each cause's remedies under it), least helpful first, with the
readers' comments and whether staff handled or redacted them.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import F, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .history import display_name
from .models import Article, Feedback, SearchQueryDay
from .search import log as search_log

PERIODS = {7: _("最近 7 天"), 30: _("最近 30 天"), 90: _("最近 90 天"), 365: _("最近一年")}
DEFAULT_PERIOD = 30
ROW_LIMIT = 100


@dataclass
class Cell:
    text: str
    url: str = ""
    items: list = field(default_factory=list)  # more cells, listed under the text


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    summary: str = ""
    empty: str = _("这段时间没有记录。")


@dataclass
class Report:
    slug: str
    title: str
    description: str
    permission: str
    build: object  # (days) -> Table
    uses_period: bool = True


REPORTS = {}


def report(slug, title, description, permission, uses_period=True):
    def register(build):
        REPORTS[slug] = Report(slug, title, description, permission, build, uses_period)
        return build

    return register


def visible_reports(user):
    return [r for r in REPORTS.values() if user.has_perm(r.permission)]


def _since(days):
    return timezone.now() - timedelta(days=days)


def _article_search_url(query):
    """The article list searched for the query: where an editor checks what exists."""
    return f"{reverse('admin:kb_article_changelist')}?{urlencode({'q': query})}"


def _searches(days):
    """The daily search counts of the period, this process's latest included (other processes
    write theirs within KB_SEARCH_LOG_FLUSH_SECONDS)."""
    search_log.searches.flush()
    search_log.clicks.flush()
    first_day = timezone.localdate() - timedelta(days=days - 1)
    # A day of a query with clicks but no search (the beacon names its query; a search counted
    # in another process's memory shows within a flush) is no search anyone made.
    return SearchQueryDay.objects.filter(day__gte=first_day, searches__gt=0)


@report(
    "top-searches",
    _("热门搜索"),
    _("读者搜索最多的词，以及其中没有结果的比例。"),
    "kb.view_searchlog",
)
def top_searches(days):
    counts = _searches(days)
    totals = counts.aggregate(total=Sum("searches"), zero=Sum("zero_results"))
    rows = (
        counts.values("query")
        .annotate(
            searches=Sum("searches"),
            zero=Sum("zero_results"),
            results=Sum("results"),
            last=Max("last_at"),
        )
        .order_by("-searches", "query")[:ROW_LIMIT]
    )
    return Table(
        columns=[_("查询"), _("次数"), _("无结果次数"), _("平均结果数"), _("最近一次")],
        rows=[
            [
                Cell(row["query"], _article_search_url(row["query"])),
                Cell(str(row["searches"])),
                Cell(str(row["zero"])),
                # A query whose rows of the period hold only clicks (searched the day before).
                Cell(f"{row['results'] / row['searches']:.1f}" if row["searches"] else "-"),
                Cell(_local(row["last"])),
            ]
            for row in rows
        ],
        summary=_("共 %(total)s 次搜索，其中 %(zero)s 次没有结果。")
        % {"total": totals["total"] or 0, "zero": totals["zero"] or 0},
    )


@report(
    "due-for-review",
    _("待复核文章"),
    _("从未复核或超过复核周期的文章，最久没复核的在前。"),
    "kb.view_article",
    uses_period=False,
)
def due_for_review(days=None):
    articles = (
        Article.objects.due_for_review()
        .select_related("category", "category__parent")
        .order_by(F("reviewed_at").asc(nulls_first=True), "updated_at")
    )
    return Table(
        columns=[_("文章"), _("分类"), _("状态"), _("上次复核"), _("更新于")],
        rows=[
            [
                Cell(article.title, reverse("admin:kb_article_change", args=[article.pk])),
                Cell(str(article.category)),
                Cell(str(article.get_status_display())),
                Cell(_local(article.reviewed_at) or str(_("从未"))),
                Cell(_local(article.updated_at)),
            ]
            for article in articles
        ],
        empty=_("所有文章都在复核周期内。"),
    )


@report(
    "feedback",
    _("读者反馈"),
    _(
        "每篇文章、每个原因和原因下每个办法的“有帮助 / 没帮助”票数，以及读者的补充说明和处理情况；"
        "没帮助的比例高的在前，每个原因的办法列在原因下面。"
    ),
    "kb.view_feedback",
)
def feedback_by_article(days):
    votes = Feedback.objects.filter(created_at__gte=_since(days))
    groups = {}
    for row in votes.summary():
        group = groups.setdefault(
            (row["article_id"], row["cause_id"]), {"head": None, "remedies": []}
        )
        if row["remedy_id"] is None:
            group["head"] = row
        else:
            group["remedies"].append(row)
    comments = _comments(votes)
    ordered = sorted(groups.values(), key=_least_helpful_first)[:ROW_LIMIT]
    rows = []
    for group in ordered:
        head = group["head"] or {**group["remedies"][0], "remedy_id": None, "votes": 0}
        rows.append(_feedback_row(head, comments))
        for remedy in sorted(group["remedies"], key=lambda r: r["remedy__position"]):
            rows.append(_feedback_row(remedy, comments))
    return Table(
        columns=[
            *(_("文章"), _("原因"), _("办法"), _("有帮助"), _("没帮助")),
            *(_("没帮助比例"), _("补充说明")),
        ],
        rows=rows,
        empty=_("这段时间没有读者反馈。"),
    )


# The latest comments shown with each row; the rest are in 读者反馈 (kb.admin.readers).
COMMENTS_PER_ROW = 5


def _least_helpful_first(group):
    rows = [group["head"], *group["remedies"]] if group["head"] else group["remedies"]
    votes = sum(r["votes"] for r in rows)
    return (-sum(r["unhelpful_votes"] for r in rows) / votes, -votes)


def _comments(votes):
    """The period's comments per (article, cause, remedy), latest first, with their state."""
    found = {}
    listed = votes.exclude(comment="").select_related("handled_by").order_by("-created_at")
    for feedback in listed:
        item = found.setdefault((feedback.article_id, feedback.cause_id, feedback.remedy_id), [])
        item.append(feedback)
    return found


def _comment_cell(feedback):
    state = [
        _("%(who)s 已处理") % {"who": display_name(feedback.handled_by)}
        if feedback.handled_at
        else _("未处理"),
    ]
    if feedback.redacted_at:
        state.append(_("已隐去个人信息"))
    text = f"「{feedback.comment}」（{'，'.join(str(s) for s in state)}）"
    return Cell(text, reverse("admin:kb_feedback_change", args=[feedback.pk]))


def _feedback_row(row, comments):
    if row["remedy_id"]:
        remedy = f"办法 {row['remedy__position']}：{Truncator(row['remedy__text']).chars(40)}"
    else:
        remedy = str(_("（整体）")) if row["cause_id"] else "-"
    listed = comments.get((row["article_id"], row["cause_id"], row["remedy_id"]), [])
    more = len(listed) - COMMENTS_PER_ROW
    notes = [_comment_cell(feedback) for feedback in listed[:COMMENTS_PER_ROW]]
    if more > 0:
        url = f"{reverse('admin:kb_feedback_changelist')}?{urlencode({'q': row['article__title']})}"
        notes.append(Cell(_("还有 %(n)d 条") % {"n": more}, url))
    return [
        Cell(row["article__title"], reverse("admin:kb_article_change", args=[row["article_id"]])),
        Cell(
            f"原因 {row['cause__position']}：{row['cause__title']}"
            if row["cause_id"]
            else str(_("整篇文章"))
        ),
        Cell(remedy),
        Cell(str(row["helpful_votes"]) if row["votes"] else "-"),
        Cell(str(row["unhelpful_votes"]) if row["votes"] else "-"),
        Cell(f"{row['unhelpful_votes'] / row['votes']:.0%}" if row["votes"] else "-"),
        Cell(str(len(listed)) if listed else "", items=notes),
    ]


def _local(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""
