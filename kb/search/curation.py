"""What staff decide about readers' queries: best bets (this query is answered by that article
or cause) and queries marked out of scope (the work queue stops showing them). Models of app
``kb``; kb.models imports them so that Django registers them.

A best bet's ``key`` is its phrase as every query is compared: the analyzer's normalize()
(full/half width, traditional/simplified, case) without spaces or punctuation.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .analyzer import normalize

_NOT_WORD = re.compile(r"[\W_]+")


def match_key(text):
    """The form queries and phrases are compared in: 「花唄 還款？」 and 「花呗还款」 are one."""
    return _NOT_WORD.sub("", normalize(text))


class BestBet(models.Model):
    """For a query equal to or containing ``phrase``, ``article`` (or its ``cause``) is the
    first result (kb.search.best_bets)."""

    phrase = models.CharField(
        _("读者的查询"),
        max_length=100,
        help_text=_(
            "查询等于或包含这个词时，下面的文章或原因排在第一位。繁简、全半角、空格和标点不影响匹配。"
        ),
    )
    key = models.CharField(max_length=100, unique=True, editable=False)
    article = models.ForeignKey(
        "kb.Article", verbose_name=_("文章"), on_delete=models.CASCADE, related_name="best_bets"
    )
    cause = models.ForeignKey(
        "kb.Cause",
        verbose_name=_("原因"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="best_bets",
        help_text=_("留空则指向整篇文章；选择时必须是上面文章的原因。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        app_label = "kb"
        verbose_name = _("最佳答案")
        verbose_name_plural = _("最佳答案")
        ordering = ["phrase"]

    def __str__(self):
        return f"{self.phrase} → {self.cause or self.article}"

    def save(self, *args, **kwargs):
        self.key = match_key(self.phrase)
        super().save(*args, **kwargs)

    def clean(self):
        self.key = match_key(self.phrase)
        if not self.key:
            raise ValidationError({"phrase": _("这个查询去掉空格和标点后什么也不剩。")})
        if self.cause_id and self.article_id and self.cause.article_id != self.article_id:
            raise ValidationError({"cause": _("这个原因不属于所选的文章。")})
        others = BestBet.objects.filter(key=self.key).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"phrase": _("已有一条相同查询的最佳答案。")})


class OutOfScopeQuery(models.Model):
    """A query the help centre will not answer (not about its products): it leaves the work
    queue until this row is deleted."""

    query = models.CharField(
        _("查询"), max_length=200, unique=True, help_text=_("规范化后的查询，与工作队列中一致。")
    )
    note = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        app_label = "kb"
        verbose_name = _("不在范围内的查询")
        verbose_name_plural = _("不在范围内的查询")
        ordering = ["query"]

    def __str__(self):
        return self.query

    def save(self, *args, **kwargs):
        self.query = match_key(self.query)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:kb_search_queue")
