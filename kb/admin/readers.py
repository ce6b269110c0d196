"""What readers left behind, for staff to read: feedback votes and comments, daily views."""

from django.contrib import admin

from kb.models import ArticleHits, Feedback


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
