"""axe-core finds no WCAG 2.2 AA violations (nor best-practice ones) on any page type, in the
light and the dark theme (prefers-color-scheme)."""

import pytest

ARTICLE = "/articles/huabei-fenqi-wufa-huankuan"
PAGES = {
    "home": "/",
    "category": "/categories/huabei/",
    "article": f"{ARTICLE}/",
    "troubleshooter question": f"{ARTICLE}/troubleshoot/2/",
    "troubleshooter remedy": f"{ARTICLE}/troubleshoot/2/yes/",
    "troubleshooter advice": f"{ARTICLE}/troubleshoot/none/",
    "troubleshooter end unsure": f"{ARTICLE}/troubleshoot/none/?unsure=1,3&tried=4",
    "cause page": f"{ARTICLE}/causes/3/",
    "collection article": "/articles/pengyou-qian-fenqile-cuishou-renyuan-dadianhua-yonghu/",
    "about": "/about/",
    "feedback thanks": f"{ARTICLE}/feedback/thanks/?helpful=no&cause=2",
    "traditional article": f"/zh-hant{ARTICLE}/",
    "search": "/search/?q=%E9%92%B1%E4%B8%8D%E5%A4%9F%E8%BF%98%E4%B8%8D%E4%BA%86%E8%8A%B1%E5%91%97",
    "zero results": "/search/?q=huabeii",
    "traditional search": "/zh-hant/search/?q=%E8%8A%B1%E5%94%84%E9%82%84%E6%AC%BE",
    "not found": "/articles/no-such-article/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(site, new_page, axe, path, width, scheme):
    page = new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(site + path)
    assert page.locator("html").get_attribute("lang") in {"zh-Hans", "zh-Hant"}
    assert axe(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_feedback_answer_has_no_accessibility_violations(site, new_page, axe, huabei, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site + huabei.get_absolute_url())
    page.locator("#cause-1").get_by_role("button", name="没解决").click()
    page.locator("#cause-1").get_by_role("status").get_by_role("link").first.wait_for()
    assert axe(page) == []
    page.locator("#cause-1").get_by_role("button", name="解决了").click()
    page.locator("#cause-1").get_by_role("button", name="解决了").and_(
        page.locator("[aria-pressed=true]")
    ).wait_for()
    assert axe(page) == []
