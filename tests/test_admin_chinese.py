"""The admin speaks Chinese: no English left on the pages staff use, Django's phrases without
stray spaces around names and with Chinese punctuation."""

import re

import pytest

pytestmark = pytest.mark.django_db

ENGLISH_LEFT = ["Invalid response", "Remove", "Axes", "Access attempts", "Model name", "Add link"]


def visible_text(html):
    """The page's own words: without scripts, and without the content shown in it (imported
    text keeps its source's punctuation)."""
    html = re.sub(
        r"<script.*?</script>|<style.*?</style>|<textarea.*?</textarea>|"
        r'<div class="readonly">.*?</div>',
        "",
        html,
        flags=re.S,
    )
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/kb/article/",
        "/admin/kb/article/{pk}/change/",
        "/admin/kb/article/{pk}/delete/",
        "/admin/kb/article/add/",
        "/admin/kb/article/{pk}/history/",
        "/admin/kb/article/0/change/",
        "/admin/axes/accessattempt/",
    ],
)
def test_admin_pages_are_in_chinese(admin_client, huabei, path):
    html = admin_client.get(path.format(pk=huabei.pk), follow=True).content.decode()
    text = visible_text(html)
    for english in ENGLISH_LEFT:
        assert english not in text
    assert 'alt="Search"' not in html
    # "增加 文章", "以 状态", "删除 文章 "…"？ 下列": a space between Chinese words, or an
    # ASCII colon or question mark after one, is Django's translation showing through.
    assert not re.findall(
        r"[\u4e00-\u9fff] [\u4e00-\u9fff]|[\u4e00-\u9fff][:?](?!//)|[：，。；] (?=\S)", text
    )


def test_the_admin_has_an_icon(admin_client):
    assert 'rel="icon"' in admin_client.get("/admin/").content.decode()
