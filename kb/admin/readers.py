"""What readers left behind, for staff: feedback votes with their comments, which staff mark
handled and take personal data out of (both logged in each entry's history), and daily views."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.history import display_name
from kb.models import ArticleHits, Feedback


class HandledFilter(admin.SimpleListFilter):
    title = _("处理情况")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("有补充说明，未处理")), ("yes", _("已处理"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.exclude(comment="").filter(handled_at=None)
        if self.value() == "yes":
            return queryset.exclude(handled_at=None)
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = [
        *("__str__", "article", "cause", "remedy", "helpful", "comment"),
        *("created_at", "handled"),
    ]
    list_filter = [HandledFilter, "helpful", "created_at"]
    search_fields = ["comment", "article__title"]
    fields = [
        *("article", "cause", "remedy", "helpful", "comment"),
        *("created_at", "handled", "redacted_at"),
    ]
    readonly_fields = [
        *("article", "cause", "remedy", "helpful"),
        *("created_at", "handled", "redacted_at"),
    ]
    actions = ["mark_handled", "redact_comments"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("article", "cause", "remedy", "handled_by")
        )

    @admin.display(description=_("处理"), ordering="handled_at")
    def handled(self, feedback):
        if feedback.handled_at is None:
            return _("未处理") if feedback.comment else "-"
        return _("%(who)s 已处理") % {"who": display_name(feedback.handled_by)}

    def has_add_permission(self, request):
        return False  # votes come from readers only

    # Staff may correct a comment by hand (to redact what the pattern missed); nothing else.
    def save_model(self, request, feedback, form, change):
        if "comment" in form.changed_data:
            feedback.redacted_at = timezone.now()
        super().save_model(request, feedback, form, change)

    @admin.action(description=_("标记为已处理"), permissions=["change"])
    def mark_handled(self, request, queryset):
        now = timezone.now()
        entries = list(queryset.filter(handled_at=None))
        for feedback in entries:
            feedback.handled_at, feedback.handled_by = now, request.user
            feedback.save(update_fields=["handled_at", "handled_by"])
            self.log_change(request, feedback, str(_("标记为已处理")))
        self.message_user(
            request, _("已将 %(n)d 条反馈标记为已处理。") % {"n": len(entries)}, messages.SUCCESS
        )

    @admin.action(description=_("隐去补充说明中的个人信息"), permissions=["change"])
    def redact_comments(self, request, queryset):
        redacted = 0
        for feedback in queryset.filter(~Q(comment="")):
            if feedback.redact():
                feedback.save(update_fields=["comment", "redacted_at"])
                self.log_change(request, feedback, str(_("隐去了补充说明中的个人信息")))
                redacted += 1
        self.message_user(
            request,
            _("已隐去 %(n)d 条补充说明中的手机号、证件号、银行卡号或邮箱。") % {"n": redacted},
            messages.SUCCESS,
        )


@admin.register(ArticleHits)
class ArticleHitsAdmin(admin.ModelAdmin):
    list_display = ["article", "day", "views", "search_clicks"]
    list_filter = ["day"]
