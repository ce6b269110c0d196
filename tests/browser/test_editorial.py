"""The editorial workflow in a browser, each job by the role that does it: an editor fixes a
typo in a live article and submits it, a publisher publishes it from the queue; two people on
one article; a slug change and the old URL. axe checks each admin page on the way."""

import re

import pytest
from playwright.sync_api import expect

from kb.models import Article, Cause, Feedback

from .conftest import sign_in


def signed_in(new_page, site, user, **options):
    page = new_page(**options)  # 390 x 844 unless a viewport is given
    sign_in(page, site, user)
    return page


def cause_title(page, position):
    """The title box of the cause shown with that 序号 (not a remedy's 序号)."""
    box = page.locator(
        f"input[name^='causes-'][name$='-position']:not([name*='remedies'])[value='{position}']"
    )
    return page.locator("#" + box.get_attribute("id").replace("-position", "-title"))


def save(page):
    page.locator("input[name=_save]").click()


def test_an_editor_fixes_a_live_article_and_a_publisher_publishes_it(
    site, new_page, axe, staff_in, huabei
):
    editor, publisher = staff_in("编辑", "xiaowang"), staff_in("发布", "laoli")
    editor.first_name = "小王"
    editor.save()
    editing = signed_in(new_page, site, editor)
    editing.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    expect(editing.locator(".kb-notice").first).to_contain_text("你的修改会保存为草稿")
    assert axe(editing) == []
    cause_title(editing, 2).fill("网络信号差或正在维护")
    save(editing)

    expect(editing).to_have_url(re.compile(r"/draft/$"))
    expect(editing.locator(".kb-diff__after").first).to_have_text("网络信号差或正在维护")
    assert axe(editing) == []
    editing.get_by_role("button", name="提交审核").click()
    expect(editing.locator(".messagelist")).to_contain_text("已提交审核")
    # Readers still see the live wording.
    editing.goto(site + huabei.get_absolute_url())
    expect(editing.locator("main")).not_to_contain_text("网络信号差或正在维护")

    publishing = signed_in(new_page, site, publisher)
    publishing.goto(site + "/admin/kb/articledraft/")
    assert axe(publishing) == []
    row = publishing.locator("#result_list tbody tr").first
    expect(row).to_contain_text("待审核")
    expect(row).to_contain_text("小王")
    row.get_by_role("link", name=huabei.title).click()
    expect(publishing.locator(".kb-diff")).to_contain_text("网络信号差或正在维护")
    assert axe(publishing) == []
    publishing.get_by_role("button", name="发布这些修改").click()
    expect(publishing.locator(".messagelist")).to_contain_text("修改已发布")

    publishing.goto(site + huabei.get_absolute_url())
    expect(publishing.locator("main")).to_contain_text("网络信号差或正在维护")
    publishing.goto(f"{site}/admin/kb/article/{huabei.pk}/history/")
    expect(publishing.locator("#change-history")).to_contain_text("发布 小王 提交的修改")


def test_the_second_of_two_editors_is_refused_with_the_diff(site, new_page, axe, staff_in, huabei):
    huabei.status = Article.Status.DRAFT
    huabei.save()
    first = signed_in(new_page, site, staff_in("编辑", "first"))
    second = signed_in(new_page, site, staff_in("编辑", "second"))
    url = f"{site}/admin/kb/article/{huabei.pk}/change/"
    first.goto(url)
    second.goto(url)

    cause_title(first, 2).fill("第一位编辑的修改")
    save(first)
    expect(first.locator(".messagelist")).to_be_visible()
    second.fill("#id_title", "第二位编辑的标题")
    save(second)

    expect(second.locator(".errorlist.nonfield")).to_contain_text("没有保存")
    expect(second.locator(".kb-diff ins")).to_contain_text(["第一位编辑的修改"])
    expect(second.locator("#id_title")).to_have_value("第二位编辑的标题")  # nothing typed is lost
    assert axe(second) == []
    assert Cause.objects.get(article=huabei, position=2).title == "第一位编辑的修改"
    huabei.refresh_from_db()
    assert huabei.title != "第二位编辑的标题"


def test_after_a_slug_change_the_old_address_leads_to_the_article(
    site, new_page, publisher, huabei
):
    old = huabei.get_absolute_url()
    page = signed_in(new_page, site, publisher)
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    page.fill("#id_slug", "huabei-huankuan-shibai")
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()

    for prefix in ("", "/zh-hant"):
        response = page.goto(site + prefix + old)
        assert response.status == 200
        assert page.url == f"{site}{prefix}/articles/huabei-huankuan-shibai/"


