"""Drafts of published articles in the admin (kb.drafts): an editor's save of a live article
becomes its draft; the draft page shows the diff against live, where the editor submits it
(提交审核) and a publisher publishes it or sends it back with a comment; 待发布的修改 lists
the drafts, those waiting for review first."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kb import drafts, history
from kb.models import Article, ArticleDraft

from .roles import can_publish, changes_need_review


class DraftActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("submit", ""), ("discard", ""), ("publish", ""), ("return", "")]
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填：说明需要怎样修改。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("退回时请写明需要怎样修改。"))
        return cleaned


class DraftWorkflowMixin:
    """For ArticleAdmin: an editor's changes to a published article are saved as its draft."""

    def pending_draft(self, article):
        return (
            ArticleDraft.objects.filter(article=article)
            .select_related("author", "reviewer")
            .first()
        )

    def draft_url(self, article):
        return reverse("admin:kb_article_draft", args=[article.pk])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.pk:
            # What a save must be based on (ArticleAdminForm refuses a stale one): the draft
            # when this user's changes go to it, else the live article.
            draft = self.pending_draft(obj) if changes_need_review(request.user, obj) else None
            form.current_version = (draft.updated_at if draft else obj.updated_at).isoformat()
            form.current_draft = draft
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None or not changes_need_review(request.user, article):
            draft = self.pending_draft(article) if article is not None else None
            extra = {"pending_draft": draft, **(extra_context or {})}
            return super().change_view(request, object_id, form_url, extra)
        draft = self.pending_draft(article)
        request.kb_drafting = True
        extra = {"drafting": True, "pending_draft": draft, **(extra_context or {})}
        # The form shows (and saves onto) the draft; the transaction is rolled back, and what
        # the save wrote is kept as the draft instead.
        with drafts.applied(draft):
            response = super().change_view(request, object_id, form_url, extra)
            if hasattr(response, "render"):
                response.render()
            saved = drafts.serialize(article) if getattr(request, "kb_draft_saved", False) else None
        if saved is None:
            return response
        draft = drafts.save(article, saved, request.user, based_on=article.updated_at)
        self.log_change(request, article, str(_("保存了待发布的修改")))
        self.message_user(
            request,
            _("修改已保存为草稿，读者仍看到已发布的版本。确认无误后请“提交审核”。"),
            messages.SUCCESS,
        )
        return redirect(self.draft_url(article))

    def response_change(self, request, obj):
        if getattr(request, "kb_drafting", False):
            request.kb_draft_saved = True
            return HttpResponseRedirect(self.draft_url(obj))
        return super().response_change(request, obj)

    def draft_urls(self):
        return [
            path(
                "<int:object_id>/draft/",
                self.admin_site.admin_view(self.draft_view),
                name="kb_article_draft",
            ),
        ]

    def draft_view(self, request, object_id):
        """The draft against live, and what this user may do with it."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        draft = self.pending_draft(article)
        if draft is None:
            self.message_user(request, _("这篇文章没有待发布的修改。"), messages.INFO)
            return redirect(reverse("admin:kb_article_change", args=[article.pk]))
        may_edit = self.has_change_permission(request, article)
        may_publish = can_publish(request.user)
        form = DraftActionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            action = form.cleaned_data["action"]
            allowed = {"submit": may_edit, "discard": may_edit}.get(action, may_publish)
            if not allowed:
                raise PermissionDenied
            return self._act_on_draft(request, draft, action, form.cleaned_data["comment"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("待发布的修改"),
            "draft": draft,
            "author": history.display_name(draft.author),
            "reviewer": history.display_name(draft.reviewer) if draft.reviewer else "",
            "changes": drafts.changes(draft),
            "live_changed": drafts.live_changed_since(draft),
            "form": form,
            "may_edit": may_edit,
            "may_publish": may_publish,
            "preview_url": reverse("admin:kb_article_preview", args=[article.pk]) + "?draft=1",
        }
        return TemplateResponse(request, "admin/kb/article/draft.html", context)

    def _act_on_draft(self, request, draft, action, comment):
        article = draft.article
        if action == "publish":
            drafts.publish(draft, request.user)
            message = _("修改已发布，读者现在看到新的版本。")
            self.log_change(request, article, str(_("发布了待发布的修改")))
            self.message_user(request, message, messages.SUCCESS)
            return redirect(reverse("admin:kb_articledraft_changelist"))
        if action == "discard":
            draft.delete()
            self.log_change(request, article, str(_("放弃了待发布的修改")))
            self.message_user(request, _("草稿已放弃。"), messages.SUCCESS)
            return redirect(reverse("admin:kb_article_change", args=[article.pk]))
        if action == "submit":
            drafts.submit(draft)
            self.log_change(request, article, str(_("提交审核")))
            self.message_user(request, _("已提交审核，发布人员会在“待发布的修改”中看到它。"))
        else:
            drafts.send_back(draft, request.user, comment)
            self.log_change(request, article, str(_("退回修改：%(c)s") % {"c": comment}))
            self.message_user(request, _("已退回，修改人会在文章页面看到你的意见。"))
        return redirect(self.draft_url(article))


@admin.register(ArticleDraft)
class ArticleDraftAdmin(admin.ModelAdmin):
    """The review queue: drafts of published articles, waiting for review first."""

    list_display = ["article_link", "status", "author_name", "submitted_at", "updated_at"]
    list_display_links = None
    list_filter = ["status"]
    list_select_related = ["article", "author"]

    def get_ordering(self, request):
        # 待审核 first (oldest submission first), then the rest by last save.
        return ["-status", "submitted_at", "-updated_at"]

    @admin.display(description=_("文章"), ordering="article__title")
    def article_link(self, draft):
        url = reverse("admin:kb_article_draft", args=[draft.article_id])
        return format_html('<a href="{}">{}</a>', url, draft.article.title)

    @admin.display(description=_("修改人"), ordering="author")
    def author_name(self, draft):
        return history.display_name(draft.author)

    # Everyone who edits articles sees the queue; the draft page decides what each may do.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("kb.change_article")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = get_object_or_404(ArticleDraft, pk=unquote(object_id))
        return redirect(reverse("admin:kb_article_draft", args=[draft.article_id]))
