"""axe-core finds no WCAG 2.2 AA violations (nor best-practice ones) on any page type."""

import pytest

ARTICLE = "/articles/huabei-fenqi-wufa-huankuan"
PAGES = {
    "home": "/",
    "category": "/categories/huabei/",
    "article": f"{ARTICLE}/",
    "troubleshooter question": f"{ARTICLE}/troubleshoot/2/",
    "troubleshooter remedy": f"{ARTICLE}/troubleshoot/2/yes/",
    "troubleshooter advice": f"{ARTICLE}/troubleshoot/none/",
    "feedback thanks": f"{ARTICLE}/feedback/thanks/?helpful=no&cause=2",
    "traditional article": f"/zh-hant{ARTICLE}/",
    "search": "/search/?q=%E9%92%B1%E4%B8%8D%E5%A4%9F%E8%BF%98%E4%B8%8D%E4%BA%86%E8%8A%B1%E5%91%97",
    "zero results": "/search/?q=huabeii",
    "traditional search": "/zh-hant/search/?q=%E8%8A%B1%E5%94%84%E9%82%84%E6%AC%BE",
    "not found": "/articles/no-such-article/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("width", [390, 1280])
def test_page_has_no_accessibility_violations(site, browser, axe, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site + path)
    assert page.locator("html").get_attribute("lang") in {"zh-Hans", "zh-Hant"}
    assert axe(page) == []
    context.close()


def test_feedback_answer_has_no_accessibility_violations(site, page, axe, huabei):
    page.goto(site + huabei.get_absolute_url())
    page.locator("#cause-1").get_by_role("button", name="解决了").click()
    page.locator("#cause-1").get_by_role("status").wait_for()
    assert axe(page) == []
