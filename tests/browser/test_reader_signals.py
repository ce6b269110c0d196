"""What readers signal and staff read, in a browser: a vote on one remedy (怎么办 step) with and
without JavaScript, the votes with their comments in 读者反馈, and a query answered but never
clicked in the search work queue, leaving it after a click (issues 13 and 18). axe finds
nothing on the changed pages, in the light and the dark theme."""

import re
import time

import pytest
from playwright.sync_api import expect

from kb.models import Feedback, SearchQueryDay
from kb.search import log as search_log

from .conftest import sign_in

ANSWERED = "钱不够还不了花呗"  # answered by 花呗's cause 3


@pytest.fixture
def remedy(huabei):
    return huabei.causes.get(position=2).remedies.order_by("position").first()


def test_reader_votes_on_one_remedy_in_place_and_changes_the_vote(site, page, huabei, remedy):
    page.goto(site + huabei.get_absolute_url())
    step = page.locator(f"#{remedy.anchor}")
    expect(step.get_by_role("group", name="这个办法有用吗？")).to_be_visible()
    step.get_by_role("button", name="没用").click()
    expect(step.get_by_role("status")).to_contain_text("谢谢你的反馈！")
    expect(step.get_by_role("status")).to_contain_text("补充说明哪里没帮到你")
    expect(step.get_by_role("button", name="没用")).to_have_attribute("aria-pressed", "true")
    step.get_by_role("button", name="有用").click()
    expect(step.get_by_role("button", name="有用")).to_have_attribute("aria-pressed", "true")
    expect(step.get_by_role("button", name="没用")).to_have_attribute("aria-pressed", "false")
    expect(page).to_have_url(site + huabei.get_absolute_url())
    vote = Feedback.objects.get()
    assert (vote.remedy, vote.cause, vote.helpful) == (remedy, remedy.cause, True)
    # The cause's own vote is another one, on the same page.
    page.locator("#cause-2").get_by_role("button", name="没解决").click()
    expect(page.locator("#cause-2 > .feedback").get_by_role("status")).to_contain_text("谢谢")
    assert Feedback.objects.count() == 2


def test_reader_votes_on_a_remedy_on_the_causes_own_page(site, page, huabei, remedy):
    page.goto(site + remedy.cause.get_share_url())
    page.locator(f"#{remedy.anchor}").get_by_role("button", name="有用").click()
    expect(page.locator(f"#{remedy.anchor}").get_by_role("status")).to_contain_text("谢谢")
    assert Feedback.objects.get().remedy == remedy


def test_reader_votes_on_a_remedy_without_javascript_and_goes_back_to_it(
    site, page_without_javascript, huabei, remedy
):
    page = page_without_javascript
    page.goto(site + huabei.get_absolute_url())
    page.locator(f"#{remedy.anchor}").get_by_role("button", name="没用").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("谢谢你的反馈！")
    expect(page.get_by_text("你选的是「没用」")).to_be_visible()
    page.get_by_label(re.compile("哪里没有帮到你")).fill("网络好了还是失败")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已收到你的补充说明")).to_be_visible()
    page.get_by_role("link", name=re.compile("回到「")).click()
    expect(page).to_have_url(f"{site}{huabei.get_absolute_url()}#{remedy.anchor}")
    vote = Feedback.objects.get()
    assert (vote.remedy, vote.helpful, vote.comment) == (remedy, False, "网络好了还是失败")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_remedy_votes_and_their_report_have_no_accessibility_violations(
    site, new_page, huabei, remedy, editor, axe, scheme
):
    page = new_page(color_scheme=scheme)
    page.goto(site + huabei.get_absolute_url())
    assert axe(page) == []
    step = page.locator(f"#{remedy.anchor}")
    step.get_by_role("button", name="没用").click()
    expect(step.get_by_role("status")).to_contain_text("谢谢")
    assert axe(page) == []
    page.goto(site + remedy.cause.get_share_url())
    assert axe(page) == []
    page.goto(f"{site}/articles/{huabei.slug}/feedback/thanks/?helpful=no&cause=2&remedy=1")
    assert axe(page) == []

    Feedback.objects.filter(remedy=remedy).update(comment="试过了")
    staff = new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    sign_in(staff, site, editor)
    staff.goto(site + "/admin/reports/feedback/")
    expect(staff.locator("#content-main")).to_contain_text("「试过了」（未处理）")
    assert axe(staff) == []


@pytest.fixture
def counts_written(settings):
    """Searches and clicks are written at once, as a worker does every few seconds."""
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 0
    yield
    search_log.searches.flush()
    search_log.clicks.flush()


def not_clicked(staff):
    return staff.get_by_role("table", name="有结果但没有人点的查询")


def wait_for_click(query):
    for _ in range(100):  # up to 10 s: the beacon is sent as the page changes
        search_log.clicks.flush()
        if SearchQueryDay.objects.filter(query=query, clicks__gt=0).exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"no click counted for {query}")


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_query_nobody_clicks_is_in_the_queue_until_a_reader_clicks(
    site, new_page, huabei, publisher, axe, counts_written, javascript, scheme
):
    reader = new_page(java_script_enabled=javascript, color_scheme=scheme)
    for _ in range(3):
        reader.goto(f"{site}/search/?q={ANSWERED}")
        expect(reader.locator(".result-count")).to_contain_text("找到")
    search_log.searches.flush()

    staff = new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    sign_in(staff, site, publisher)
    staff.goto(site + "/admin/search-queue/")
    row = not_clicked(staff).locator("tr", has=staff.get_by_role("rowheader", name=ANSWERED))
    expect(row).to_contain_text("有结果")
    expect(row.get_by_role("link", name=re.compile("指定最佳答案"))).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("添加同义词"))).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("不在范围内"))).to_be_visible()
    assert axe(staff) == []

    reader.locator(".result__title").first.click()
    expect(reader).to_have_url(re.compile(r"/articles/.+#cause-"))
    wait_for_click(ANSWERED)
    reader.wait_for_load_state("networkidle")
    search_log.clicks.flush()
    # Once, whichever way it was counted (the beacon, or the search page as referrer).
    assert SearchQueryDay.objects.get(query=ANSWERED).clicks == 1

    staff.reload()
    expect(staff.get_by_role("heading", name="有结果、但没有人点")).to_be_visible()
    expect(staff.get_by_role("rowheader", name=ANSWERED)).to_have_count(0)
