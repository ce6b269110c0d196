"""The two staff roles, each doing exactly its part, and the login protection in front of them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.http import urlencode

from kb.models import Article
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def make_draft(article):
    article.status = Article.Status.DRAFT
    article.save()
    return article


def test_the_migration_creates_both_groups():
    editors = set(Group.objects.get(name="编辑").permissions.values_list("codename", flat=True))
    publishers = set(Group.objects.get(name="发布").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "change_cause", "delete_remedy"} <= editors
    assert {"add_synonym", "change_synonym"} <= editors
    assert "publish_article" not in editors and "delete_article" not in editors
    assert {"view_bestbet", "view_outofscopequery"} <= editors
    # Best bets and out-of-scope marks change what every reader finds: 发布 only.
    assert publishers - editors == {
        "publish_article",
        "delete_article",
        "delete_synonym",
        *("add_bestbet", "change_bestbet", "delete_bestbet"),
        *("add_outofscopequery", "change_outofscopequery", "delete_outofscopequery"),
    }


def test_an_editor_edits_a_draft_but_cannot_publish_it(editor_client, huabei):
    make_draft(huabei)
    page = editor_client.get(change_url(huabei)).content.decode()
    data = form_data(page, "article_form")
    assert "status" not in data and "published_at_0" not in data  # shown, not editable
    data["title"] = "花呗分期后还不上款的原因"
    data["status"] = "published"  # a hand-made post changes nothing either
    response = editor_client.post(change_url(huabei), data)
    assert response.status_code == 302

    huabei.refresh_from_db()
    assert huabei.title == "花呗分期后还不上款的原因"
    assert huabei.status == Article.Status.DRAFT
    assert editor_client.get(huabei.get_absolute_url()).status_code == 404


def test_an_editor_s_change_to_a_published_article_is_a_draft_readers_do_not_see(
    editor_client, huabei
):
    page = editor_client.get(change_url(huabei)).content.decode()
    assert "你的修改会保存为草稿" in page
    data = form_data(page, "article_form")
    data["title"] = "改过的标题"
    data["status"] = "draft"  # a hand-made post cannot unpublish either
    assert editor_client.post(change_url(huabei), data).status_code == 302
    huabei.refresh_from_db()
    assert huabei.title == "花呗分期后无法还款的原因"
    assert huabei.status == Article.Status.PUBLISHED


def test_an_editor_has_no_publish_or_delete_actions(editor_client, huabei):
    make_draft(huabei)
    listing = reverse("admin:kb_article_changelist")
    page = editor_client.get(listing).content.decode()
    assert 'value="mark_reviewed"' in page
    assert 'value="publish"' not in page and 'value="delete_selected"' not in page
    editor_client.post(listing, {"action": "publish", "_selected_action": [huabei.pk]})
    huabei.refresh_from_db()
    assert huabei.status == Article.Status.DRAFT


def test_a_publisher_publishes_a_draft_from_the_list(publisher_client, huabei):
    make_draft(huabei)
    listing = reverse("admin:kb_article_changelist")
    response = publisher_client.post(
        listing, {"action": "publish", "_selected_action": [huabei.pk]}
    )
    assert response.status_code == 302
    assert publisher_client.get(huabei.get_absolute_url()).status_code == 200


def test_a_publisher_publishes_and_unpublishes_from_the_form(publisher_client, huabei):
    make_draft(huabei)
    data = form_data(publisher_client.get(change_url(huabei)).content.decode(), "article_form")
    data["status"] = "published"
    assert publisher_client.post(change_url(huabei), data).status_code == 302
    huabei.refresh_from_db()
    assert huabei.is_public and huabei.published_at is not None
    assert publisher_client.get(huabei.get_absolute_url()).status_code == 200

    data = form_data(publisher_client.get(change_url(huabei)).content.decode(), "article_form")
    data["status"] = "draft"
    data["published_at_0"] = data["published_at_1"] = ""
    assert publisher_client.post(change_url(huabei), data).status_code == 302
    assert publisher_client.get(huabei.get_absolute_url()).status_code == 404


def test_only_a_publisher_may_delete_an_article(editor_client, publisher, huabei):
    delete_url = reverse("admin:kb_article_delete", args=[make_draft(huabei).pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    editor_client.force_login(publisher)
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=huabei.pk).exists()


def login(client, password, ip):
    return client.post(
        reverse("admin:login"),
        {"username": "user-编辑", "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_five_failed_logins_lock_that_user_out_from_that_address(client, editor):
    for _ in range(4):
        assert login(client, "wrong", "203.0.113.5").status_code == 200
    assert login(client, "wrong", "203.0.113.5").status_code == 429  # the fifth locks
    locked = login(client, "correct-horse-battery", "203.0.113.5")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # The lock is per user *and* address: the same editor elsewhere still gets in.
    elsewhere = login(client, "correct-horse-battery", "198.51.100.7")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"


def test_publishing_from_the_list_is_a_version_in_the_history(publisher_client, huabei):
    from kb.history import article_versions, changes_in

    make_draft(huabei)
    listing = reverse("admin:kb_article_changelist")
    publisher_client.post(listing, {"action": "publish", "_selected_action": [huabei.pk]})

    published, baseline = article_versions(huabei)
    assert published.revision.get_comment() == "发布"
    assert published.revision.user.username == "user-发布"
    assert "修改前的内容" in baseline.revision.get_comment()
    changes = {c.field: (str(c.before), str(c.after)) for c in changes_in(published)}
    assert changes["状态"] == ("<del>草稿</del>", "<ins>已发布</ins>")
    assert "发布时间" in changes


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil", "/\\evil.example"])
def test_signing_in_with_an_unsafe_next_lands_on_the_admin_index(client, editor, unsafe):
    login_url = f"{reverse('admin:login')}?{urlencode({'next': unsafe})}"
    page = client.get(login_url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "login-form")
    data.update(username="user-编辑", password="correct-horse-battery")
    response = client.post(login_url, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_hand_made_login_post_with_an_unsafe_next_lands_on_the_admin_index(client, editor):
    response = client.post(
        reverse("admin:login"),
        {"username": "user-编辑", "password": "correct-horse-battery", "next": "//evil"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_safe_next_is_where_signing_in_leads(client, editor):
    listing = reverse("admin:kb_article_changelist")
    login_url = f"{reverse('admin:login')}?{urlencode({'next': listing})}"
    data = form_data(client.get(login_url).content.decode(), "login-form")
    data.update(username="user-编辑", password="correct-horse-battery")
    response = client.post(login_url, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == listing
