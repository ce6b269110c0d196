"""Issue 17's tasks, walked on a phone (390x844, touch) as a stressed reader would, with and
without JavaScript and in the dark theme: what the reader sees at each step."""

import re

import pytest
from playwright.sync_api import expect

from kb.models import Feedback

IDENTITY = re.compile(r"本站不是.*官方，无法查询你的账户")


@pytest.fixture
def phone(new_page):
    """A touch phone; ``phone(javascript=False, scheme="dark", permissions=[...])``."""

    def open_page(javascript=True, scheme="light", permissions=()):
        return new_page(
            has_touch=True,
            is_mobile=True,
            java_script_enabled=javascript,
            color_scheme=scheme,
            permissions=list(permissions),
        )

    return open_page


def expect_way_out(page, product=None):
    block = page.locator("#still-stuck")
    expect(block.get_by_role("heading", name="还是没解决？")).to_be_visible()
    expect(block).to_contain_text(IDENTITY)
    if product:
        expect(block).to_contain_text(f"在「{product}」App 内")
    expect(block.get_by_role("link", name="关于本站")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_repayment_fails_for_lack_of_balance(site, phone, huabei, javascript):
    page = phone(javascript=javascript)
    page.goto(site + "/")
    page.locator("#q").fill("余额不足还不了")
    page.locator("#q").press("Enter")
    first = page.locator(".result__title").first
    expect(first).to_have_text("原因 3：还款方式余额不足")
    expect_way_out(page)  # even the results page ends with a way out
    first.click()
    # The page answers first: what it covers and which causes, before any cause.
    summary = page.locator(".summary")
    expect(summary).to_contain_text("常见的原因有 4 种：没有待还款金额；网络繁忙或不稳定")
    cause = page.locator("#cause-3")
    cause.get_by_role("button", name="没解决").click()
    if javascript:
        status = cause.get_by_role("status")
        expect(status).to_contain_text("抱歉没能帮上忙，可以试试：")
        expect(cause.get_by_role("button", name="没解决")).to_have_attribute("aria-pressed", "true")
        expect(
            status.get_by_role("link", name=re.compile("原因 4：不支持分期还款"))
        ).to_be_visible()
        status.get_by_role("link", name=re.compile("官方求助渠道")).click()
        expect(page.locator("#still-stuck")).to_be_in_viewport()
        # A mis-tap: change it; the chosen button looks chosen, the vote is replaced.
        cause.get_by_role("button", name="解决了").click()
        expect(cause.get_by_role("button", name="解决了")).to_have_attribute("aria-pressed", "true")
        expect(cause.get_by_role("button", name="没解决")).to_have_attribute(
            "aria-pressed", "false"
        )
        expect(status).not_to_contain_text("抱歉")
        for _ in range(50):
            if Feedback.objects.filter(helpful=True).exists():
                break
            page.wait_for_timeout(100)
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("谢谢你的反馈！")
        expect(page.get_by_text("抱歉没能帮上忙，可以试试：")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("原因 4：不支持分期还款"))).to_be_visible()
        expect_way_out(page, "花呗")
        page.get_by_role("button", name="改成「解决了」").click()
        expect(page.get_by_text("你选的是「解决了」")).to_be_visible()
    vote = Feedback.objects.get()
    assert vote.cause.position == 3 and vote.helpful


