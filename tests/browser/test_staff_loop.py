"""The staff loop in a browser, as an editor with the 发布 role walks it (issue 13): upload a
source text, read the preview, 导入, find the article; search for something the centre does
not answer, find it in the work queue, answer it with a best bet, search again and land on it.
axe finds nothing on the new admin pages."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kb.models import SearchQueryDay
from kb.search import log as search_log

from .conftest import sign_in

SOURCE = Path(__file__).parent.parent / "fixtures" / "sources" / "jiebei_other_phrasings.txt"
UNANSWERED = "咕噜咕噜怎么办"


def test_upload_preview_apply_and_see_the_article(site, page, publisher, axe):
    sign_in(page, site, publisher)
    page.goto(site + "/admin/kb/article/")
    page.get_by_role("link", name="导入来源文本").click()
    assert axe(page) == []
    page.set_input_files("#id_files", str(SOURCE))
    page.get_by_role("button", name="预览").click()
    preview = page.locator("#content-main")
    expect(preview).to_contain_text("借呗无法更换还款银行卡的原因")
    expect(preview).to_contain_text("用户需要先等待当期扣款完成，然后再更换还款银行卡。")
    expect(preview).to_contain_text("UTF-8")
    assert axe(page) == []
    page.get_by_role("button", name="导入").click()
    expect(page.locator("#kb-import-done")).to_be_visible()
    expect(page.locator(".kb-import-progress")).to_contain_text("已处理 1 / 1 篇")
    assert axe(page) == []
    page.get_by_role("link", name="查看文章列表").click()
    page.get_by_role("link", name="借呗无法更换还款银行卡的原因").click()
    expect(page.locator("#id_status")).to_have_value("draft")


@pytest.fixture
def searches_written(settings):
    """Searches are written at once, as a worker does every KB_SEARCH_LOG_FLUSH_SECONDS."""
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 0
    yield
    search_log.searches.flush()


def test_an_unanswered_search_answered_from_the_queue(
    site, page, publisher, huabei, axe, searches_written
):
    page.goto(site + "/search/?q=" + UNANSWERED)
    expect(page.locator("main")).not_to_contain_text("找到 1 个相关结果")
    search_log.searches.flush()
    assert SearchQueryDay.objects.filter(query=UNANSWERED, zero_results=1).exists()

    sign_in(page, site, publisher)
    page.goto(site + "/admin/")
    page.get_by_role("link", name="搜索工作队列").first.click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name=UNANSWERED))
    expect(row).to_contain_text("仍无结果")
    assert axe(page) == []
    row.get_by_role("link", name="指定最佳答案").click()
    expect(page.locator("#id_phrase")).to_have_value(UNANSWERED)
    assert axe(page) == []
    page.select_option("#id_cause", label=f"{huabei.title} · 原因 3：还款方式余额不足")
    page.select_option("#id_article", label=huabei.title)
    page.get_by_role("button", name="保存", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name=UNANSWERED))
    expect(row).to_contain_text("有答案（最佳答案）")

    page.goto(site + "/search/?q=" + UNANSWERED)
    page.locator(".result__title").first.click()
    expect(page).to_have_url(f"{site}/articles/{huabei.slug}/#cause-3")


def test_charts_have_no_accessibility_violations(site, page, editor, axe):
    SearchQueryDay.objects.record(
        "花呗",
        timezone.localdate(),
        searches=5,
        zero_results=1,
        results=9,
        took_ms=5,
        last_at=timezone.now(),
    )
    sign_in(page, site, editor)
    page.goto(site + "/admin/charts/")
    expect(page.get_by_role("img", name="每天的搜索次数")).to_be_visible()
    assert axe(page) == []
