from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article, ArticleHits, Category, Cause, Feedback, Remedy


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class CauseInline(admin.StackedInline):
    model = Cause
    extra = 0
    fields = ["position", "title", "explanation", "question"]
    show_change_link = True


class AdviceInline(admin.TabularInline):
    model = Remedy
    extra = 0
    fields = ["position", "text"]
    verbose_name = _("通用建议")
    verbose_name_plural = _("通用建议")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(cause=None)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "status", "updated_at"]
    list_filter = ["status", "category"]
    search_fields = ["title", "question", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CauseInline, AdviceInline]
    readonly_fields = ["source_file", "source_line", "source_fingerprint", "imported_at"]


class RemedyInline(admin.TabularInline):
    model = Remedy
    extra = 0
    fields = ["position", "text"]


@admin.register(Cause)
class CauseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article"]
    list_filter = ["article__category"]
    search_fields = ["title", "explanation", "article__title"]
    inlines = [RemedyInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "cause", "helpful", "comment", "created_at"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["comment", "article__title"]
    readonly_fields = ["article", "cause", "helpful", "comment", "created_at"]


@admin.register(ArticleHits)
class ArticleHitsAdmin(admin.ModelAdmin):
    list_display = ["article", "day", "views", "search_clicks"]
    list_filter = ["day"]
