"""The help centre's content: articles (filed under a Category, see ``categories``), their
numbered causes and the remedies of each cause (or of the whole article: its general advice).
Every record remembers what the importer last wrote (ImportTracked), so an import never
overwrites a staff edit."""

import hashlib
import json
from datetime import timedelta

import reversion
from django.conf import settings
from django.db import connection, models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from .categories import Category


class ImportTracked(models.Model):
    """A record the importer may create and update.

    ``import_digest`` is the fingerprint of the imported fields as the importer last wrote them.
    When the fields no longer match it, staff changed the record since, and the importer leaves
    it alone (``edited_since_import``) instead of overwriting their work.
    """

    imported_fields = ()

    import_digest = models.CharField(
        _("导入指纹"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("导入器上次写入的内容指纹；为空表示由工作人员创建。"),
    )

    class Meta:
        abstract = True

    @staticmethod
    def digest_of(values):
        """The fingerprint of imported field values, ``{field name: value}``."""
        payload = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def content_digest(self):
        return self.digest_of({name: getattr(self, name) for name in self.imported_fields})

    @property
    def edited_since_import(self):
        return bool(self.import_digest) and self.import_digest != self.content_digest()


# Hot questions: the window they are counted over, and how much more a search click (a reader
# who chose this answer among others) weighs than a plain view.
HOT_DAYS = 30
SEARCH_CLICK_WEIGHT = 3


def _reading_score(days):
    """The hot score of each article (``OuterRef("pk")``): views plus weighted search clicks of
    the last ``days`` days, as a subquery (NULL when nobody read it)."""
    from .readers import ArticleHits  # kb.models.readers imports this module

    since = timezone.localdate() - timedelta(days=days)
    score = Sum(F("views") + SEARCH_CLICK_WEIGHT * F("search_clicks"))
    rows = ArticleHits.objects.filter(article=OuterRef("pk"), day__gte=since).order_by()
    return Subquery(rows.values("article").annotate(score=score).values("score"))


def _live(now=None):
    """Undated, or dated ``now`` or earlier: of the published articles, those readers see."""
    return Q(published_at__isnull=True) | Q(published_at__lte=now or timezone.now())


# What lists of articles never show: read only by the article's own page, the API and staff.
LONG_TEXTS = ("summary", "question", "source_raw", "source_fingerprint", "import_digest")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, and not scheduled for later (than ``now``). The one
        rule: ``Article.is_public`` and the search backends' SQL follow it (tests check)."""
        return self.filter(status=Article.Status.PUBLISHED).filter(_live(now))

    def scheduled(self, now=None):
        """Published with a date still to come: readers will see them then, not before. (Not
        ``_live``, the one rule, negated: a range on the date, which the index on status and
        date answers without reading every published article; tests check the two agree.)"""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def listed(self):
        """Articles as lists show them (title, link, category): the long texts stay in the
        database, so that a sort over every article reads short rows."""
        return self.defer(*LONG_TEXTS)

    def with_page_content(self):
        """Everything the article page shows, in a fixed number of queries: the public page and
        the staff preview both use this, so a preview shows exactly what readers will see."""
        return self.select_related("category", "category__parent").prefetch_related(
            Prefetch(
                "causes",
                queryset=Cause.objects.prefetch_related(
                    Prefetch("remedies", queryset=Remedy.objects.order_by("position"))
                ),
            ),
            Prefetch(
                "remedies",
                queryset=Remedy.objects.general_advice(),
                to_attr="general_advice",
            ),
        )

    def hot(self, days=HOT_DAYS):
        """Most read first: views plus (weighted) search clicks in the last ``days`` days.
        Articles nobody opened in that window are left out."""
        from .readers import ArticleHits  # kb.models.readers imports this module

        # Scored only if read in the window at all: the others are never scored, so the cost
        # follows the reading, not the number of articles.
        since = timezone.localdate() - timedelta(days=days)
        read = ArticleHits.objects.filter(day__gte=since).order_by().values("article")
        return (
            self.filter(pk__in=read)
            .annotate(hot_score=_reading_score(days))
            .filter(hot_score__gt=0)
            .order_by("-hot_score", "title")
        )

    def most_useful(self, days=HOT_DAYS):
        """Every article, the most useful first: most read lately (as ``hot``), then most often
        voted helpful, then by title. Scores are subqueries, so the rows stay one per article."""
        from .readers import Feedback  # kb.models.readers imports this module

        helpful = (
            Feedback.objects.on_articles_and_causes()
            .filter(article=OuterRef("pk"), helpful=True)
            .order_by()
            .values("article")
            .annotate(votes=Count("pk"))
            .values("votes")
        )
        return self.annotate(
            hot_score=Coalesce(_reading_score(days), 0),
            helpful_votes=Coalesce(Subquery(helpful), 0),
        ).order_by("-hot_score", "-helpful_votes", "title")

    def most_useful_per_product(self, categories, per_product, days=HOT_DAYS):
        """The ``per_product`` most useful articles of each product (its own and its topics'),
        as ``most_useful`` ranks them, of the articles filed under ``categories``: two queries
        whose cost does not grow with the number of articles.

        Only an article read lately or voted helpful scores above nought; the others rank by
        title. So the choice is among those scored and, to fill a product's places, the first
        ``per_product`` by title of each of its categories (an index range each): the window
        then ranks those few rows alone."""
        candidates = self._useful_candidates(categories, per_product, days)
        product = Coalesce("category__parent_id", "category_id")
        ranked = (
            self.filter(pk__in=candidates)
            .most_useful(days)
            .annotate(
                product_id=product,
                product_rank=Window(
                    RowNumber(),
                    partition_by=product,
                    order_by=[
                        F("hot_score").desc(),
                        F("helpful_votes").desc(),
                        F("title").asc(),
                        F("pk").asc(),
                    ],
                ),
            )
        )
        return ranked.filter(product_rank__lte=per_product)

    def _useful_candidates(self, categories, per_category, days):
        """The ids of the articles that may be among the most useful (``most_useful_per_product``),
        in one query: a UNION of small selects, each answered by an index (hits by day, votes,
        and each category's first titles, kb_article_title_in_category)."""
        from .readers import ArticleHits, Feedback  # kb.models.readers imports this module

        since = timezone.localdate() - timedelta(days=days)
        parts = [
            ArticleHits.objects.filter(day__gte=since).order_by().values_list("article_id"),
            Feedback.objects.on_articles_and_causes()
            .filter(helpful=True)
            .order_by()
            .values_list("article_id"),
            *(
                self.filter(category_id=pk).order_by("title", "pk").values_list("pk")[:per_category]
                for pk in categories
            ),
        ]
        selects, params = [], []
        for n, part in enumerate(parts):
            sql, part_params = part.query.sql_with_params()
            # Wrapped: a select with its own ORDER BY and LIMIT cannot be a UNION's arm as such.
            selects.append(f"SELECT * FROM ({sql}) AS part{n}")
            params += part_params
        with connection.cursor() as cursor:
            cursor.execute(" UNION ".join(selects), params)
            return [row[0] for row in cursor.fetchall()]

    def count_by_category(self):
        """{category id: number of articles filed directly under it}, in one query."""
        rows = self.order_by().values_list("category_id").annotate(count=Count("pk"))
        return dict(rows)

    def free_slug(self, base, exclude_pk=None, taken=None):
        """``base``, or ``base-2``, ``base-3``... whichever no other article uses yet. ``taken``:
        the slugs in use, when the caller already read them (the importer, for many articles)."""
        limit = Article._meta.get_field("slug").max_length
        others = self.exclude(pk=exclude_pk) if exclude_pk else self
        slug, n = base[:limit], 2
        while slug in taken if taken is not None else others.filter(slug=slug).exists():
            suffix = f"-{n}"
            slug, n = base[: limit - len(suffix)] + suffix, n + 1
        return slug

    def due_for_review(self):
        """Never reviewed, or reviewed longer ago than settings.KB_REVIEW_AFTER_DAYS."""
        cutoff = timezone.now() - timedelta(days=settings.KB_REVIEW_AFTER_DAYS)
        return self.filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=cutoff))


