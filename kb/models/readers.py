"""What readers leave behind: article views and search clicks per day (ArticleHits, for the hot
questions) and feedback votes (Feedback). Counts and votes only: no IP address or other
personal data."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.counters import add_to_row
from kb.personal_data import redact_personal_data

from .content import Article, Cause, Remedy


class ArticleHitsQuerySet(models.QuerySet):
    def record(self, article, *, views=0, search_clicks=0):
        """Count views or search clicks of an article (or its id) for today: one cheap UPDATE,
        an INSERT once a day."""
        lookup = {"article_id": getattr(article, "pk", article), "day": timezone.localdate()}
        add_to_row(self, lookup, {"views": views, "search_clicks": search_clicks})

    def record_view(self, article):
        self.record(article, views=1)

    def record_search_click(self, article):
        """For the search: a reader chose this article (or one of its causes) in the results."""
        self.record(article, search_clicks=1)


class ArticleHits(models.Model):
    """How often an article was read and chosen from search results, per day: feeds the hot
    questions. Counts only; nothing about the reader."""

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="hits"
    )
    day = models.DateField(_("日期"))
    views = models.PositiveIntegerField(_("阅读次数"), default=0)
    search_clicks = models.PositiveIntegerField(_("搜索点击次数"), default=0)

    objects = ArticleHitsQuerySet.as_manager()

    class Meta:
        verbose_name = _("阅读统计")
        verbose_name_plural = _("阅读统计")
        ordering = ["-day", "article"]
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="kb_articlehits_unique_day"),
        ]

    def __str__(self):
        return f"{self.article} {self.day}：{self.views} / {self.search_clicks}"


class FeedbackQuerySet(models.QuerySet):
    def on_articles_and_causes(self):
        """Votes on an article or a cause, not on one of its remedies: what says whether an
        article helped (rankings, charts, the work queue). A remedy's vote judges one step of
        advice; counted there too, one reader voting on three steps would count three times."""
        return self.filter(remedy=None)

    def summary(self):
        """One row per article, cause and remedy (``cause_id`` None: the article itself;
        ``remedy_id`` None: the cause as a whole) with ``helpful_votes``, ``unhelpful_votes``,
        ``comments`` and ``votes`` counts, most votes first. For staff reports; filter first to
        narrow (``Feedback.objects.filter(...)``)."""
        return (
            self.values(
                "article_id",
                "article__title",
                "article__slug",
                "cause_id",
                "cause__position",
                "cause__title",
                "remedy_id",
                "remedy__position",
                "remedy__text",
            )
            .annotate(
                helpful_votes=Count("pk", filter=Q(helpful=True)),
                unhelpful_votes=Count("pk", filter=Q(helpful=False)),
                comments=Count("pk", filter=~Q(comment="")),
                votes=Count("pk"),
            )
            .order_by("-votes", "article__title", "cause__position", "remedy__position")
        )


class Feedback(models.Model):
    """One reader's vote on an article (这篇文章有帮助吗？), on a cause's remedies (这个办法解决了
    吗？) or on one of those remedies (这一步有用吗？: ``remedy``, with its ``cause``).

    Anonymous: ``visitor`` is a keyed hash of a random id kept in the reader's signed cookie,
    never an IP address. One vote per visitor and item; voting again changes the vote. The
    rules a vote must meet are kb.feedback's (FeedbackForm), for every kind alike.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="feedback"
    )
    cause = models.ForeignKey(
        Cause,
        verbose_name=_("原因"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("留空表示对整篇文章的评价。"),
    )
    remedy = models.ForeignKey(
        Remedy,
        verbose_name=_("解决办法"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("对原因下某一条办法的评价；留空表示对整个原因或整篇文章的评价。"),
    )
    helpful = models.BooleanField(_("有帮助"))
    comment = models.CharField(_("补充说明"), max_length=200, blank=True)
    visitor = models.CharField(
        _("匿名访客"), max_length=64, editable=False, help_text=_("访客匿名标识的散列值。")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Staff follow-up: a comment read and dealt with, and personal data taken out of it.
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    redacted_at = models.DateTimeField(
        _("隐去个人信息的时间"),
        null=True,
        blank=True,
        help_text=_("补充说明中的手机号、证件号、银行卡号和邮箱已被替换。"),
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("读者反馈")
        verbose_name_plural = _("读者反馈")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "visitor"],
                condition=Q(cause__isnull=True),
                name="kb_feedback_one_vote_per_article",
            ),
            models.UniqueConstraint(
                fields=["cause", "visitor"],
                condition=Q(cause__isnull=False, remedy__isnull=True),
                name="kb_feedback_one_vote_per_cause",
            ),
            models.UniqueConstraint(
                fields=["remedy", "visitor"],
                condition=Q(remedy__isnull=False),
                name="kb_feedback_one_vote_per_remedy",
            ),
            # A remedy's vote names its cause too (the general advice is not voted on).
            models.CheckConstraint(
                condition=Q(remedy__isnull=True) | Q(cause__isnull=False),
                name="kb_feedback_remedy_has_cause",
            ),
        ]

    def __str__(self):
        target = self.remedy or self.cause or self.article
        return f"{target}：{'有帮助' if self.helpful else '没帮助'}"

    def redact(self):
        """Take phone numbers, ID and card numbers and e-mail addresses out of the comment;
        True if anything was taken out."""
        redacted = redact_personal_data(self.comment)
        if redacted == self.comment:
            return False
        self.comment = redacted
        self.redacted_at = timezone.now()
        return True
