"""The search work queue (搜索工作队列) and the charts (图表): admin site pages over
kb.work_queue and kb.charts. Both roles read them (kb.view_searchlog); the queue's actions,
each a link to a form filled in with the query, show only to those who may take them."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kb import charts, reports, work_queue

READ_PERMISSION = "kb.view_searchlog"


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("时间范围"),
        choices=list(reports.PERIODS.items()),
        coerce=int,
        initial=reports.DEFAULT_PERIOD,
        required=False,
    )


def _days(request):
    form = PeriodForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["days"]:
        return form, form.cleaned_data["days"]
    return form, reports.DEFAULT_PERIOD


def _may(user):
    return {
        "best_bet": user.has_perm("kb.add_bestbet"),
        "synonym": user.has_perm("kb.add_synonym"),
        "out_of_scope": user.has_perm("kb.add_outofscopequery"),
        "restore": user.has_perm("kb.delete_outofscopequery"),
    }


def old_report_view(site, request):
    """The flat 无结果搜索 report became the queue's first list: its old address leads there."""
    url = reverse("admin:kb_search_queue", current_app=site.name)
    days = request.GET.get("days")
    return redirect(f"{url}?{urlencode({'days': days})}" if days else url, permanent=True)


def queue_view(site, request):
    if not request.user.has_perm(READ_PERMISSION):
        raise PermissionDenied
    form, days = _days(request)
    queue = work_queue.work_queue(days)
    context = {
        **site.each_context(request),
        "title": _("搜索工作队列"),
        "form": form,
        "days": days,
        "unanswered": queue.unanswered,
        "not_clicked": queue.not_clicked,
        "no_click_min_searches": work_queue.NO_CLICK_MIN_SEARCHES,
        "unhelpful": queue.unhelpful,
        "out_of_scope": queue.out_of_scope,
        "may": _may(request.user),
    }
    return TemplateResponse(request, "admin/kb/queue.html", context)


def charts_view(site, request):
    if not request.user.has_perm(READ_PERMISSION):
        raise PermissionDenied
    form, days = _days(request)
    context = {
        **site.each_context(request),
        "title": _("图表"),
        "form": form,
        "days": days,
        "charts": [charts.searches_per_day(days), charts.share_without_answer(days)],
        "vote_charts": charts.helpful_votes_per_article(days),
    }
    return TemplateResponse(request, "admin/kb/charts.html", context)
