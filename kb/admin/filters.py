"""The article list's filters beyond plain fields: due for review, product, import state."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.models import Article, Category
from kb.numbers import parse_int


class ReviewFilter(admin.SimpleListFilter):
    title = _("复核")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("待复核")), ("ok", _("在复核周期内"))]

    def queryset(self, request, queryset):
        due = Article.objects.due_for_review().values("pk")
        if self.value() == "due":
            return queryset.filter(pk__in=due)
        if self.value() == "ok":
            return queryset.exclude(pk__in=due)
        return queryset


class ProductFilter(admin.SimpleListFilter):
    """Articles of one product, whether filed under the product or one of its topics."""

    title = _("产品")
    parameter_name = "product"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.name) for p in Category.objects.filter(parent=None)]

    def queryset(self, request, queryset):
        product = parse_int(self.value())
        if product is None:
            return queryset  # not a product's id: the whole list, as with no filter
        return queryset.filter(Q(category_id=product) | Q(category__parent_id=product))


class ImportStateFilter(admin.SimpleListFilter):
    title = _("导入状态")
    parameter_name = "import"

    def lookups(self, request, model_admin):
        return [
            ("edited", _("导入后有修改（冲突）")),
            ("clean", _("与上次导入一致")),
            ("staff", _("工作人员创建")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "staff":
            return queryset.filter(import_digest="")
        if self.value() in ("edited", "clean"):
            # The digest is computed in Python; a help centre has hundreds of articles, not
            # millions, so checking each is cheap enough for a filter staff use now and then.
            imported = queryset.exclude(import_digest="").prefetch_related("causes", "remedies")
            edited = [a.pk for a in imported if a.import_conflicts()]
            if self.value() == "edited":
                return queryset.filter(pk__in=edited)
            return queryset.exclude(import_digest="").exclude(pk__in=edited)
        return queryset
