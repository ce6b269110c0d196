"""What an article was and may become, besides django-reversion's history (kb.history):

- ``ArticleDraft``: changes an editor proposed to a published article. Readers keep the live
  article; the draft is the whole article as the editor saved it (article, causes, remedies),
  serialized as reversion serializes a version, until a publisher publishes or returns it
  (kb.drafts).
- ``ArticleSlug``: slugs an article had before, so its old URLs redirect to the current one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Article


class ArticleDraft(models.Model):
    """The one pending draft of a published article (at most one: a second save updates it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")

    article = models.OneToOneField(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="pending_draft"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    serialized = models.TextField(
        _("内容"), editable=False, help_text=_("整篇文章（含原因和办法）的 JSON，格式同历史版本。")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    based_on = models.DateTimeField(
        _("基于"), help_text=_("草稿开始时已发布版本的更新时间：之后若有人直接修改，会提醒。")
    )
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("待发布的修改")
        verbose_name_plural = _("待发布的修改")
        ordering = ["-submitted_at", "-updated_at"]

    def __str__(self):
        return str(_("《%(title)s》的修改") % {"title": self.article.title})


class ArticleSlug(models.Model):
    """An article's former slug: /articles/<old>/ answers 301 to the article's current URL."""

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="old_slugs"
    )
    slug = models.SlugField(_("旧网址名"), max_length=100, unique=True)
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("旧网址")
        verbose_name_plural = _("旧网址")
        ordering = ["-changed_at"]

    def __str__(self):
        return self.slug

    @classmethod
    def remember(cls, article, old_slug):
        """Keep ``old_slug`` for ``article``; its current slug is no longer an old one."""
        cls.objects.filter(slug=article.slug).delete()
        cls.objects.update_or_create(slug=old_slug, defaults={"article": article})