def test_causes_are_reordered_from_the_keyboard_and_new_rows_numbered(
    site, new_page, axe, publisher, huabei
):
    first, second = (Cause.objects.get(article=huabei, position=n) for n in (1, 2))
    page = signed_in(new_page, site, publisher)
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    box = cause_title(page, 1)
    position = page.locator("#" + box.get_attribute("id").replace("-title", "-position"))
    position.locator("xpath=following-sibling::span[1]").get_by_role(
        "button", name="下移这一行"
    ).focus()
    page.keyboard.press("Enter")
    expect(position).to_have_value("2")
    expect(page.get_by_role("status")).to_contain_text("序号 2")
    assert axe(page) == []

    count = huabei.causes.count()
    page.locator("#causes-group > .djn-add-item a, #causes-group .add-row a").last.click()
    added = page.locator(f"input[name='causes-{count}-position']")
    expect(added).to_have_value(str(count + 1))
    page.fill(f"#id_causes-{count}-title", "新的原因")
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)
    assert Cause.objects.get(article=huabei, title="新的原因").position == count + 1


def order_tools(page, box):
    """The 拖动 handle and 上移/下移 buttons beside a 序号 box."""
    return box.locator("xpath=following-sibling::span[contains(@class, 'kb-order')][1]")


def cause_position(page, position):
    return page.locator("#" + cause_title(page, position).get_attribute("id")[:-6] + "-position")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_cause_is_dragged_to_the_top_and_readers_see_the_new_order(
    site, new_page, axe, publisher, huabei, width
):
    titles = list(huabei.causes.order_by("position").values_list("title", flat=True))
    page = signed_in(new_page, site, publisher, viewport={"width": width, "height": 900})
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    third = cause_position(page, 3)
    handle = order_tools(page, third).locator(".kb-order__drag")
    handle.drag_to(order_tools(page, cause_position(page, 1)).locator(".kb-order__drag"))
    expect(third).to_have_value("1")
    expect(page.locator("#kb-order-status")).to_have_text("已移到第 1 行，序号 1。")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe(page) == []
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()

    page.goto(site + huabei.get_absolute_url())
    text = page.locator("main").inner_text()
    shown = sorted(titles, key=text.index)
    assert shown == [titles[2], titles[0], titles[1], *titles[3:]]


def test_a_remedy_dragged_onto_another_cause_stays_in_its_own(site, new_page, publisher, huabei):
    first = huabei.causes.order_by("position").first()
    remedies = list(first.remedies.order_by("position").values_list("text", flat=True))
    assert len(remedies) >= 2
    page = signed_in(new_page, site, publisher, viewport={"width": 1280, "height": 1600})
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    prefix = cause_title(page, 1).get_attribute("name")[: -len("-title")]
    box = page.locator(f"input[name='{prefix}-remedies-0-position']")
    handle = order_tools(page, box).locator(".kb-order__drag")
    handle.evaluate("element => element.scrollIntoView({block: 'start'})")
    start = handle.bounding_box()
    # By hand, mouse down, move and up: onto the next cause's title, below this cause's rows.
    into = cause_title(page, 2).bounding_box()
    assert into["y"] + into["height"] < 1600
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(into["x"] + 5, into["y"] + 5, steps=12)
    page.mouse.up()
    # Dropped below its cause, it goes last among its own cause's remedies.
    expect(box).to_have_value(str(len(remedies)))
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()
    assert list(first.remedies.order_by("position").values_list("text", flat=True)) == [
        *remedies[1:],
        remedies[0],
    ]


def test_without_javascript_the_order_is_typed(site, new_page, publisher, huabei):
    page = signed_in(new_page, site, publisher)
    blank = new_page(java_script_enabled=False)
    blank.context.add_cookies(page.context.cookies())
    blank.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    expect(blank.locator(".kb-order__drag")).to_have_count(0)
    one, two = (Cause.objects.get(article=huabei, position=n).pk for n in (1, 2))
    cause_position(blank, 1).fill("2")
    cause_position(blank, 2).fill("1")
    save(blank)
    expect(blank.locator(".messagelist")).to_be_visible()
    assert Cause.objects.get(pk=one).position == 2 and Cause.objects.get(pk=two).position == 1


def test_an_editor_redacts_a_reader_s_comment(site, new_page, axe, editor, huabei):
    feedback = Feedback.objects.create(
        article=huabei, helpful=False, comment="请回电 13812345678", visitor="v"
    )
    page = signed_in(new_page, site, editor)
    page.goto(site + "/admin/kb/feedback/?handled=no")
    assert axe(page) == []
    page.locator(f"input[name=_selected_action][value='{feedback.pk}']").check()
    page.select_option("select[name=action]", "redact_comments")
    page.get_by_role("button", name=re.compile("执行")).click()
    expect(page.locator(".messagelist")).to_contain_text("已隐去 1 条")
    expect(page.locator("#result_list")).to_contain_text("请回电 ［已隐去］")
    expect(page.locator("#result_list")).not_to_contain_text("13812345678")


