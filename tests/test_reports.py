"""The read-only staff reports: what readers search for, what they do not find, what is due."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.search import log as search_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def searches(db):
    def log(query, results, days_ago=0):
        search_log.record(query, results, took_ms=5, at=timezone.now() - timedelta(days=days_ago))

    for _ in range(3):
        log("花呗还款失败", 4)
    log("花呗还款失败", 0)
    log("白条逾期", 0)
    log("白条逾期", 0)
    log("借呗提额", 0, days_ago=60)
    log("分期乐", 2)


def test_top_searches_count_each_query_with_its_zero_result_share(editor_client, searches):
    response = editor_client.get(reverse("admin:report", args=["top-searches"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "共 7 次搜索，其中 3 次没有结果。" in page
    assert page.index("花呗还款失败") < page.index("白条逾期") < page.index("分期乐")
    assert "<td>4</td><td>1</td><td>3.0</td>" in page.replace("\n", "")
    assert "借呗提额" not in page  # older than the default 30 days


def test_the_old_zero_result_report_leads_to_the_work_queue(editor_client, searches):
    queue = reverse("admin:kb_search_queue")
    response = editor_client.get(reverse("admin:reports") + "zero-results/")
    assert (response.status_code, response["Location"]) == (301, queue)
    response = editor_client.get(reverse("admin:reports") + "zero-results/", {"days": "90"})
    assert response["Location"] == f"{queue}?days=90"
    page = editor_client.get(response["Location"]).content.decode()
    assert "白条逾期" in page and "借呗提额" in page
    assert "白条逾期" in editor_client.get(queue).content.decode()
    assert "借呗提额" not in editor_client.get(queue).content.decode()  # older than 30 days
    assert "zero-results" not in editor_client.get(reverse("admin:reports")).content.decode()


def test_a_bad_period_is_a_form_error_not_a_crash(editor_client, searches):
    response = editor_client.get(reverse("admin:report", args=["top-searches"]), {"days": "x"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_articles_due_for_review_are_reported(editor_client, huabei):
    page = editor_client.get(reverse("admin:report", args=["due-for-review"])).content.decode()
    assert huabei.title in page and "从未" in page
    huabei.reviewed_at = timezone.now()
    huabei.save()
    page = editor_client.get(reverse("admin:report", args=["due-for-review"])).content.decode()
    assert huabei.title not in page


def test_reports_are_listed_on_the_admin_home_for_staff_who_may_read_them(
    editor_client, django_user_model, client
):
    home = editor_client.get(reverse("admin:index")).content.decode()
    assert "报表" in home and reverse("admin:report", args=["top-searches"]) in home
    assert reverse("admin:kb_search_queue") in home

    bare = django_user_model.objects.create_user("bare", password="x-y-z-123", is_staff=True)
    client.force_login(bare)
    assert client.get(reverse("admin:report", args=["top-searches"])).status_code == 403
    assert client.get(reverse("admin:reports")).status_code == 403
    assert client.get("/admin/reports/no-such-report/").status_code == 404


def test_reader_feedback_is_reported_per_article_and_cause_least_helpful_first(
    editor_client, huabei
):
    from kb.models import Feedback

    network = huabei.causes.get(position=2)
    Feedback.objects.create(
        article=huabei, cause=network, helpful=False, visitor="a", comment="还是不行"
    )
    Feedback.objects.create(article=huabei, cause=network, helpful=False, visitor="b")
    Feedback.objects.create(article=huabei, helpful=True, visitor="a")
    page = editor_client.get(reverse("admin:report", args=["feedback"])).content.decode()
    assert page.index("原因 2：网络繁忙或不稳定") < page.index("整篇文章")
    assert "100%" in page and reverse("admin:kb_article_change", args=[huabei.pk]) in page
    home = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:report", args=["feedback"]) in home


def test_the_feedback_report_shows_each_remedy_under_its_cause_with_the_comments(
    editor_client, huabei, fenqile, editor
):
    from kb.models import Feedback

    network = huabei.causes.get(position=2)
    first, second = network.remedies.order_by("position")[:2]
    Feedback.objects.create(article=huabei, cause=network, helpful=False, visitor="a")
    Feedback.objects.create(
        article=huabei, cause=network, remedy=second, helpful=False, visitor="a", comment="试过了"
    )
    Feedback.objects.create(
        article=huabei, cause=network, remedy=first, helpful=True, visitor="b", comment="有用"
    )
    handled = Feedback.objects.create(
        article=huabei,
        cause=network,
        remedy=first,
        helpful=False,
        visitor="c",
        comment="打我电话［已隐去］",
        handled_at=timezone.now(),
        handled_by=editor,
        redacted_at=timezone.now(),
    )
    Feedback.objects.create(article=fenqile, helpful=True, visitor="a")
    page = editor_client.get(reverse("admin:report", args=["feedback"])).content.decode()
    flat = page.replace("\n", "")
    # Least helpful first; the cause's own row, then its remedies in order.
    cause_row = flat.index("原因 2：网络繁忙或不稳定</td><td>（整体）")
    first_row = flat.index(f"<td>办法 {first.position}：")
    second_row = flat.index(f"<td>办法 {second.position}：")
    assert cause_row < first_row < second_row < flat.index(fenqile.title)
    assert "<td>1</td><td>1</td><td>50%</td>" in flat[first_row:second_row]
    # The comments with their state, each linking to where staff handle it.
    assert "「试过了」（未处理）" in page
    name = editor.get_full_name() or editor.username
    assert f"「打我电话［已隐去］」（{name} 已处理，已隐去个人信息）" in page
    assert reverse("admin:kb_feedback_change", args=[handled.pk]) in page


def test_remedy_votes_without_a_vote_on_their_cause_get_the_cause_row(editor_client, huabei):
    from kb.models import Feedback

    network = huabei.causes.get(position=2)
    remedy = network.remedies.first()
    Feedback.objects.create(
        article=huabei, cause=network, remedy=remedy, helpful=False, visitor="a"
    )
    flat = editor_client.get(reverse("admin:report", args=["feedback"])).content.decode()
    flat = flat.replace("\n", "")
    assert "（整体）</td><td>-</td><td>-</td><td>-</td>" in flat
    assert f"<td>办法 {remedy.position}：" in flat and "100%" in flat


def test_each_report_links_the_others_and_only_them(editor_client, searches):
    from kb import reports

    slugs = [report.slug for report in reports.REPORTS.values()]
    for slug in slugs:
        page = editor_client.get(reverse("admin:report", args=[slug])).content.decode()
        others = page.split("其他报表：")[1].split("</p>")[0]
        assert reverse("admin:report", args=[slug]) not in others
        assert others.count("<a ") == len(slugs) - 1
        assert not others.rstrip().endswith("·") and not others.startswith(" ·")
