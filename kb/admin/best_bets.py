"""Best bets (最佳答案) and queries out of scope, the two answers to the search work queue
(kb.admin.queue) besides a synonym. Opened from the queue with the query filled in
(``?phrase=`` / ``?query=``), and back to the queue after saving, where the query's row then
says whether it now finds an answer. Every save or delete reaches search at once: search reads
the bets on each query (kb.search.best_bets)."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kb.models import Article, BestBet, Cause, OutOfScopeQuery

FROM_QUEUE = "from"


class BackToQueueMixin:
    """After saving a form opened from the work queue (``?from=queue``), show the queue."""

    class Media:
        css = {"all": ["kb/admin.css"]}

    def response_add(self, request, obj, post_url_continue=None):
        if request.GET.get(FROM_QUEUE) == "queue" and "_continue" not in request.POST:
            self.message_user(request, _("已保存：“%(obj)s”。") % {"obj": obj})
            return HttpResponseRedirect(reverse("admin:kb_search_queue"))
        return super().response_add(request, obj, post_url_continue)


class CauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cause):
        return f"{cause.article.title} · 原因 {cause.position}：{cause.title}"


@admin.register(BestBet)
class BestBetAdmin(BackToQueueMixin, admin.ModelAdmin):
    list_display = ["phrase", "article", "cause", "enabled", "note", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["phrase", "note", "article__title"]
    fields = ["phrase", "article", "cause", "enabled", "note", "updated_at"]
    readonly_fields = ["updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.order_by("title")
        if db_field.name == "cause":
            kwargs["queryset"] = Cause.objects.select_related("article").order_by(
                "article__title", "position"
            )
            kwargs["form_class"] = CauseChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(OutOfScopeQuery)
class OutOfScopeQueryAdmin(BackToQueueMixin, admin.ModelAdmin):
    list_display = ["query", "note", "created_at"]
    search_fields = ["query", "note"]
    fields = ["query", "note"]