@reversion.register(follow=["causes", "remedies"])
class Article(ImportTracked):
    """One question of the help centre, answered by its causes and the general advice."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    # Not the summary: it answers first, in a reader's words, and is staff's alone.
    imported_fields = ("title", "question", "closing", "category_id")

    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("文章所属的产品或话题。"),
    )
    title = models.CharField(
        _("标题"), max_length=200, help_text=_("读者看到的标题，例如：花呗分期后无法还款的原因。")
    )
    slug = models.SlugField(
        _("网址名"),
        max_length=100,
        unique=True,
        allow_unicode=False,
        help_text=_("文章网址的一部分，用拼音，例如 huabei-fenqi-wufa-huankuan。"),
    )
    question = models.CharField(
        _("原始问题"),
        max_length=300,
        blank=True,
        help_text=_("来源文本中的问题句，保留原样（已转为简体）。"),
    )
    summary = MarkdownxField(
        _("摘要"),
        blank=True,
        help_text=_(
            "文章开头先回答问题：这篇文章解答什么、有哪几种原因，用读者的话写，支持 Markdown。"
            "也用作搜索引擎和分享卡片的描述。留空则按原因自动生成。"
        ),
    )
    closing = MarkdownxField(
        _("结语"),
        blank=True,
        help_text=_("放在所有原因之后、通用建议之前的总结，支持 Markdown。"),
    )
    offer_troubleshooter = models.BooleanField(
        _("提供自助排查"),
        default=True,
        help_text=_(
            "读者能否凭自己看到的情况回答每个原因的是非题？答不了（例如催收从哪里拿到号码）就取消勾选。"
        ),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("只有已发布的文章对读者可见。"),
    )
    published_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        help_text=_("留空表示立即；填写将来的时间表示定时发布。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    source_key = models.CharField(
        _("来源标识"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("导入器用来识别同一篇来源文章的稳定标识。"),
    )
    source_file = models.CharField(_("来源文件"), max_length=255, blank=True, editable=False)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True, editable=False)
    source_raw = models.TextField(
        _("来源原文"), blank=True, editable=False, help_text=_("导入时的原始文本，未经清理。")
    )
    source_fingerprint = models.CharField(
        _("来源指纹"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("原始文本的 SHA-256。"),
    )
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(
        _("复核时间"),
        null=True,
        blank=True,
        help_text=_("最近一次确认内容仍然准确的时间；超过复核周期的文章会出现在“待复核”列表。"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["category__parent__position", "category__position", "title"]
        # Editing and publishing are separate roles (groups 编辑 and 发布, see the migrations).
        permissions = [("publish_article", _("可以发布、撤回或定时发布文章"))]
        indexes = [
            # The next scheduled article, asked by every uncached public page (kb.publishing).
            models.Index(fields=["status", "published_at"], name="kb_article_scheduled"),
            # A category's first articles by title, for home (most_useful_per_product).
            models.Index(fields=["category", "title"], name="kb_article_title_in_category"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        stored = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if stored and stored != self.slug:  # old links keep working (revisions.ArticleSlug)
            self.old_slugs.model.remember(self, stored)

    def get_absolute_url(self):
        return reverse("kb:article", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and (
            self.published_at is None or self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_public

    @property
    def is_due_for_review(self):
        cutoff = timezone.now() - timedelta(days=settings.KB_REVIEW_AFTER_DAYS)
        return self.reviewed_at is None or self.reviewed_at < cutoff

    def causes_summary(self):
        """The answer-first summary when staff wrote none, as plain text (titles are text, not
        Markdown), made from the causes as they are now, so it never names one that is gone:
        花呗分期后无法还款，常见的原因有 4 种：a；b；c；d。下面逐一说明怎么判断、怎么办。"""
        problem = self.title.removesuffix("的原因").strip() or self.title
        titles = [cause.title.rstrip("。") for cause in self.causes.all()]
        if not titles:
            return f"{problem}：下面说明原因和怎么办。"
        return (
            f"{problem}，常见的原因有 {len(titles)} 种：{'；'.join(titles)}。"
            "下面逐一说明怎么判断、怎么办。"
        )

    def import_conflicts(self):
        """The parts of this article staff changed since the importer last wrote them: a later
        import reports them as conflicts and leaves them as they are."""
        records = [self, *self.causes.all(), *self.remedies.all()]
        return [record for record in records if record.edited_since_import]

    def related(self, limit=4):
        """Other published articles, nearest first: same topic, then same product, then the
        rest; within each, the ones filed after this one (by id, then from the start), so
        that every article of a topic links to different neighbours. Each step reads a few
        rows in id order: the cost does not grow with the number of articles."""
        product_id = self.category.parent_id or self.category_id
        nearness = [
            Q(category_id=self.category_id),
            Q(category__parent_id=product_id) | Q(category_id=product_id),
            Q(),
        ]
        chosen = []
        for near in nearness:
            for after in (Q(pk__gt=self.pk), Q(pk__lt=self.pk)):
                if len(chosen) == limit:
                    return chosen
                chosen += (
                    Article.objects.published()
                    .listed()
                    .filter(near, after)
                    .exclude(pk__in=[a.pk for a in chosen])
                    .order_by("pk")[: limit - len(chosen)]
                )
        return chosen

    def touch(self):
        """Mark the article as updated now (its causes and remedies changed)."""
        self.updated_at = timezone.now()
        Article.objects.filter(pk=self.pk).update(updated_at=self.updated_at)


@reversion.register()
class Cause(ImportTracked):
    """A numbered cause of an article's problem, with its explanation and remedies."""

    imported_fields = ("title", "explanation")

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="causes"
    )
    position = models.PositiveSmallIntegerField(
        _("序号"), help_text=_("原因在文章中的编号，从 1 开始；也是锚点 #cause-N 的 N。")
    )
    title = models.CharField(_("标题"), max_length=200, help_text=_("例如：网络繁忙或不稳定。"))
    explanation = MarkdownxField(
        _("说明"),
        blank=True,
        help_text=_("为什么会这样，支持 Markdown。解决办法请写在“怎么办”中。"),
    )
    question = models.CharField(
        _("排查问题"),
        max_length=200,
        blank=True,
        help_text=_(
            "自助排查中问读者的是非题，例如：还款时网络是否不稳定？留空则根据标题自动生成。"
        ),
    )
    troubleshoot_order = models.PositiveSmallIntegerField(
        _("排查顺序"),
        null=True,
        blank=True,
        help_text=_(
            "自助排查中第几个问这个原因，数字小的先问（读者最容易判断、或最严重的放前面）；"
            "留空则按序号。"
        ),
    )

    class Meta:
        verbose_name = _("原因")
        verbose_name_plural = _("原因")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="kb_cause_unique_position"
            ),
        ]

    def __str__(self):
        return f"原因 {self.position}：{self.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.article.touch()

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def get_share_url(self):
        """The cause's own page: what a reader shares (a preview cannot see #cause-N)."""
        return reverse("kb:cause", kwargs={"slug": self.article.slug, "position": self.position})

    @property
    def anchor(self):
        return f"cause-{self.position}"

    @property
    def troubleshoot_question(self):
        """The yes/no question of the troubleshooter: the editor's, or one made from the title."""
        return self.question or f"你的情况是「{self.title}」吗？"


