"""Products and their topics, with how many articles each holds."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from kb.models import Category


@admin.register(Category)
class CategoryAdmin(VersionAdmin):  # the safety note and official route are versioned
    list_display = ["name", "parent", "slug", "position", "article_count"]
    list_filter = ["parent"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["parent", "name", "slug", "description", "position"]}),
        (
            _("读者求助与安全提示"),
            {"fields": ["official_route", "official_route_url", "safety_note"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("文章数"), ordering="article_total")
    def article_count(self, category):
        return category.article_total
