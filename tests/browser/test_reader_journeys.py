"""What an anxious reader on a phone does, in a real browser."""

import re

from playwright.sync_api import expect

from kb.models import Feedback


def test_reader_walks_the_troubleshooter_to_a_remedy_and_back(site, page, huabei):
    page.goto(site + huabei.get_absolute_url())
    page.get_by_role("link", name=re.compile("开始自助排查")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("你的情况是「没有待还款金额」吗？")
    page.get_by_role("link", name="不是").click()
    expect(page).to_have_url(re.compile(r"/troubleshoot/2/$"))
    page.get_by_role("link", name="是的").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("可能的原因：网络繁忙或不稳定")
    expect(page.get_by_text("确保网络畅通即可")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", level=2)).to_have_text("你的情况是「网络繁忙或不稳定」吗？")


def test_reader_votes_in_place_with_javascript(site, page, huabei):
    page.goto(site + huabei.get_absolute_url())
    article_vote = page.locator("#feedback")
    article_vote.get_by_role("button", name="有帮助").click()
    expect(article_vote.get_by_role("status")).to_have_text("谢谢你的反馈！选错了可以直接改选。")
    expect(article_vote.get_by_role("button", name="有帮助")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page).to_have_url(site + huabei.get_absolute_url())
    vote = Feedback.objects.get()
    assert vote.cause is None and vote.helpful


def test_reader_votes_and_comments_without_javascript(site, page_without_javascript, huabei):
    page = page_without_javascript
    page.goto(site + huabei.get_absolute_url())
    page.locator("#cause-3").get_by_role("button", name="没解决").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("谢谢你的反馈！")
    page.get_by_label(re.compile("哪里没有帮到你")).fill("余额够了还是扣款失败")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已收到你的补充说明")).to_be_visible()
    vote = Feedback.objects.get()
    assert vote.cause.position == 3 and not vote.helpful and vote.comment == "余额够了还是扣款失败"


def test_reader_copies_the_link_to_a_cause(site, new_page, huabei):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site + huabei.get_absolute_url())
    page.locator("#cause-2").get_by_role("link", name=re.compile("复制本条链接")).click()
    expect(page.locator("#cause-2").get_by_role("status")).to_have_text("已复制本条链接")
    # The cause's own page: a link preview cannot see #cause-2.
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"{site}{huabei.get_absolute_url()}causes/2/"
    )


def test_reader_switches_to_traditional_and_searches_there(site, page, huabei):
    page.goto(site + "/")
    page.get_by_role("link", name="繁體").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.get_by_role("heading", level=1)).to_have_text("遇到什麼問題？")
    page.get_by_role("link", name="花唄分期後無法還款的原因").first.click()
    expect(page).to_have_url(f"{site}/zh-hant{huabei.get_absolute_url()}")
    search_box = page.locator("#q-header")
    search_box.fill("餘額不足")
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zh-hant/search/\?q="))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    first = page.locator(".result__title").first
    expect(first).to_have_text("原因 3：還款方式餘額不足")
    first.click()
    expect(page).to_have_url(f"{site}/zh-hant{huabei.get_absolute_url()}#cause-3")
    page.goto(f"{site}/zh-hant/")
    page.get_by_role("link", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_reader_searches_from_the_home_page_and_lands_on_the_cause(site, page, huabei):
    page.goto(site + "/")
    box = page.locator("#q")
    box.fill("钱不够还不了花呗")
    page.get_by_role("button", name="搜索").first.click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator(".result-count")).to_contain_text("找到")
    expect(page.locator("#q")).to_have_value("钱不够还不了花呗")
    first = page.locator(".result__title").first
    expect(first).to_have_text("原因 3：还款方式余额不足")
    expect(page.locator(".result__snippet").first.locator("mark").first).to_be_visible()
    first.click()
    expect(page).to_have_url(f"{site}{huabei.get_absolute_url()}#cause-3")
    expect(page.locator("#cause-3")).to_be_in_viewport()
    # The choice was counted for the hot questions (a beacon, sent as the page changed).
    from kb.models import ArticleHits

    for _ in range(100):  # up to 10 s: a loaded machine may take its time
        if ArticleHits.objects.filter(article=huabei, search_clicks=1).exists():
            break
        page.wait_for_timeout(100)
    assert ArticleHits.objects.get(article=huabei).search_clicks == 1


def test_suggestions_appear_while_typing_and_lead_to_the_cause(site, page, huabei):
    page.goto(site + "/")
    box = page.locator("#q")
    box.press_sequentially("紧急联系", delay=40)
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("紧急联系人")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/articles/.+#cause-1$"))


def test_search_works_without_javascript(site, page_without_javascript, huabei):
    page = page_without_javascript
    page.goto(site + "/")
    page.locator("#q").fill("网络繁忙")
    page.locator("#q").press("Enter")
    expect(page.locator(".result__title").first).to_have_text("原因 2：网络繁忙或不稳定")


def test_keyboard_reader_skips_to_the_main_content(site, page, huabei):
    page.goto(site + huabei.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="首页")).to_be_focused()
