"""The search's own models, next to the search code: the synonyms staff keep, the documents the
full-text index reads, the index's state, and the log of searches (a sample of single searches and the daily counts
per query the staff reports read). App label ``kb`` like the rest (their tables are ``kb_*``,
and the migrations are kb's); kb.models imports them so that Django registers them.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.counters import add_to_row


class Synonym(models.Model):
    """A reader's way of saying something, mapped to the words the articles use.

    Search adds the expansions to a query containing ``phrase`` (kb.search.query): 还不了 -> 无法还款.
    """

    phrase = models.CharField(
        _("读者说法"),
        max_length=50,
        unique=True,
        help_text=_("读者可能输入的词或口语，例如：还不了、没钱、拉黑。"),
    )
    expansions = models.CharField(
        _("对应的标准说法"),
        max_length=200,
        help_text=_("文章中使用的词，多个用空格分隔，例如：无法还款 还款失败。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        app_label = "kb"
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["phrase"]

    def __str__(self):
        return f"{self.phrase} → {self.expansions}"

    @property
    def expansion_list(self):
        return [
            word for word in self.expansions.replace("，", " ").replace(",", " ").split() if word
        ]


class SearchDocument(models.Model):
    """One searchable unit: a cause (with its article as context) or a whole article.

    The display texts feed snippets and the final ranking; the ``*_tokens`` columns are the
    analyzer's output (kb.search.analyzer), which the database's own full-text index reads:
    an FTS5 table kept in sync by triggers on SQLite, a weighted tsvector column with a GIN index
    on PostgreSQL (see the migration). Rows are written only by kb.search.indexer.
    """

    class Kind(models.TextChoices):
        CAUSE = "cause", _("原因")
        ARTICLE = "article", _("文章")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    article = models.ForeignKey(
        "kb.Article", verbose_name=_("文章"), on_delete=models.CASCADE, related_name="+"
    )
    cause = models.ForeignKey(
        "kb.Cause", verbose_name=_("原因"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    title = models.TextField(_("标题"))
    context = models.TextField(_("上下文"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    title_tokens = models.TextField(blank=True)
    context_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    ngram_tokens = models.TextField(blank=True)
    title_pinyin = models.TextField(blank=True)
    context_pinyin = models.TextField(blank=True)
    analyzer_version = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "kb"
        verbose_name = _("搜索文档")
        verbose_name_plural = _("搜索文档")
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(cause__isnull=True),
                name="kb_searchdoc_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["cause"],
                condition=Q(cause__isnull=False),
                name="kb_searchdoc_one_per_cause",
            ),
        ]

    def __str__(self):
        return self.title


class SearchIndexState(models.Model):
    """A single row: which analyzer built the index, and a generation bumped on every change
    (cached statistics such as document frequencies are keyed on it)."""

    analyzer_version = models.PositiveSmallIntegerField(default=0)
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        app_label = "kb"
        verbose_name = _("搜索索引状态")
        verbose_name_plural = _("搜索索引状态")

    def __str__(self):
        return f"analyzer v{self.analyzer_version}, generation {self.generation}"


class SearchLog(models.Model):
    """A sample of single searches (when, how many results, how long), kept
    ``KB_SEARCH_LOG_RETENTION_DAYS``; the reports count SearchQueryDay. Holds no IP address or
    other personal data. Written in batches by kb.search.log."""

    query = models.CharField(_("查询（规范化）"), max_length=200, db_index=True)
    result_count = models.PositiveIntegerField(_("结果数"))
    took_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    # Not auto_now_add: a sample is written in a batch, after the search it records.
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("搜索记录")
        verbose_name_plural = _("搜索记录")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.query}（{self.result_count}）"


class SearchQueryDayQuerySet(models.QuerySet):
    def record(self, query, day, *, searches, zero_results, results, took_ms, last_at):
        """Add a batch of one query's searches to its day: one UPDATE, an INSERT once a day."""
        add_to_row(
            self,
            {"query": query, "day": day},
            {
                "searches": searches,
                "zero_results": zero_results,
                "results": results,
                "took_ms": took_ms,
            },
            latest={"last_at": last_at},
        )

    def record_clicks(self, query, day, *, clicks, at):
        """Add a batch of clicks on the results of one query to its day. The search they follow
        may still be counted in another process's memory: then the row is made here, and that
        search is added to it when its batch is written."""
        add_to_row(self, {"query": query, "day": day}, {"clicks": clicks}, latest={"last_at": at})


class SearchQueryDay(models.Model):
    """How often one (normalised) query was searched on one day, and how it went: what the
    staff reports (kb.reports) read. Counts only; nothing about the readers."""

    query = models.CharField(_("查询（规范化）"), max_length=200)
    day = models.DateField(_("日期"), db_index=True)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)
    results = models.PositiveBigIntegerField(
        _("结果数合计"), default=0, help_text=_("除以搜索次数即平均结果数。")
    )
    took_ms = models.PositiveBigIntegerField(
        _("耗时合计（毫秒）"), default=0, help_text=_("除以搜索次数即平均耗时。")
    )
    clicks = models.PositiveIntegerField(
        _("点击次数"), default=0, help_text=_("读者点了这个查询的搜索结果的次数。")
    )
    last_at = models.DateTimeField(_("最近一次"), help_text=_("最近一次搜索（或点击结果）的时间。"))

    objects = SearchQueryDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("每日搜索统计")
        verbose_name_plural = _("每日搜索统计")
        ordering = ["-day", "-searches"]
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="kb_searchqueryday_unique_day"),
        ]

    def __str__(self):
        return f"{self.query} {self.day}：{self.searches}"
