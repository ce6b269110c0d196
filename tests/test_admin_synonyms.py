"""Synonyms in admin (/admin/kb/synonym/): both staff roles list, search, add, edit, enable and
disable them through the admin's own forms, and search follows every change at once."""

import re

import pytest
from django.urls import reverse

from kb.models import Synonym
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

PHRASE = "咕噜咕噜"  # no article says it: only a synonym can lead a reader from it to one
LISTING = reverse("admin:kb_synonym_changelist")


def found(client, query, article):
    page = client.get(reverse("kb:search"), {"q": query}).content.decode()
    # A result's link (the hot questions under "nothing found" name their articles too).
    return re.search(f'class="result__title" href="[^"]*" data-article="{article.slug}"', page)


def add_synonym(client, phrase, expansions):
    add_url = reverse("admin:kb_synonym_add")
    data = form_data(client.get(add_url).content.decode(), "synonym_form")
    data.update(phrase=phrase, expansions=expansions)
    return client.post(add_url, data)


def test_a_synonym_added_in_admin_leads_search_to_the_article_at_once(editor_client, huabei):
    assert not found(editor_client, PHRASE, huabei)
    assert add_synonym(editor_client, PHRASE, "无法还款").status_code == 302
    assert found(editor_client, PHRASE, huabei)


def change_url(synonym):
    return reverse("admin:kb_synonym_change", args=[synonym.pk])


def test_editing_a_synonym_s_words_changes_what_search_finds(publisher_client, huabei, fenqile):
    add_synonym(publisher_client, PHRASE, "无法还款")
    synonym = Synonym.objects.get(phrase=PHRASE)
    data = form_data(publisher_client.get(change_url(synonym)).content.decode(), "synonym_form")
    data["expansions"] = "催收电话"
    assert publisher_client.post(change_url(synonym), data).status_code == 302
    assert found(publisher_client, PHRASE, fenqile) and not found(publisher_client, PHRASE, huabei)


def test_unticking_enabled_turns_a_synonym_off_for_search(editor_client, huabei):
    add_synonym(editor_client, PHRASE, "无法还款")
    synonym = Synonym.objects.get(phrase=PHRASE)
    data = form_data(editor_client.get(change_url(synonym)).content.decode(), "synonym_form")
    assert data["enabled"] == "on"
    del data["enabled"]  # an unticked box is not posted
    assert editor_client.post(change_url(synonym), data).status_code == 302
    assert not found(editor_client, PHRASE, huabei)


def test_the_list_actions_disable_and_enable_synonyms_for_search(editor_client, huabei):
    add_synonym(editor_client, PHRASE, "无法还款")
    synonym = Synonym.objects.get(phrase=PHRASE)
    page = editor_client.get(LISTING).content.decode()
    assert "停用所选同义词" in page and "启用所选同义词" in page

    response = editor_client.post(
        LISTING, {"action": "disable", "_selected_action": [synonym.pk]}, follow=True
    )
    assert "已停用 1 个同义词。" in response.content.decode()
    assert not found(editor_client, PHRASE, huabei)

    editor_client.post(LISTING, {"action": "enable", "_selected_action": [synonym.pk]})
    assert found(editor_client, PHRASE, huabei)


def test_the_list_shows_chinese_columns_searches_and_filters(editor_client, imported):
    Synonym.objects.filter(phrase="还不了").update(enabled=False)
    page = editor_client.get(LISTING).content.decode()
    for label in ("同义词", "读者说法", "对应的标准说法", "启用", "备注", "更新时间"):
        assert label in page
    searched = editor_client.get(LISTING, {"q": "无法还款"}).content.decode()
    assert "还不了" in searched and "转圈" not in searched
    disabled = editor_client.get(LISTING, {"enabled__exact": "0"}).content.decode()
    assert "还不了" in disabled and "转圈" not in disabled


def test_a_phrase_is_listed_once(editor_client, imported):
    response = add_synonym(editor_client, "还不了", "还款失败")
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_editors_and_publishers_manage_synonyms_and_only_publishers_delete(
    client, editor, publisher, imported
):
    synonym = Synonym.objects.get(phrase="还不了")
    delete_url = reverse("admin:kb_synonym_delete", args=[synonym.pk])
    for user in (editor, publisher):
        client.force_login(user)
        assert client.get(LISTING).status_code == 200
        assert client.get(reverse("admin:kb_synonym_add")).status_code == 200
        assert client.get(change_url(synonym)).status_code == 200
    client.force_login(editor)
    assert 'value="delete_selected"' not in client.get(LISTING).content.decode()
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.force_login(publisher)
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Synonym.objects.filter(phrase="还不了").exists()
