"""The article editor: an article with its causes, remedies and general advice on one page,
the list with its columns, filters and actions (publish, unpublish, reviewed), the staff
preview, and the history with a readable diff of each version and the ways back. The form
itself (slug, schedule, stale pages): kb.admin.article_form; drafts of live articles:
kb.admin.drafts."""

import nested_admin
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from kb import drafts, history
from kb.models import (
    Article,
    ArticleDraft,
    ArticleHits,
    ArticleSlug,
    Cause,
    Feedback,
    Remedy,
    SearchDocument,
)
from kb.numbers import parse_int
from kb.pages import article_page_context

from .article_form import ArticleAdminForm, suggest_slug
from .drafts import DraftWorkflowMixin
from .fields import TEXT_WIDGETS
from .filters import ImportStateFilter, ProductFilter, ReviewFilter
from .inlines import AdviceInline, CauseInline
from .roles import can_publish, changes_need_review
from .versions import VersionViewsMixin


@admin.register(Article)
class ArticleAdmin(
    DraftWorkflowMixin, VersionViewsMixin, VersionAdmin, nested_admin.NestedModelAdmin
):
    form = ArticleAdminForm

    class Media:  # admin.css: every admin page loads it (templates/admin/base_site.html)
        js = ["kb/admin-editor.js"]

    list_display = [
        "title",
        "category",
        "public_state",
        "updated_at",
        "review_state",
        "import_conflict",
    ]
    list_filter = ["status", ReviewFilter, ImportStateFilter, ProductFilter, "category"]
    list_select_related = ["category", "category__parent"]
    search_fields = [
        "title",
        "slug",
        "question",
        "summary",
        "causes__title",
        "causes__explanation",
        "remedies__text",
    ]
    inlines = [CauseInline, AdviceInline]
    formfield_overrides = TEXT_WIDGETS
    actions = ["publish", "unpublish", "mark_reviewed"]
    change_form_template = "admin/kb/article/change_form.html"
    change_list_template = "admin/kb/article/change_list.html"  # adds 导入来源文本
    history_latest_first = True
    object_history_template = "admin/kb/article/object_history.html"
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "category", "summary", "closing", "offer_troubleshooter"]},
        ),
        (
            _("发布与复核"),
            {
                "fields": ["status", "published_at", "public_state", "reviewed_at", "updated_at"],
                "description": _(
                    "编辑可以修改草稿；发布、撤回、定时发布和修改已发布的文章需要“发布”权限。"
                ),
            },
        ),
        (
            _("来源（导入）"),
            {
                "classes": ["collapse"],
                "fields": [
                    "import_summary",
                    "question",
                    "source_file",
                    "source_line",
                    "imported_at",
                    "source_fingerprint",
                    "source_raw",
                ],
            },
        ),
    ]
    base_readonly_fields = [
        "public_state",
        "updated_at",
        "import_summary",
        "source_file",
        "source_line",
        "imported_at",
        "source_fingerprint",
        "source_raw",
    ]

    def get_queryset(self, request):
        # The 导入冲突 column looks at each article's causes and remedies.
        return super().get_queryset(request).prefetch_related("causes", "remedies")

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.base_readonly_fields
        return [*self.base_readonly_fields, "status", "published_at"]

    # Roles ---------------------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not changes_need_review(
            request.user, obj
        )

    def has_publish_permission(self, request):
        return can_publish(request.user)

    # Columns -------------------------------------------------------------------------------

    @admin.display(description=_("对读者"), ordering="status")
    def public_state(self, article):
        if article.pk is None or article.status == Article.Status.DRAFT:
            return _("草稿，读者看不到")
        if article.is_scheduled:
            when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            return _("定时发布：%(when)s") % {"when": when}
        return _("已公开")

    @admin.display(description=_("复核"), ordering="reviewed_at")
    def review_state(self, article):
        if article.reviewed_at is None:
            return format_html('<span class="kb-due">{}</span>', _("从未复核"))
        when = date_format(timezone.localtime(article.reviewed_at), "DATE_FORMAT")
        if article.is_due_for_review:
            return format_html('<span class="kb-due">{}（{}）</span>', when, _("待复核"))
        return when

    @admin.display(description=_("导入冲突"))
    def import_conflict(self, article):
        conflicts = article.import_conflicts()
        if not conflicts:
            return "-"
        return format_html(
            '<strong class="kb-conflict">{}</strong>',
            ngettext("%(n)d 处已修改", "%(n)d 处已修改", len(conflicts)) % {"n": len(conflicts)},
        )

    @admin.display(description=_("导入状态"))
    def import_summary(self, article):
        if article.pk is None:
            return "-"
        if not article.import_digest:
            return _("工作人员创建的文章，导入不会改动它。")
        conflicts = article.import_conflicts()
        if not conflicts:
            return _("与上次导入一致：来源文本变化时，下次导入会更新它。")
        return format_html(
            '<strong class="kb-conflict">{}</strong> {}',
            _("导入后被修改："),
            "、".join(_conflict_label(record) for record in conflicts)
            + str(_("。下次导入会保留这些修改并报告冲突。")),
        )

    # Links ---------------------------------------------------------------------------------

    def view_on_site(self, article):
        """The public page when readers can see it, otherwise the staff preview."""
        if article.is_public:
            return article.get_absolute_url()
        return reverse("admin:kb_article_preview", args=[article.pk])

    def get_urls(self):
        return [
            path(
                "slug/",
                self.admin_site.admin_view(self.slug_view),
                name="kb_article_slug",
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="kb_article_preview",
            ),
            *self.draft_urls(),
            *self.version_urls(),
            *super().get_urls(),
        ]

    # Views ---------------------------------------------------------------------------------

    def slug_view(self, request):
        """{"slug": ...} for the title being typed, so the slug box fills in as in English."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        article = parse_int(request.GET.get("article"))  # the article being edited, if any
        title = request.GET.get("title", "")[:200]
        slug = suggest_slug(title, article) if title.strip() else ""
        return JsonResponse({"slug": slug})

    def preview_view(self, request, object_id):
        """The article exactly as its public page shows it, whatever its status; with
        ``?draft=1`` as its pending draft would show it once published."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        draft = (
            ArticleDraft.objects.filter(article=article).first() if "draft" in request.GET else None
        )
        with drafts.applied(draft):  # rendered inside: the draft exists only there
            article = Article.objects.with_page_content().get(pk=object_id)
            response = TemplateResponse(
                request,
                "kb/article_detail.html",
                {**article_page_context(article), "preview": True},
            ).render()
        response["X-Robots-Tag"] = "noindex"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            article = self.get_object(request, object_id)
            if article is not None and self.has_change_permission(request, article):
                history.record_baseline(article, request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # Only a deleted article's last version (the 恢复已删除的文章 list) recovers: reversion
        # would take any version with that id, of any model (see VersionViewsMixin.revision_view).
        get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        request.kb_restoring = True
        return super().recover_view(request, version_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # What goes with an article besides its causes and remedies (its reading statistics and
        # feedback, drafts, old URLs, search documents) is the article's: deleting it may not
        # depend on permissions to delete those rows one by one, which no role has. The summary
        # still counts the statistics and feedback that go; internal rows are not listed.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        owned = [m._meta for m in (ArticleHits, Feedback, ArticleDraft, ArticleSlug)]
        internal = [SearchDocument._meta, ArticleDraft._meta, ArticleSlug._meta]
        perms_needed -= {str(opts.verbose_name) for opts in owned}
        hidden = tuple(f"{capfirst(opts.verbose_name)}:" for opts in [*owned, *internal])
        for opts in internal:
            counts.pop(opts.verbose_name_plural, None)
        return _without(deleted, hidden), counts, perms_needed, protected

    def delete_model(self, request, article):
        # The last state, whatever wrote it (an import, say), so "恢复已删除的文章" can bring
        # the article back with its causes and remedies.
        history.record_version(article, request.user, str(_("删除前的内容")))
        super().delete_model(request, article)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            history.record_version(article, request.user, str(_("删除前的内容")))
        super().delete_queryset(request, queryset)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["import_conflicts"] = [_conflict_label(r) for r in obj.import_conflicts()]
            preview = reverse("admin:kb_article_preview", args=[obj.pk])
            # An editor's page shows the draft: so does its preview.
            shows_draft = context.get("drafting") and context.get("pending_draft")
            context["preview_url"] = preview + "?draft=1" if shows_draft else preview
            context["draft_url"] = self.draft_url(obj)
            # Deleting is a link of its own below the form, away from the save buttons.
            context["show_delete"] = False
            if self.has_delete_permission(request, obj):
                context["delete_url"] = reverse("admin:kb_article_delete", args=[obj.pk])
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # Saving --------------------------------------------------------------------------------

    def save_model(self, request, article, form, change):
        if (
            "status" in form.changed_data
            and article.status == Article.Status.PUBLISHED
            and article.published_at is None
        ):
            article.published_at = timezone.now()
        super().save_model(request, article, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(request, "kb_restoring", False):
            # After a restore, everything that follows an edit (the updated date, the search
            # index through its signals) must follow the restored wording too.
            article = form.instance
            restored = [
                *Cause.objects.filter(article=article),
                *Remedy.objects.filter(article=article),
            ]
            for record in restored:  # fresh from the database, not the page's prefetched rows
                record.save()

    # Actions -------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin wraps the list (and so its actions) in one revision, which would merge
        # an action's "before" and "after" versions; the actions record their own instead.
        context = {"has_change_permission": self.has_change_permission(request)}
        return super(VersionAdmin, self).changelist_view(
            request, {**context, **(extra_context or {})}
        )

    @admin.action(description=_("发布所选文章"), permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or now
            history.save_with_version(article, request.user, str(_("发布")))
            self.log_change(request, article, str(_("发布")))
        self.message_user(request, _("所选文章已发布。"), messages.SUCCESS)

    @admin.action(description=_("撤回为草稿"), permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            history.save_with_version(article, request.user, str(_("撤回为草稿")))
            self.log_change(request, article, str(_("撤回为草稿")))
        self.message_user(request, _("所选文章已撤回，读者看不到了。"), messages.SUCCESS)

    @admin.action(description=_("标记为已复核（今天）"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        # Reviewing confirms the content without changing it: only reviewed_at is written, so
        # 更新于 stays; it is still a version, so the history says who reviewed when.
        now = timezone.now()
        articles = list(queryset)
        for article in articles:
            article.reviewed_at = now
            history.save_with_version(
                article, request.user, str(_("标记为已复核")), update_fields=["reviewed_at"]
            )
            self.log_change(request, article, str(_("标记为已复核")))
        self.message_user(
            request,
            _("已将 %(n)d 篇文章标记为今天复核。") % {"n": len(articles)},
            messages.SUCCESS,
        )


def _conflict_label(record):
    if isinstance(record, Article):
        return str(_("文章本身"))
    if isinstance(record, Cause):
        return str(record)
    if record.cause_id:
        return str(
            _("原因 %(c)s 的办法 %(n)s") % {"c": record.cause.position, "n": record.position}
        )
    return str(_("通用建议 %(n)s") % {"n": record.position})


def _without(listing, prefixes):
    """Django's nested list of what a delete removes, without the lines naming those models."""
    kept = []
    for item in listing:
        if isinstance(item, list):
            kept.append(_without(item, prefixes))
        elif not str(item).startswith(prefixes):
            # Django writes "原因: <a ...>" with an ASCII colon: Chinese punctuation instead
            # (a plain string, escaped when shown, stays plain).
            chinese = str(item).replace(": ", "：", 1)
            kept.append(mark_safe(chinese) if isinstance(item, SafeData) else chinese)
    return [item for item in kept if item != []]
