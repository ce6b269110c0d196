"""The help centre's admin site: Django's, with Chinese titles and the read-only reports
(kb.reports) listed beside the models, and its own pages: the import (kb.admin.imports), the
search work queue and the charts (kb.admin.queue). Installed as admin.site by
kb.apps.HelpCentreAdminConfig."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import reports


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("时间范围"),
        choices=list(reports.PERIODS.items()),
        coerce=int,
        initial=reports.DEFAULT_PERIOD,
        required=False,
    )


class HelpCentreAdminSite(admin.AdminSite):
    site_header = _("帮助中心管理")
    site_title = _("帮助中心管理")
    index_title = _("内容与报表")

    def get_urls(self):
        from .admin import imports, queue  # they import the models: not before the apps load

        return [
            # Before the model admins' URLs: the article admin would take "import/" for an id.
            path(
                "kb/article/import/",
                self.admin_view(lambda request: imports.import_view(self, request)),
                name="kb_article_import",
            ),
            path(
                "kb/article/import/apply/",
                self.admin_view(lambda request: imports.apply_view(self, request)),
                name="kb_article_import_apply",
            ),
            path(
                "search-queue/",
                self.admin_view(lambda request: queue.queue_view(self, request)),
                name="kb_search_queue",
            ),
            path(
                "charts/",
                self.admin_view(lambda request: queue.charts_view(self, request)),
                name="kb_charts",
            ),
            path(
                "reports/zero-results/",
                self.admin_view(lambda request: queue.old_report_view(self, request)),
            ),
            path("reports/", self.admin_view(self.reports_index), name="reports"),
            path("reports/<slug:slug>/", self.admin_view(self.report_view), name="report"),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        """The models, and the reports this user may read as one more section (报表)."""
        app_list = super().get_app_list(request, app_label)
        visible = reports.visible_reports(request.user)
        if visible and app_label in (None, "reports"):
            app_list.append(
                {
                    "name": _("报表"),
                    "app_label": "reports",
                    "app_url": reverse("admin:reports", current_app=self.name),
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": r.title,
                            "object_name": r.slug,
                            "perms": {"view": True},
                            "admin_url": reverse(
                                "admin:report", args=[r.slug], current_app=self.name
                            ),
                            "add_url": None,
                            "view_only": True,
                        }
                        for r in visible
                    ]
                    + self._staff_pages(request),
                }
            )
        return app_list

    def _staff_pages(self, request):
        """The work queue and the charts, for those who read the search log."""
        if not request.user.has_perm("kb.view_searchlog"):
            return []
        pages = [(_("搜索工作队列"), "kb_search_queue"), (_("图表"), "kb_charts")]
        return [
            {
                "name": name,
                "object_name": url_name,
                "perms": {"view": True},
                "admin_url": reverse(f"admin:{url_name}", current_app=self.name),
                "add_url": None,
                "view_only": True,
            }
            for name, url_name in pages
        ]

    def reports_index(self, request):
        visible = reports.visible_reports(request.user)
        if not visible:
            raise PermissionDenied
        context = {
            **self.each_context(request),
            "title": _("报表"),
            "reports": visible,
        }
        return TemplateResponse(request, "admin/reports/index.html", context)

    def report_view(self, request, slug):
        chosen = reports.REPORTS.get(slug)
        if chosen is None:
            raise Http404
        if not request.user.has_perm(chosen.permission):
            raise PermissionDenied
        form = PeriodForm(request.GET or None)
        days = reports.DEFAULT_PERIOD
        if form.is_valid() and form.cleaned_data["days"]:
            days = form.cleaned_data["days"]
        context = {
            **self.each_context(request),
            "title": chosen.title,
            "report": chosen,
            "form": form if chosen.uses_period else None,
            "days": days,
            "table": chosen.build(days),
            "other_reports": [
                other for other in reports.visible_reports(request.user) if other.slug != slug
            ],
        }
        return TemplateResponse(request, "admin/reports/report.html", context)