def test_on_a_phone_the_save_button_is_in_reach_and_nothing_is_clipped(
    site, new_page, axe, publisher, huabei
):
    page = signed_in(new_page, site, publisher)  # 390 px wide
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    save_button = page.locator("input[name=_save]")
    expect(save_button).to_be_in_viewport()  # without scrolling through 8,000 px
    page.mouse.wheel(0, 3000)
    expect(save_button).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each Markdown box and its preview fit the screen, not cut off by the row around them.
    widest = page.evaluate(
        """Math.max(...Array.from(document.querySelectorAll(
            '.markdownx-editor, .markdownx-preview')).map(e => e.getBoundingClientRect().right))"""
    )
    assert widest <= 390
    # Deleting is apart from saving, below the form.
    delete = page.get_by_role("link", name="删除这篇文章")
    assert not page.locator(".submit-row").get_by_role("link", name=re.compile("删除")).count()
    assert delete.bounding_box()["y"] > save_button.bounding_box()["y"]
    assert axe(page) == []

    page.goto(f"{site}/admin/kb/article/{huabei.pk}/preview/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_publisher_compares_versions_and_restores_from_a_short_page(
    site, new_page, axe, publisher, huabei
):
    page = signed_in(new_page, site, publisher)
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    cause_title(page, 2).fill("网络信号差")
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()

    page.goto(f"{site}/admin/kb/article/{huabei.pk}/history/")
    assert axe(page) == []
    page.get_by_role("button", name="比较所选的两个版本").click()
    expect(page.locator(".kb-diff")).to_contain_text("网络信号差")
    assert axe(page) == []

    page.goto(f"{site}/admin/kb/article/{huabei.pk}/history/")
    page.get_by_role("link", name="恢复到这个版本").first.click()
    assert page.evaluate("document.documentElement.scrollHeight") < 2000
    assert axe(page) == []
    page.get_by_role("button", name="恢复到这个版本").click()
    expect(page.locator(".messagelist")).to_contain_text("已恢复")
    assert Cause.objects.get(article=huabei, position=2).title == "网络繁忙或不稳定"


def test_a_cause_is_dragged_by_touch_on_a_phone(site, new_page, publisher, huabei):
    page = signed_in(new_page, site, publisher, has_touch=True)
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    second = cause_position(page, 2)
    handle = order_tools(page, second).locator(".kb-order__drag")
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    into = order_tools(page, cause_position(page, 1)).locator(".kb-order__drag")
    # A finger, through Chrome's own touch input: the drag must not scroll the page instead.
    touch = page.context.new_cdp_session(page)
    x, y = start["x"] + 5, start["y"] + 5  # near the 序号 box, which a tap would snap to
    touch.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
    )
    for step in range(1, 16):
        point = {"x": x, "y": max(y - step * 60, 10)}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    # Held at the top edge, the page scrolls up until the row is first.
    expect(page.locator(".kb-dragging .kb-order__drag").first).to_be_visible()
    page.wait_for_function("() => window.scrollY < 400", timeout=15000)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(second).to_have_value("1")
    expect(page.locator("#kb-order-status")).to_contain_text("已移到第 1 行")
    assert into.count() == 1
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()
    assert Cause.objects.get(article=huabei, position=1).title == "网络繁忙或不稳定"


def test_an_editor_restores_an_old_version_of_a_live_article_for_review(
    site, new_page, axe, staff_in, huabei
):
    editor, publisher = staff_in("编辑", "xiaowang"), staff_in("发布", "laoli")
    publishing = signed_in(new_page, site, publisher)
    publishing.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    cause_title(publishing, 2).fill("网络信号差")
    save(publishing)
    expect(publishing.locator(".messagelist")).to_be_visible()

    editing = signed_in(new_page, site, editor)  # 390 px
    editing.goto(f"{site}/admin/kb/article/{huabei.pk}/history/")
    expect(editing.locator("#change-history")).to_contain_text("发布后读者才看到它")
    assert editing.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe(editing) == []
    editing.get_by_role("link", name="提议恢复（需审核）").click()
    expect(editing.locator("#content-main")).to_contain_text("恢复不会马上改变读者看到的内容")
    assert axe(editing) == []
    editing.get_by_role("button", name="恢复为待发布的修改并提交审核").click()
    expect(editing.locator(".messagelist")).to_contain_text("提交审核")
    expect(editing.locator(".kb-diff__after").first).to_have_text("网络繁忙或不稳定")
    assert axe(editing) == []
    editing.goto(site + huabei.get_absolute_url())
    expect(editing.locator("main")).to_contain_text("网络信号差")

    publishing.goto(f"{site}/admin/kb/article/{huabei.pk}/draft/")
    publishing.get_by_role("button", name="发布这些修改").click()
    expect(publishing.locator(".messagelist")).to_contain_text("修改已发布")
    publishing.goto(site + huabei.get_absolute_url())
    expect(publishing.locator("main")).to_contain_text("网络繁忙或不稳定")


def test_a_publisher_deletes_an_article_readers_have_opened(site, new_page, axe, publisher, huabei):
    from kb.models import ArticleHits

    ArticleHits.objects.record_view(huabei)
    Feedback.objects.create(article=huabei, helpful=True, visitor="v")
    page = signed_in(new_page, site, publisher, viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/admin/kb/article/{huabei.pk}/change/")
    page.get_by_role("link", name="删除这篇文章").click()
    main = page.locator("#content")
    expect(main).to_contain_text("阅读统计")
    expect(main).not_to_contain_text("无权")
    assert axe(page) == []
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("删除")
    assert not Article.objects.filter(pk=huabei.pk).exists()
    assert page.goto(site + huabei.get_absolute_url()).status == 404