def test_collectors_call_about_a_friends_debt(site, phone, fenqile):
    page = phone()
    page.goto(site + fenqile.get_absolute_url())
    note = page.get_by_role("complementary", name="安全提示")
    expect(note).to_contain_text("只通过「分期乐」官方 App 还款，不要向任何个人账户转账")
    expect(note).to_contain_text("在官方 App 内核实对方身份")
    expect(page.locator(".summary")).not_to_contain_text("以上")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert "以上" not in description and "常见的原因有 2 种" in description
    expect(page.locator("#advice")).to_contain_text("通常就是以上两种原因造成的")
    expect_way_out(page, "分期乐")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_unanswerable_question_still_ends_with_a_way_out(site, phone, imported, javascript):
    page = phone(javascript=javascript)
    page.goto(site + "/search/?q=zzqqxx")
    expect(page.get_by_role("heading", name=re.compile("还没有能回答"))).to_be_visible()
    expect_way_out(page)
    page.locator("#still-stuck").get_by_role("link", name="关于本站").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于本站")
    expect(page.get_by_text("无法查询、修改你的账户")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_troubleshooter_while_overdue_with_an_unsure_answer(site, phone, huabei, javascript):
    page = phone(javascript=javascript)
    page.goto(site + huabei.get_absolute_url())
    page.get_by_role("link", name=re.compile("开始自助排查")).click()
    page.get_by_role("link", name="不确定，先跳过").click()
    expect(page.get_by_text("你不确定的，仍有可能：")).to_contain_text("原因 1：没有待还款金额")
    page.get_by_role("link", name="不是", exact=True).click()
    page.get_by_role("link", name="不是", exact=True).click()
    # The last question: overdue, and the reader says yes.
    expect(page.get_by_role("heading", level=2)).to_have_text("你的情况是「不支持分期还款」吗？")
    page.get_by_role("link", name="是的").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("可能的原因：不支持分期还款")
    page.get_by_role("link", name="没解决？看看接下来怎么办").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("试过的办法没有解决问题")
    expect(page.get_by_text("没有找到符合的原因")).to_have_count(0)
    expect(page.get_by_text("你确认了「不支持分期还款」")).to_be_visible()
    expect(page.get_by_role("link", name="原因 1：没有待还款金额")).to_be_visible()
    expect_way_out(page, "花呗")


def test_traditional_suggestions_and_the_switch_keep_script_and_place(site, phone, huabei):
    page = phone()
    page.goto(f"{site}/zh-hant/")
    box = page.locator("#q")
    box.press_sequentially("餘額不足", delay=40)
    option = page.get_by_role("option").first
    expect(option).to_contain_text("還款方式餘額不足")
    expect(option.locator("mark")).to_have_text("餘額不足")
    # One line each: no wrapping on a 390 px phone.
    height = option.evaluate("li => li.getBoundingClientRect().height")
    line = option.evaluate("li => parseFloat(getComputedStyle(li).lineHeight)")
    assert height < 2 * line + 20
    option.tap()
    expect(page).to_have_url(f"{site}/zh-hant{huabei.get_absolute_url()}#cause-3")
    expect(page.get_by_role("heading", name=re.compile("還款方式餘額不足"))).to_be_visible()
    page.get_by_role("link", name="简体").click()
    expect(page).to_have_url(f"{site}{huabei.get_absolute_url()}#cause-3")
    expect(page.locator("#cause-3")).to_be_in_viewport()


def test_without_javascript_the_switch_keeps_a_shared_cause(site, phone, huabei):
    page = phone(javascript=False)
    page.goto(f"{site}/zh-hant{huabei.get_absolute_url()}causes/3/")
    expect(page.get_by_role("heading", level=1)).to_have_text("原因 3：還款方式餘額不足")
    page.get_by_role("link", name="简体").click()
    expect(page).to_have_url(f"{site}{huabei.get_absolute_url()}causes/3/")
    expect(page.get_by_role("heading", level=1)).to_have_text("原因 3：还款方式余额不足")


def test_sharing_a_cause_when_the_browser_refuses_to_copy(site, phone, huabei):
    page = phone(permissions=[])  # no clipboard permission: writeText is refused
    page.goto(site + huabei.get_absolute_url())
    cause = page.locator("#cause-2")
    cause.get_by_role("link", name=re.compile("复制本条链接")).click()
    status = cause.get_by_role("status").last
    expect(status).to_contain_text("浏览器不允许自动复制。请长按下面的链接")
    share = f"{site}{huabei.get_absolute_url()}causes/2/"
    expect(status.get_by_role("link", name=share)).to_be_visible()
    # The shared page is about that cause, and so is its preview.
    page.goto(share)
    expect(page.get_by_role("heading", level=1)).to_have_text("原因 2：网络繁忙或不稳定")
    card = page.locator('meta[property="og:description"]').get_attribute("content")
    assert card.startswith("可能的原因：网络繁忙或不稳定。")


def test_a_comment_with_a_phone_number_is_refused_with_its_reason(site, phone, huabei):
    page = phone(javascript=False)
    page.goto(site + huabei.get_absolute_url())
    page.locator("#cause-3").get_by_role("button", name="没解决").click()
    page.get_by_label(re.compile("哪里没有帮到你")).fill("打我电话 138 0013 8000")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("请不要填写手机号、身份证号或银行卡号")).to_be_visible()
    expect(page.get_by_label(re.compile("哪里没有帮到你"))).to_have_value("打我电话 138 0013 8000")
    assert Feedback.objects.get().comment == ""


def test_every_row_and_card_is_a_44px_target(site, phone, huabei):
    page = phone()
    for path in ["/", huabei.get_absolute_url(), "/categories/huabei/", "/search/?q=huabeii"]:
        page.goto(site + path)
        targets = page.locator(
            ".article-list a, .toc a, .hot__list a, .breadcrumbs a, .chip, .related a"
        )
        assert targets.count() > 0, path
        for box in targets.evaluate_all(
            "links => links.map(a => [a.textContent, a.getBoundingClientRect().width,"
            " a.getBoundingClientRect().height])"
        ):
            assert box[1] >= 44 and box[2] >= 44, (path, box)
    # A result card looks tappable: a tap anywhere on it follows its link.
    page.goto(site + "/search/?q=%E4%BD%99%E9%A2%9D%E4%B8%8D%E8%B6%B3")
    card = page.locator(".result").first.bounding_box()
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('a') !== null",
        [card["x"] + card["width"] - 5, card["y"] + card["height"] - 5],
    )
    assert hit


def test_the_search_field_scrolls_above_the_keyboard(site, phone, imported):
    page = phone()
    page.goto(site + "/")
    box = page.locator("#q")
    assert box.bounding_box()["y"] > 100
    box.tap()
    for _ in range(30):  # the scroll waits for the keyboard (300 ms), then glides
        if box.bounding_box()["y"] < 40:
            break
        page.wait_for_timeout(100)
    assert 0 <= box.bounding_box()["y"] < 40


def test_dark_theme_follows_the_system(site, phone, huabei):
    page = phone(scheme="dark")
    page.goto(site + huabei.get_absolute_url())
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(18, 22, 27)"
    ink = page.locator("h1").evaluate("h => getComputedStyle(h).color")
    assert ink == "rgb(230, 234, 238)"
