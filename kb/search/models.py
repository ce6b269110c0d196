"""The search's own models, next to the search code: the synonyms staff keep, the documents the
full-text index reads, and the index's state. App label ``kb`` like the rest (their tables are
``kb_*``, and the migrations are kb's); kb.models imports them so that Django registers them.
SearchLog, the log of searches, stays in kb.models with the other reports' data.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
