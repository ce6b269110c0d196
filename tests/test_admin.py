"""Editing through the admin's own forms, as an editor's browser posts them: inline causes with
nested remedies, validation, preview, history with diff and restore, import conflicts, review."""

import pytest
from django.urls import reverse

from kb.content import import_paths
from kb.models import Article, Cause
from tests.html_forms import find_key, form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def open_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), "article_form")


def save(client, url, data):
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    return response


def cause_prefix(data, position):
    """'causes-N' for the cause shown with the given position."""
    return find_key(data, "causes-", "position", position).removesuffix("-position")


def test_changing_a_cause_inline_shows_on_the_public_page_and_api_at_once(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data[f"{cause_prefix(data, 2)}-title"] = "网络信号差或正在维护"
    response = save(publisher_client, change_url(huabei), data)
    assert response.status_code == 302

    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert 'href="#cause-2">原因 2：网络信号差或正在维护</a>' in page
    assert "网络繁忙或不稳定" not in page
    detail = publisher_client.get(f"/api/articles/{huabei.slug}").json()
    assert detail["causes"][1]["title"] == "网络信号差或正在维护"
    found = publisher_client.get("/api/search", {"q": "网络信号差"}).json()["results"][0]
    assert found["cause"] == {"position": 2, "title": "网络信号差或正在维护"}
    assert "网络繁忙或不稳定" not in [
        r["cause"]["title"]
        for r in publisher_client.get("/api/search", {"q": "网络繁忙或不稳定"}).json()["results"]
        if r["cause"]
    ]


def test_remedies_are_edited_and_added_inside_their_cause(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    prefix = f"{cause_prefix(data, 3)}-remedies"
    data[f"{prefix}-0-text"] = "还款前先确认余额充足。"
    count = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
    data[f"{prefix}-{count}-position"] = str(count + 1)
    data[f"{prefix}-{count}-text"] = "也可以换一张余额充足的银行卡。"
    assert save(publisher_client, change_url(huabei), data).status_code == 302

    remedies = [r.text for r in huabei.causes.get(position=3).remedies.order_by("position")]
    assert remedies[0] == "还款前先确认余额充足。"
    assert remedies[-1] == "也可以换一张余额充足的银行卡。"
    assert len(remedies) == count + 1
    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert "也可以换一张余额充足的银行卡。" in page


def test_swapping_two_causes_reorders_the_page(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    first, second = cause_prefix(data, 1), cause_prefix(data, 2)
    data[f"{first}-position"], data[f"{second}-position"] = "2", "1"
    assert save(publisher_client, change_url(huabei), data).status_code == 302

    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert 'href="#cause-1">原因 1：网络繁忙或不稳定</a>' in page
    assert 'href="#cause-2">原因 2：没有待还款金额</a>' in page


def test_duplicate_positions_and_blank_titles_are_form_errors(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data[f"{cause_prefix(data, 2)}-position"] = "1"
    data[f"{cause_prefix(data, 3)}-title"] = ""
    response = save(publisher_client, change_url(huabei), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "序号 1 重复了" in page
    assert "这个字段是必填项" in page
    assert huabei.causes.get(position=2).title == "网络繁忙或不稳定"


def test_a_remedy_position_out_of_range_is_a_form_error(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data[f"{cause_prefix(data, 1)}-remedies-0-position"] = "5000"
    response = save(publisher_client, change_url(huabei), data)
    assert response.status_code == 200
    assert "序号应在 1 到 999 之间" in response.content.decode()


def test_unsafe_markdown_saved_in_admin_never_reaches_readers(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data["summary"] = (
        "**注意** <script>alert(1)</script> <img src=x onerror=alert(1)> "
        "[点我](javascript:alert(1)) <iframe src=//evil.example></iframe> [官网](https://example.com)"
    )
    data[f"{cause_prefix(data, 1)}-explanation"] = (
        '<a href="javascript:alert(2)" style="x">链接</a>'
    )
    assert save(publisher_client, change_url(huabei), data).status_code == 302

    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert "<strong>注意</strong>" in page
    for bad in ("<script>alert", "onerror", "javascript:", "<iframe", 'style="x"'):
        assert bad not in page
    assert '<a href="https://example.com" rel="noopener nofollow">官网</a>' in page


def test_a_new_article_is_a_draft_readers_cannot_see_but_staff_can_preview(
    publisher_client, huabei
):
    add_url = reverse("admin:kb_article_add")
    data = open_form(publisher_client, add_url)
    data.update(
        title="花呗额度突然降低的原因",
        slug="",
        category=str(huabei.category_id),
        summary="额度变化的**常见原因**。",
        status="draft",
        **{
            "causes-TOTAL_FORMS": "1",
            "causes-0-position": "1",
            "causes-0-title": "近期有逾期记录",
            "causes-0-explanation": "逾期会影响信用评估。",
            "causes-0-remedies-TOTAL_FORMS": "1",
            "causes-0-remedies-INITIAL_FORMS": "0",
            "causes-0-remedies-MIN_NUM_FORMS": "0",
            "causes-0-remedies-MAX_NUM_FORMS": "1000",
            "causes-0-remedies-0-position": "1",
            "causes-0-remedies-0-text": "按时还款，保持良好记录。",
        },
    )
    assert save(publisher_client, add_url, data).status_code == 302
    article = Article.objects.get(title="花呗额度突然降低的原因")
    assert article.status == Article.Status.DRAFT
    assert article.slug == "huabei-edu-turan-jiangdi-yuanyin"  # left blank: pinyin of the title

    assert publisher_client.get(article.get_absolute_url()).status_code == 404
    preview = publisher_client.get(reverse("admin:kb_article_preview", args=[article.pk]))
    page = preview.content.decode()
    assert preview.status_code == 200 and preview["X-Robots-Tag"] == "noindex"
    assert "<h1>花呗额度突然降低的原因</h1>" in page
    assert 'href="#cause-1">原因 1：近期有逾期记录</a>' in page
    assert "按时还款，保持良好记录。" in page
    assert "这是草稿，读者看不到" in page

    # The change page links the preview; "view on site" goes there too until it is public.
    change_page = publisher_client.get(change_url(article)).content.decode()
    assert page.count("预览") and reverse("admin:kb_article_preview", args=[article.pk]) in (
        change_page
    )


def test_preview_is_for_staff_only(client, huabei):
    response = client.get(reverse("admin:kb_article_preview", args=[huabei.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_history_shows_who_changed_what_and_restores_the_old_wording(publisher_client, huabei):
    url = change_url(huabei)
    data = open_form(publisher_client, url)
    data[f"{cause_prefix(data, 2)}-title"] = "网络信号差"
    save(publisher_client, url, data)

    history_page = publisher_client.get(
        reverse("admin:kb_article_history", args=[huabei.pk])
    ).content.decode()
    assert "user-发布" in history_page
    assert "修改前的内容" in history_page  # the imported state, recorded before the first edit
    assert history_page.count("查看改动") == 2

    from kb.history import article_versions

    latest, baseline = article_versions(huabei)
    diff = publisher_client.get(
        reverse("admin:kb_article_changes", args=[huabei.pk, latest.pk])
    ).content.decode()
    assert "原因 2" in diff
    assert "网络<del>繁忙或不稳定</del>" in diff and "网络<ins>信号差</ins>" in diff

    restore_url = reverse("admin:kb_article_revision", args=[huabei.pk, baseline.pk])
    assert restore_url in diff
    # The confirmation shows what the restore changes against now, not a whole form.
    confirm = publisher_client.get(restore_url).content.decode()
    assert "网络<del>信号差</del>" in confirm and "网络<ins>繁忙或不稳定</ins>" in confirm
    assert 'id="article_form"' not in confirm
    assert Cause.objects.get(article=huabei, position=2).title == "网络信号差"  # only a look
    assert publisher_client.post(restore_url, {}).status_code == 302

    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert "网络繁忙或不稳定" in page and "网络信号差" not in page
    assert publisher_client.get(f"/api/articles/{huabei.slug}").json()["causes"][1]["title"] == (
        "网络繁忙或不稳定"
    )
    assert len(article_versions(huabei)) == 3


def test_reimport_keeps_the_admin_edit_and_the_admin_shows_the_conflict(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data[f"{cause_prefix(data, 2)}-title"] = "网络信号差"
    save(publisher_client, change_url(huabei), data)

    report = import_paths()
    assert huabei.causes.get(position=2).title == "网络信号差"
    assert any("cause 2: edited by staff" in line for line in report.conflicts)

    listing = publisher_client.get(reverse("admin:kb_article_changelist") + "?import=edited")
    assert huabei.title in listing.content.decode()
    assert "1 处已修改" in listing.content.decode()
    page = publisher_client.get(change_url(huabei)).content.decode()
    assert "导入说明" in page and "原因 2：网络信号差" in page
    assert "导入后已修改，导入时保留" in page


def test_marking_articles_reviewed_takes_them_off_the_due_list(publisher_client, huabei):
    listing = reverse("admin:kb_article_changelist")
    assert huabei.title in publisher_client.get(listing + "?review=due").content.decode()
    response = publisher_client.post(
        listing, {"action": "mark_reviewed", "_selected_action": [huabei.pk]}
    )
    assert response.status_code == 302
    assert huabei.title not in publisher_client.get(listing + "?review=due").content.decode()
    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert "复核于" in page


def test_a_scheduled_article_waits_for_its_time(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data["published_at_0"], data["published_at_1"] = "2099-01-01", "09:00:00"
    save(publisher_client, change_url(huabei), data)
    assert publisher_client.get(huabei.get_absolute_url()).status_code == 404
    listing = publisher_client.get(reverse("admin:kb_article_changelist")).content.decode()
    assert "定时发布：2099年1月1日 09:00" in listing


def test_a_draft_with_a_future_publish_time_is_a_form_error(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    data["status"] = "draft"
    data["published_at_0"], data["published_at_1"] = "2099-01-01", "09:00:00"
    response = save(publisher_client, change_url(huabei), data)
    assert response.status_code == 200
    assert "定时发布需要把状态设为“已发布”" in response.content.decode()


def test_article_list_searches_chinese_across_causes_and_remedies(
    publisher_client, huabei, fenqile
):
    listing = reverse("admin:kb_article_changelist")
    page = publisher_client.get(listing, {"q": "余额不足"}).content.decode()
    assert huabei.title in page and fenqile.title not in page


def test_a_browser_s_crlf_line_endings_do_not_mark_untouched_text_as_edited(
    publisher_client, huabei
):
    data = open_form(publisher_client, change_url(huabei))
    # Browsers submit textarea lines ending in CRLF.
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}
    data[f"{cause_prefix(data, 2)}-title"] = "网络信号差"
    assert save(publisher_client, change_url(huabei), data).status_code == 302

    huabei.refresh_from_db()
    assert [str(record) for record in huabei.import_conflicts()] == ["原因 2：网络信号差"]
    assert "\r" not in huabei.causes.get(position=1).explanation


def test_deleting_a_remedy_and_a_cause_removes_them_from_the_page(publisher_client, huabei):
    data = open_form(publisher_client, change_url(huabei))
    fourth = cause_prefix(data, 4)
    data[f"{fourth}-DELETE"] = "on"
    data[f"{cause_prefix(data, 1)}-remedies-1-DELETE"] = "on"
    assert save(publisher_client, change_url(huabei), data).status_code == 302

    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert "不支持分期还款" not in page and "可能的原因（3 个）" in page
    assert "花呗分期后支持提前还款" not in page
    assert huabei.causes.count() == 3

    from kb.history import article_versions, changes_in

    removed = {(c.part, c.field): str(c.after) for c in changes_in(article_versions(huabei)[0])}
    assert removed[("原因 4", "标题")] == ""
    assert removed[("原因 1 的办法 2", "内容")] == ""


def test_a_deleted_article_can_be_recovered_with_its_causes(publisher_client, huabei):
    delete_url = reverse("admin:kb_article_delete", args=[huabei.pk])
    assert publisher_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert publisher_client.get(huabei.get_absolute_url()).status_code == 404

    recover_list = publisher_client.get(reverse("admin:kb_article_recoverlist")).content.decode()
    assert huabei.title in recover_list
    from reversion.models import Version

    version = Version.objects.get_deleted(Article).get(object_id=str(huabei.pk))
    recover_url = reverse("admin:kb_article_recover", args=[version.pk])
    data = open_form(publisher_client, recover_url)
    assert publisher_client.post(recover_url, data).status_code == 302

    page = publisher_client.get(huabei.get_absolute_url()).content.decode()
    assert 'href="#cause-4">原因 4：不支持分期还款</a>' in page


def test_the_slug_box_is_offered_a_free_pinyin_slug_for_the_title(publisher_client, huabei):
    url = reverse("admin:kb_article_slug")
    assert publisher_client.get(url, {"title": "花呗分期后无法还款"}).json() == {
        "slug": "huabei-fenqi-wufa-huankuan-2"  # the plain one is taken by the imported article
    }
    mine = publisher_client.get(url, {"title": "花呗分期后无法还款", "article": huabei.pk})
    assert mine.json() == {"slug": "huabei-fenqi-wufa-huankuan"}
    assert publisher_client.get(url, {"title": "  "}).json() == {"slug": ""}


@pytest.mark.parametrize("odd", ["²", "①", "9" * 25, "abc", "-1"])
def test_an_odd_article_id_in_the_slug_box_s_request_is_no_article(publisher_client, huabei, odd):
    url = reverse("admin:kb_article_slug")
    response = publisher_client.get(url, {"title": "花呗分期后无法还款", "article": odd})
    assert response.json() == {"slug": "huabei-fenqi-wufa-huankuan-2"}


def test_the_product_filter_lists_one_product_s_articles(publisher_client, huabei, fenqile):
    product = huabei.category.parent or huabei.category
    listing = reverse("admin:kb_article_changelist")
    page = publisher_client.get(listing, {"product": product.pk}).content.decode()
    assert huabei.title in page and fenqile.title not in page


@pytest.mark.parametrize("odd", ["²", "①", "9" * 25, "abc", "-1"])
def test_an_odd_product_filter_value_shows_the_whole_list(publisher_client, huabei, fenqile, odd):
    listing = reverse("admin:kb_article_changelist")
    response = publisher_client.get(listing, {"product": odd})
    assert response.status_code == 200
    assert huabei.title in response.content.decode() and fenqile.title in response.content.decode()


def test_a_restore_saves_each_cause_the_ordinary_way_so_the_search_index_follows(
    publisher_client, huabei
):
    from django.db.models.signals import post_save

    from kb.history import article_versions

    data = open_form(publisher_client, change_url(huabei))
    data[f"{cause_prefix(data, 2)}-title"] = "网络信号差"
    save(publisher_client, change_url(huabei), data)
    baseline = article_versions(huabei)[1]

    saved = []

    def record(sender, instance, raw, **kwargs):
        saved.append((instance.title, raw))

    post_save.connect(record, sender=Cause)
    try:
        restore_url = reverse("admin:kb_article_revision", args=[huabei.pk, baseline.pk])
        publisher_client.post(restore_url, {})
    finally:
        post_save.disconnect(record, sender=Cause)
    # Signal handlers such as the search index's ignore raw saves; the last word is a normal one.
    assert ("网络繁忙或不稳定", False) in saved
    found = publisher_client.get("/api/search", {"q": "网络繁忙或不稳定"}).json()["results"][0]
    assert found["cause"]["title"] == "网络繁忙或不稳定"


def test_the_admin_imports_no_public_view():
    """The preview shares the page's context through kb.pages, not through kb.views."""
    import ast
    from pathlib import Path

    import kb.admin

    imported = set()
    for module in Path(kb.admin.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = {0: "", 1: "kb.admin", 2: "kb"}[node.level]
                name = ".".join(part for part in (base, node.module) if part)
                imported.add(name)
                imported.update(f"{name}.{alias.name}" for alias in node.names)
    assert "kb.pages" in imported
    assert not {name for name in imported if name == "kb.views" or name.startswith("kb.views.")}


def test_any_two_versions_are_compared(publisher_client, huabei):
    from kb.history import article_versions

    for title in ("网络信号差", "网络信号很差"):
        data = open_form(publisher_client, change_url(huabei))
        data[f"{cause_prefix(data, 2)}-title"] = title
        save(publisher_client, change_url(huabei), data)
    newest, _middle, baseline = article_versions(huabei)
    history_page = publisher_client.get(reverse("admin:kb_article_history", args=[huabei.pk]))
    assert "比较所选的两个版本" in history_page.content.decode()
    compare = reverse("admin:kb_article_compare", args=[huabei.pk])
    page = publisher_client.get(compare, {"from": baseline.pk, "to": newest.pk}).content.decode()
    assert "网络<del>繁忙或不稳定</del>" in page and "网络<ins>信号很差</ins>" in page
    # A version of something else, or nonsense, goes back to the history with a message.
    odd = publisher_client.get(compare, {"from": "x", "to": newest.pk})
    assert odd.status_code == 302
