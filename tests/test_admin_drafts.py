"""The editorial workflow through the admin's own forms: an editor's change to a live article
waits as a draft for a publisher; a save based on a stale page is refused with the diff; a
slug change keeps the old URL; deleting an article readers opened."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.models import Article, ArticleDraft, ArticleHits, Cause, Feedback
from tests.html_forms import find_key, form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def draft_url(article):
    return reverse("admin:kb_article_draft", args=[article.pk])


def open_form(client, article):
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.content.decode(), "article_form")


def cause_title_key(data, position):
    return find_key(data, "causes-", "position", position).removesuffix("-position") + "-title"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def fix_typo(client, article, title="网络信号差或正在维护"):
    data = open_form(client, article)
    data[cause_title_key(data, 2)] = title
    return client.post(change_url(article), data)


def test_an_editor_s_change_to_a_live_article_waits_as_a_draft(editor_client, huabei):
    response = fix_typo(editor_client, huabei)
    assert response.status_code == 302 and response["Location"] == draft_url(huabei)

    # Readers keep the live wording.
    assert Cause.objects.get(article=huabei, position=2).title != "网络信号差或正在维护"
    public = Client().get(huabei.get_absolute_url()).content.decode()
    assert "网络信号差或正在维护" not in public
    # The editor's page, the draft page and the draft's preview show the change.
    assert "网络信号差或正在维护" in editor_client.get(change_url(huabei)).content.decode()
    page = editor_client.get(draft_url(huabei)).content.decode()
    assert "<ins>" in page and "提交审核" in page and "发布这些修改" not in page
    preview = reverse("admin:kb_article_preview", args=[huabei.pk]) + "?draft=1"
    assert "网络信号差或正在维护" in editor_client.get(preview).content.decode()


def test_a_publisher_publishes_a_submitted_draft_from_the_queue(editor, publisher, huabei):
    editor.first_name = "小王"
    editor.save()
    editing = client_for(editor)
    fix_typo(editing, huabei)
    editing.post(draft_url(huabei), {"action": "submit"})
    assert ArticleDraft.objects.get(article=huabei).status == ArticleDraft.Status.SUBMITTED

    publishing = client_for(publisher)
    queue = publishing.get(reverse("admin:kb_articledraft_changelist")).content.decode()
    assert draft_url(huabei) in queue and "待审核" in queue and "小王" in queue
    # An editor cannot publish their own draft, even by hand.
    assert editing.post(draft_url(huabei), {"action": "publish"}).status_code == 403
    response = publishing.post(draft_url(huabei), {"action": "publish"})
    assert response.status_code == 302

    assert "网络信号差或正在维护" in Client().get(huabei.get_absolute_url()).content.decode()
    assert not ArticleDraft.objects.filter(article=huabei).exists()
    history = publishing.get(reverse("admin:kb_article_history", args=[huabei.pk]))
    assert "发布 小王 提交的修改" in history.content.decode()


def test_a_publisher_sends_a_draft_back_with_a_comment(editor, publisher, huabei):
    editing = client_for(editor)
    fix_typo(editing, huabei)
    publishing = client_for(publisher)
    refused = publishing.post(draft_url(huabei), {"action": "return", "comment": ""})
    assert "退回时请写明需要怎样修改" in refused.content.decode()
    publishing.post(draft_url(huabei), {"action": "return", "comment": "标题太长了"})

    page = editing.get(change_url(huabei)).content.decode()
    assert "退回意见" in page and "标题太长了" in page
    assert "网络信号差或正在维护" not in Client().get(huabei.get_absolute_url()).content.decode()


def test_a_draft_that_adds_and_removes_causes_publishes_them(editor, publisher, huabei):
    editing = client_for(editor)
    data = open_form(editing, huabei)
    data[find_key(data, "causes-", "position", 1).replace("position", "DELETE")] = "on"
    total = int(data["causes-TOTAL_FORMS"])
    data.update(
        {
            "causes-TOTAL_FORMS": str(total + 1),
            f"causes-{total}-position": "9",
            f"causes-{total}-title": "新加的原因",
            f"causes-{total}-explanation": "",
            f"causes-{total}-question": "",
            f"causes-{total}-remedies-TOTAL_FORMS": "1",
            f"causes-{total}-remedies-INITIAL_FORMS": "0",
            f"causes-{total}-remedies-0-position": "1",
            f"causes-{total}-remedies-0-text": "新办法",
        }
    )
    assert editing.post(change_url(huabei), data).status_code == 302
    assert not Cause.objects.filter(title="新加的原因").exists()

    client_for(publisher).post(draft_url(huabei), {"action": "publish"})
    added = Cause.objects.get(article=huabei, title="新加的原因")
    assert [r.text for r in added.remedies.all()] == ["新办法"]
    assert not Cause.objects.filter(article=huabei, position=1).exists()


def history_url(article):
    return reverse("admin:kb_article_history", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:kb_article_revision", args=[article.pk, version.pk])


def public_page(article):
    return Client().get(article.get_absolute_url()).content.decode()


def test_an_editor_restoring_a_live_article_s_old_version_sends_it_for_review(
    editor, publisher, huabei
):
    from kb.history import article_versions

    publishing = client_for(publisher)
    fix_typo(publishing, huabei, "发布者改过的标题")  # live at once: the history has two versions
    imported = article_versions(huabei).last()

    editing = client_for(editor)
    history = editing.get(history_url(huabei)).content.decode()
    assert "提议恢复（需审核）" in history and "成为待发布的修改并提交审核" in history
    confirm = editing.get(restore_url(huabei, imported)).content.decode()
    assert "恢复为待发布的修改并提交审核" in confirm and "读者才看到" in confirm
    assert "<del>发布者改过的标题</del>" in confirm

    response = editing.post(restore_url(huabei, imported), {})
    assert response.status_code == 302 and response["Location"] == draft_url(huabei)
    assert "发布者改过的标题" in public_page(huabei)  # readers keep the live article
    draft = ArticleDraft.objects.get(article=huabei)
    assert draft.status == ArticleDraft.Status.SUBMITTED and draft.author == editor
    queue = publishing.get(reverse("admin:kb_articledraft_changelist")).content.decode()
    assert draft_url(huabei) in queue and "待审核" in queue

    publishing.post(draft_url(huabei), {"action": "publish"})
    page = public_page(huabei)
    assert "网络繁忙或不稳定" in page and "发布者改过的标题" not in page


def test_the_restore_page_warns_an_editor_that_it_replaces_the_pending_draft(
    editor, publisher, huabei
):
    from kb.history import article_versions

    fix_typo(client_for(publisher), huabei, "发布者改过的标题")
    editing = client_for(editor)
    fix_typo(editing, huabei, "编辑的草稿标题")
    confirm = editing.get(restore_url(huabei, article_versions(huabei).last())).content.decode()
    assert "已有一份待发布的修改" in confirm and "会被这个版本替换" in confirm


def test_a_restore_over_an_older_draft_is_based_on_the_live_article_of_now(
    editor, publisher, huabei
):
    from kb import drafts
    from kb.history import article_versions

    editing = client_for(editor)
    fix_typo(editing, huabei, "编辑的草稿标题")  # a draft begun on the live article of then
    fix_typo(client_for(publisher), huabei, "发布者后来改过的标题")  # live changes after it
    assert drafts.live_changed_since(ArticleDraft.objects.get(article=huabei))
    editing.post(restore_url(huabei, article_versions(huabei).last()), {})
    # The restore replaced the draft whole, from the live article as it is now.
    assert not drafts.live_changed_since(ArticleDraft.objects.get(article=huabei))


def test_a_publisher_restores_a_live_article_at_once(publisher, huabei):
    from kb.history import article_versions

    publishing = client_for(publisher)
    fix_typo(publishing, huabei, "发布者改过的标题")
    imported = article_versions(huabei).last()
    history = publishing.get(history_url(huabei)).content.decode()
    assert "提议恢复" not in history and "读者马上看到" in history
    confirm = publishing.get(restore_url(huabei, imported)).content.decode()
    assert "读者马上看到" in confirm and "提交审核" not in confirm
    publishing.post(restore_url(huabei, imported), {})
    assert "网络繁忙或不稳定" in public_page(huabei)
    assert not ArticleDraft.objects.filter(article=huabei).exists()


def test_restoring_the_version_readers_see_now_offers_nothing_and_makes_no_draft(
    editor, publisher, huabei
):
    from kb.history import article_versions

    fix_typo(client_for(publisher), huabei, "发布者改过的标题")
    live = article_versions(huabei).first()  # the version readers see now
    for user in (editor, publisher):
        staff = client_for(user)
        confirm = staff.get(restore_url(huabei, live)).content.decode()
        assert (
            "没有需要恢复的内容" in confirm
            and "<button" not in confirm.split('id="content-main"')[1]
        )
        response = staff.post(restore_url(huabei, live), {})
        assert response.status_code == 302 and response["Location"] == history_url(huabei)
    assert not ArticleDraft.objects.filter(article=huabei).exists()
    assert article_versions(huabei).count() == 2  # no empty version was added


def test_an_editor_may_not_delete_a_live_article(editor_client, huabei):
    delete = reverse("admin:kb_article_delete", args=[huabei.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=huabei.pk).exists()


def test_a_save_from_a_stale_page_is_refused_with_what_changed(staff_in, huabei):
    first, second = client_for(staff_in("发布", "li")), client_for(staff_in("发布", "zhang"))
    first_data, second_data = open_form(first, huabei), open_form(second, huabei)

    first_data[cause_title_key(first_data, 2)] = "第一位的修改"
    assert first.post(change_url(huabei), first_data).status_code == 302
    second_data["title"] = "第二位的标题"
    refused = second.post(change_url(huabei), second_data)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "没有保存" in page and "<ins>第一位的修改</ins>" in page
    huabei.refresh_from_db()
    assert huabei.title != "第二位的标题"
    assert Cause.objects.get(article=huabei, position=2).title == "第一位的修改"

    # Saving again, with the diff seen, is a decision: it goes through.
    again = form_data(page, "article_form")
    assert second.post(change_url(huabei), again).status_code == 302
    huabei.refresh_from_db()
    assert huabei.title == "第二位的标题"


def test_a_changed_slug_redirects_its_old_url_in_both_scripts(publisher_client, huabei):
    old = huabei.get_absolute_url()
    data = open_form(publisher_client, huabei)
    data["slug"] = "huabei-huankuan-shibai"
    assert publisher_client.post(change_url(huabei), data).status_code == 302

    reader = Client()
    moved = reader.get(old)
    assert moved.status_code == 301 and moved["Location"] == "/articles/huabei-huankuan-shibai/"
    hant = reader.get("/zh-hant" + old)
    assert hant.status_code == 301
    assert hant["Location"] == "/zh-hant/articles/huabei-huankuan-shibai/"
    sitemap = reader.get("/sitemap.xml").content.decode()
    assert "huabei-huankuan-shibai" in sitemap and old not in sitemap


def test_a_slug_given_back_to_its_article_is_its_current_url_again(publisher_client, huabei):
    old = huabei.slug
    huabei.slug = "linshi"
    huabei.save()
    huabei.slug = old
    huabei.save()
    assert Client().get(f"/articles/{old}/").status_code == 200
    assert Client().get("/articles/linshi/").status_code == 301


def test_a_publisher_deletes_an_article_readers_opened(publisher_client, huabei):
    ArticleHits.objects.record_view(huabei)
    Feedback.objects.create(article=huabei, helpful=True, visitor="x")
    delete = reverse("admin:kb_article_delete", args=[huabei.pk])
    confirm = publisher_client.get(delete).content.decode()
    assert "无权删除" not in confirm and "搜索文档" not in confirm and "指纹" not in confirm
    assert "阅读统计" in confirm  # the summary says the statistics go too
    assert publisher_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=huabei.pk).exists()
    assert not ArticleHits.objects.filter(article_id=huabei.pk).exists()


def test_a_new_row_left_without_a_number_comes_after_the_others(publisher_client, huabei):
    data = open_form(publisher_client, huabei)
    total = int(data["remedies-TOTAL_FORMS"])
    data.update(
        {
            "remedies-TOTAL_FORMS": str(total + 1),
            f"remedies-{total}-position": "",
            f"remedies-{total}-text": "新的通用建议",
        }
    )
    assert publisher_client.post(change_url(huabei), data).status_code == 302
    advice = list(huabei.remedies.general_advice().values_list("text", flat=True))
    assert advice[-1] == "新的通用建议" and len(advice) == total + 1
