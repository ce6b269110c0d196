"""The staff charts (admin: 图表) as numbers and as the geometry of server-rendered SVG bar
charts: searches per day, the share of searches without an answer, and helpful votes per
article per week. No chart library and no script: the template draws the bars this computes,
coloured by CSS classes (the CSP allows no inline style), each chart with its table of numbers.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from .models import Feedback
from .work_queue import searches_since

# The SVG scales to its box: on a 390 px phone a 640-unit chart shows 16-unit text at ~10 px.
WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP = 64, 32, 14
TOP_ARTICLES = 5


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[str]]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, value) of the grid
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x, text) under the bars
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: float = HEIGHT - BOTTOM
    left: int = LEFT


def _geometry(chart, values, labels, top_value, format_value):
    """Bars for ``values`` scaled to ``top_value``, a grid of three ticks, and a label under
    the first, middle and last bar (all that fit on a phone)."""
    plot_width, plot_height = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    top_value = top_value or 1
    step = plot_width / max(len(values), 1)
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        height = plot_height * value / top_value
        chart.bars.append(
            Bar(
                x=round(LEFT + index * step + step * 0.1, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(max(step * 0.8, 1), 1),
                height=round(height, 1),
                label=f"{label}：{format_value(value)}",
            )
        )
    chart.ticks = [
        (round(TOP + plot_height * (1 - share), 1), format_value(top_value * share))
        for share in (0, 0.5, 1)
    ]
    shown = sorted({0, len(values) // 2, len(values) - 1}) if values else []
    chart.labels = [(round(LEFT + i * step + step / 2, 1), labels[i]) for i in shown]
    return chart


def _days(days):
    first_day, counts = searches_since(days)
    by_day = {
        row["day"]: row
        for row in counts.values("day").annotate(s=Sum("searches"), z=Sum("zero_results"))
    }
    every_day = [first_day + timedelta(days=n) for n in range(days)]
    return [(d, by_day.get(d, {}).get("s", 0), by_day.get(d, {}).get("z", 0)) for d in every_day]


def _short(day):
    return date_format(day, "m-d")


def searches_per_day(days):
    counts = _days(days)
    chart = Chart(
        slug="searches",
        title="每天的搜索次数",
        description=f"最近 {days} 天每天的搜索次数，共 {sum(c[1] for c in counts)} 次。",
        columns=["日期", "搜索次数", "无结果次数"],
        rows=[[_short(d), str(s), str(z)] for d, s, z in counts],
    )
    values = [s for _, s, _ in counts]
    return _geometry(chart, values, [_short(d) for d, _, _ in counts], max(values, default=0), str)


def share_without_answer(days):
    counts = _days(days)
    shares = [z / s if s else 0.0 for _, s, z in counts]
    searched = sum(c[1] for c in counts)
    overall = sum(c[2] for c in counts) / searched if searched else 0
    chart = Chart(
        slug="no-answer",
        title="没有结果的搜索所占比例",
        description=f"最近 {days} 天每天没有结果的搜索占当天搜索的比例，总体 {overall:.0%}。",
        columns=["日期", "无结果比例", "搜索次数"],
        rows=[
            [_short(d), f"{share:.0%}", str(s)]
            for (d, s, _), share in zip(counts, shares, strict=True)
        ],
    )
    return _geometry(chart, shares, [_short(d) for d, _, _ in counts], 1.0, lambda v: f"{v:.0%}")


def helpful_votes_per_article(days):
    """One chart per article with the most votes in the period: helpful votes per week."""
    since = timezone.now() - timedelta(days=days)
    votes = Feedback.objects.on_articles_and_causes().filter(created_at__gte=since)
    top = list(
        votes.values("article_id", "article__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "article__title")[:TOP_ARTICLES]
    )
    first_day = timezone.localdate() - timedelta(days=days - 1)
    weeks = [first_day + timedelta(days=n) for n in range(0, days, 7)]
    charts = []
    for article in top:
        per_day = (
            votes.filter(article_id=article["article_id"])
            .annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(
                helpful_votes=Count("pk", filter=Q(helpful=True)),
                unhelpful_votes=Count("pk", filter=Q(helpful=False)),
            )
        )
        helpful, unhelpful = [0] * len(weeks), [0] * len(weeks)
        for row in per_day:
            week = min(max((row["day"] - first_day).days // 7, 0), len(weeks) - 1)
            helpful[week] += row["helpful_votes"]
            unhelpful[week] += row["unhelpful_votes"]
        labels = [f"{_short(w)} 起" for w in weeks]
        chart = Chart(
            slug=f"votes-{article['article_id']}",
            title=f"“{article['article__title']}”每周的有帮助票数",
            description=f"最近 {days} 天：有帮助 {sum(helpful)} 票，没帮助 {sum(unhelpful)} 票。",
            columns=["周", "有帮助", "没帮助"],
            rows=[
                [label, str(h), str(u)]
                for label, h, u in zip(labels, helpful, unhelpful, strict=True)
            ],
        )
        charts.append(_geometry(chart, helpful, labels, max(helpful, default=0), str))
    return charts