class RemedyQuerySet(models.QuerySet):
    def general_advice(self):
        """The remedies of a whole article rather than of one cause, in their order: what every
        page, the API and the editor call its general advice (通用建议)."""
        return self.filter(cause=None).order_by("position")


@reversion.register()
class Remedy(ImportTracked):
    """An actionable piece of advice: for one cause (怎么办), or for the whole article when it
    has no cause (the general advice)."""

    imported_fields = ("text",)

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="remedies"
    )
    cause = models.ForeignKey(
        Cause,
        verbose_name=_("原因"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remedies",
        help_text=_("留空表示这是整篇文章的通用建议。"),
    )
    position = models.PositiveSmallIntegerField(_("序号"), help_text=_("同一原因下的排列顺序。"))
    text = models.TextField(_("内容"), help_text=_("读者可以做的一件事，一两句话，支持 Markdown。"))

    objects = RemedyQuerySet.as_manager()

    class Meta:
        verbose_name = _("解决办法")
        verbose_name_plural = _("解决办法")
        ordering = ["article", "cause__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cause", "position"],
                condition=Q(cause__isnull=False),
                name="kb_remedy_unique_position_per_cause",
            ),
            models.UniqueConstraint(
                fields=["article", "position"],
                condition=Q(cause__isnull=True),
                name="kb_advice_unique_position_per_article",
            ),
        ]

    def __str__(self):
        return self.text[:40]

    def save(self, *args, **kwargs):
        # A cause's remedy always belongs to that cause's article.
        if self.cause_id:
            self.article_id = self.cause.article_id
        super().save(*args, **kwargs)
        self.article.touch()

    def get_absolute_url(self):
        if self.cause_id:
            return f"{self.cause.article.get_absolute_url()}#{self.anchor}"
        return self.article.get_absolute_url()

    @property
    def anchor(self):
        """A cause's remedy in the page (``#cause-2-remedy-1``), where a vote on it returns."""
        return f"{self.cause.anchor}-remedy-{self.position}" if self.cause_id else "advice"
