"""Products (花呗, 分期乐) and their topics (还款问题, 催收电话): how the help centre is
organised, and what each says to a reader who is stuck: the official route out and a safety
note. Versioned (django-reversion) like the articles."""

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# What a reader is told when nothing here solved the problem, unless staff wrote the product's
# own route: only the in-app customer service, never a number we could get wrong.
DEFAULT_OFFICIAL_ROUTE = "在「{product}」App 内找到“客服”或“帮助”，联系官方在线客服。"

# Shown with every article of a collection topic unless staff wrote its own note: only what is
# true of every lender.
DEFAULT_COLLECTION_SAFETY_NOTE = (
    "只通过「{product}」官方 App 还款，不要向任何个人账户转账；"
    "有人自称催收或客服来电时，先在官方 App 内核实对方身份，再决定是否理会。"
)
COLLECTION_WORDS = ("催收",)


@reversion.register()
class Category(models.Model):
    """A product (花呗, 分期乐) or, one level below it, a topic (还款问题, 催收电话)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属产品"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("留空表示这是一个产品；选择产品则表示这是该产品下的话题。"),
    )
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如：花呗、还款问题。"))
    slug = models.SlugField(
        _("网址名"),
        max_length=80,
        unique=True,
        help_text=_("网址中使用的英文或拼音，例如 huabei。"),
    )
    description = models.CharField(
        _("简介"), max_length=200, blank=True, help_text=_("显示在分类页和首页的一句话介绍。")
    )
    position = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面。")
    )
    official_route = models.CharField(
        _("官方求助渠道"),
        max_length=300,
        blank=True,
        help_text=_(
            "产品填写：读者在本站没解决问题时该去哪里，例如“在花呗 App 内联系官方在线客服”。"
            "不要填写未经核实的电话号码。留空则提示读者在该产品 App 内联系官方客服。"
        ),
    )
    official_route_url = models.URLField(
        _("官方渠道链接"),
        blank=True,
        help_text=_("选填：官方帮助或客服页面的网址（https://…）。"),
    )
    safety_note = models.TextField(
        _("安全提示"),
        blank=True,
        help_text=_(
            "显示在该产品或话题的每篇文章上方，例如只通过官方 App 还款。话题留空则用产品的；"
            "催收类话题留空时显示默认的防骗提示。"
        ),
    )

    class Meta:
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="kb_category_unique_name"),
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("kb:category", kwargs={"slug": self.slug})

    @property
    def product(self):
        return self.parent or self

    @property
    def path(self):
        """Ancestors first, self last: [花呗, 还款问题]."""
        return [self.parent, self] if self.parent_id else [self]

    @property
    def official_help(self):
        """(text, link) of the product's official route: staff's, or the in-app default."""
        product = self.product
        text = product.official_route or DEFAULT_OFFICIAL_ROUTE.format(product=product.name)
        return text, product.official_route_url

    @property
    def is_collection_topic(self):
        return any(word in c.name for c in self.path for word in COLLECTION_WORDS)

    @property
    def safety_text(self):
        """The safety note shown with this category's articles: the topic's, the product's, or
        for a collection topic the default one; empty when none applies."""
        for category in reversed(self.path):
            if category.safety_note.strip():
                return category.safety_note.strip()
        if self.is_collection_topic:
            return DEFAULT_COLLECTION_SAFETY_NOTE.format(product=self.product.name)
        return ""
