"""An article's history in the admin (kb.history): the list of versions with who saved each,
one version's changes, any two versions compared, and restoring an older version from a page
that shows what will change (not reversion's full change form), as a new version. An editor
restoring a version of a live article proposes it instead: it becomes the article's draft,
submitted for review (kb.drafts.propose_restore); the pages say which before the click."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from kb import drafts, history
from kb.models import Article
from kb.numbers import parse_int

from .roles import changes_need_review


class VersionViewsMixin:
    """For ArticleAdmin (a reversion VersionAdmin)."""

    def version_urls(self):
        return [
            path(
                "<int:object_id>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name="kb_article_changes",
            ),
            path(
                "<int:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="kb_article_compare",
            ),
        ]

    def changes_view(self, request, object_id, version_id):
        """What one saved version changed, as a readable diff, with the ways back."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )
        before = history.previous_version(version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("这次修改的内容"),
            "version": version,
            "saved_by": history.display_name(version.revision.user),
            "previous": before,
            "changes": history.changes_in(version),
            "restore_url": self._revision_url(article, before) if before else None,
            "this_url": self._revision_url(article, version),
            "can_restore": self._may_restore(request, article),
            "restore_proposes": changes_need_review(request.user, article),
        }
        return TemplateResponse(request, "admin/kb/article/version_changes.html", context)

    def _may_restore(self, request, article):
        # Once the article is live, an editor's restore is a proposal (see revision_view).
        return self.has_change_permission(request, article)

    def _revision_url(self, article, version):
        return reverse("admin:kb_article_revision", args=[article.pk, version.pk])

    def history_view(self, request, object_id, extra_context=None):
        versions = []
        article = self.get_object(request, object_id)
        if article is not None:
            versions = [
                {
                    "version": version,
                    "changes_url": reverse(
                        "admin:kb_article_changes", args=[article.pk, version.pk]
                    ),
                    "restore_url": self._revision_url(article, version),
                    "saved_by": history.display_name(version.revision.user),
                }
                for version in history.article_versions(article)
            ]
        return super().history_view(
            request,
            object_id,
            {
                "versions": versions,
                "can_restore": article is not None and self._may_restore(request, article),
                "restore_proposes": changes_need_review(request.user, article),
                **(extra_context or {}),
            },
        )

    def compare_view(self, request, object_id):
        """Any two versions side by side: ?from=<version id>&to=<version id>."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        chosen = [parse_int(request.GET.get(name)) for name in ("from", "to")]
        found = {v.pk: v for v in versions.filter(pk__in=[pk for pk in chosen if pk])}
        if not all(pk in found for pk in chosen):
            self.message_user(request, _("请在历史中选择要比较的两个版本。"), messages.WARNING)
            return redirect(reverse("admin:kb_article_history", args=[article.pk]))
        older, newer = sorted((found[pk] for pk in chosen), key=lambda v: v.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("比较两个版本"),
            "older": older,
            "newer": newer,
            "older_by": history.display_name(older.revision.user),
            "newer_by": history.display_name(newer.revision.user),
            "changes": history.changes_between(
                history.version_snapshot(older), history.version_snapshot(newer)
            ),
        }
        return TemplateResponse(request, "admin/kb/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """What restoring this version changes against what readers see now; POST restores."""
        # reversion finds the version by its id and object id alone, whatever the model: a
        # version of another article's cause with this article's id would revert (and so
        # publish) that article's older revision. Only this article's own versions restore.
        versions = Version.objects.get_for_object_reference(Article, unquote(object_id))
        version = get_object_or_404(versions.select_related("revision__user"), pk=version_id)
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self._may_restore(request, article):
            raise PermissionDenied
        # A restore changes the live article at once: a publisher's decision once it is live.
        proposes = changes_need_review(request.user, article)
        changes = history.changes_between(
            history.live_snapshot(article), history.version_snapshot(version)
        )
        if request.method == "POST" and not changes:
            # Nothing to restore: no empty version in the history, no empty draft to review.
            self.message_user(
                request, _("这个版本与现在的内容相同，没有需要恢复的内容。"), messages.INFO
            )
            return redirect(reverse("admin:kb_article_history", args=[article.pk]))
        if request.method == "POST":
            if proposes:
                drafts.propose_restore(article, version, request.user)
                self.log_change(request, article, str(_("提议恢复到旧版本，已提交审核")))
                self.message_user(
                    request,
                    _("所选的版本已作为待发布的修改提交审核，读者仍看到已发布的版本。"),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:kb_article_draft", args=[article.pk]))
            drafts.restore(article, version, request.user)
            self.log_change(request, article, str(_("恢复到旧版本")))
            self.message_user(request, _("已恢复到所选的版本。"), messages.SUCCESS)
            return redirect(reverse("admin:kb_article_change", args=[article.pk]))
        pending = self.pending_draft(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("恢复到这个版本？"),
            "version": version,
            "saved_by": history.display_name(version.revision.user),
            "changes": changes,
            "proposes": proposes,
            "pending_draft": pending,
            "pending_author": history.display_name(pending.author) if pending else "",
        }
        return TemplateResponse(request, "admin/kb/article/restore.html", context)
