"""Every row an article's editor posts (a cause, a cause's remedy, a general advice) is one of
that article's own, under the cause it is shown in: a posted id of another article's row, or of
another cause's, is a form error that changes nothing. Posted through the admin's own forms."""

import pytest
from django.urls import reverse

from kb.history import article_versions
from kb.models import Article, Cause, Remedy
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

REFUSED = "不属于这篇文章"


@pytest.fixture(params=["编辑", "发布", "superuser"])
def staff_client(request, client, staff_in, admin_user):
    """Each role, none of whom may reach another article through this article's form."""
    client.force_login(admin_user if request.param == "superuser" else staff_in(request.param))
    return client


@pytest.fixture
def draft(fenqile):
    """An editor's own draft: 2 causes (the first with 2 remedies) and 4 general advice rows."""
    fenqile.status = Article.Status.DRAFT
    fenqile.save()
    return fenqile


def change_url(article):
    return reverse("admin:kb_article_change", args=[article.pk])


def open_form(client, article):
    return form_data(client.get(change_url(article)).content.decode(), "article_form")


def rows(article):
    """Every cause and remedy of the article, as stored."""
    causes = list(Cause.objects.filter(article=article).values_list())
    remedies = list(Remedy.objects.filter(article=article).values_list())
    return causes, remedies


def snapshot(article):
    """The article as readers and its history see it: its rows, and how many versions."""
    return rows(article), article_versions(article).count()


def victim_cause(victim):
    return victim.causes.order_by("position").first()


def victim_remedy(victim):
    return Remedy.objects.filter(cause__article=victim).order_by("cause__position", "position")[0]


def victim_advice(victim):
    return victim.remedies.filter(cause=None).order_by("position")[0]


# Each attack: the field that gets another row's id, where that id comes from, and what else
# the post changes in that row.
ATTACKS = {
    "rewrite a cause": ("causes-0", victim_cause, {"title": "被改写的原因"}),
    "delete a cause": ("causes-1", victim_cause, {"DELETE": "on"}),
    "rewrite a remedy": ("causes-0-remedies-0", victim_remedy, {"text": "被改写的办法"}),
    "delete a remedy": ("causes-0-remedies-1", victim_remedy, {"DELETE": "on"}),
    "rewrite an advice": ("remedies-0", victim_advice, {"text": "被改写的建议"}),
    "delete an advice": ("remedies-3", victim_advice, {"DELETE": "on"}),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_row_of_another_article_is_refused_and_left_as_it_was(
    staff_client, draft, huabei, attack
):
    prefix, pick, changes = ATTACKS[attack]
    before, own_before = snapshot(huabei), rows(draft)
    data = open_form(staff_client, draft)
    data[f"{prefix}-id"] = str(pick(huabei).pk)
    data.update({f"{prefix}-{field}": value for field, value in changes.items()})

    response = staff_client.post(change_url(draft), data)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert snapshot(huabei) == before
    assert rows(draft) == own_before
    page = staff_client.get(huabei.get_absolute_url()).content.decode()
    assert victim_cause(huabei).title in page and "被改写" not in page


def test_a_remedy_posted_under_another_cause_of_the_same_article_is_refused(editor_client, draft):
    before = rows(draft)
    data = open_form(editor_client, draft)
    # The first cause's remedy, posted as a row of the second cause (which has none).
    data.update(
        {
            "causes-1-remedies-TOTAL_FORMS": "1",
            "causes-1-remedies-INITIAL_FORMS": "1",
            "causes-1-remedies-0-id": data["causes-0-remedies-0-id"],
            "causes-1-remedies-0-position": "1",
            "causes-1-remedies-0-text": "搬到别的原因下",
        }
    )
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert rows(draft) == before


def test_a_cause_s_remedy_posted_as_general_advice_is_refused(editor_client, draft):
    before = rows(draft)
    data = open_form(editor_client, draft)
    data["remedies-0-id"] = data["causes-0-remedies-0-id"]
    data["remedies-0-text"] = "变成通用建议"
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert rows(draft) == before


def test_the_form_as_shown_still_saves(editor_client, draft):
    data = open_form(editor_client, draft)
    data["causes-0-remedies-0-text"] = "先联系朋友，请对方尽快还款。"
    data["remedies-0-text"] = "用户不是担保人，不需要替朋友还款。"
    assert editor_client.post(change_url(draft), data).status_code == 302
    assert (
        draft.causes.get(position=1).remedies.get(position=1).text == "先联系朋友，请对方尽快还款。"
    )
    assert draft.remedies.get(cause=None, position=1).text == "用户不是担保人，不需要替朋友还款。"


def test_an_added_row_carrying_another_article_s_id_is_refused(editor_client, draft, huabei):
    before = snapshot(huabei)
    data = open_form(editor_client, draft)
    data.update(
        {
            "remedies-TOTAL_FORMS": "5",
            "remedies-4-id": str(victim_advice(huabei).pk),
            "remedies-4-article": str(draft.pk),
            "remedies-4-position": "5",
            "remedies-4-text": "被改写的建议",
        }
    )
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert snapshot(huabei) == before


@pytest.mark.parametrize("posted_id", ["abc", "9" * 25, "²", "-5", ""])
def test_a_row_id_that_is_not_one_of_the_article_s_is_a_form_error(editor_client, draft, posted_id):
    before = rows(draft)
    data = open_form(editor_client, draft)
    data["causes-0-remedies-0-id"] = posted_id
    data["causes-0-remedies-0-text"] = "改过的办法"
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert rows(draft) == before


def add_cause(data, article):
    data["causes-TOTAL_FORMS"] = "3"
    data.update(
        {
            "causes-2-article": str(article.pk),
            "causes-2-position": "3",
            "causes-2-title": "我加的原因",
            "causes-2-remedies-TOTAL_FORMS": "0",
            "causes-2-remedies-INITIAL_FORMS": "0",
        }
    )


def add_advice(data, article):
    data["remedies-TOTAL_FORMS"] = "5"
    data.update({"remedies-4-article": str(article.pk), "remedies-4-position": "5"})
    data["remedies-4-text"] = "我加的建议"


def add_remedy(data, article):
    data["causes-0-remedies-TOTAL_FORMS"] = "3"
    data.update({"causes-0-remedies-2-cause": data["causes-0-id"]})
    data.update({"causes-0-remedies-2-position": "3", "causes-0-remedies-2-text": "我加的办法"})


def move_cause(data, article):
    data["causes-1-position"] = "3"


# What someone else saved while the form was open, and what the form then posts at that place.
TAKEN = {
    "an added cause": (3, lambda a: Cause(article=a, position=3, title="别人加的"), add_cause),
    "an added advice": (5, lambda a: Remedy(article=a, position=5, text="别人加的"), add_advice),
    "an added remedy": (
        3,
        lambda a: Remedy(article=a, cause=a.causes.get(position=1), position=3, text="别人加的"),
        add_remedy,
    ),
    "a moved cause": (3, lambda a: Cause(article=a, position=3, title="别人加的"), move_cause),
}


@pytest.mark.parametrize("case", TAKEN)
def test_a_row_posted_at_a_position_taken_since_the_page_opened_is_a_form_error(
    editor_client, draft, case
):
    position, theirs, ours = TAKEN[case]
    data = open_form(editor_client, draft)
    theirs(draft).save()
    before = rows(draft)
    ours(data, draft)

    response = editor_client.post(change_url(draft), data)

    assert response.status_code == 200
    assert f"序号 {position} 已被另一行占用" in response.content.decode()
    assert rows(draft) == before


def test_another_article_s_version_cannot_be_restored_through_this_one(
    client, editor, publisher, draft, huabei
):
    # A publisher's edit gives the published article a history: its imported state, then this.
    client.force_login(publisher)
    data = open_form(client, huabei)
    title_key = next(k for k in data if k.endswith("-title") and data[k] == "没有待还款金额")
    data[title_key] = "发布者改过的标题"
    assert client.post(change_url(huabei), data).status_code == 302
    # In its old revision, a version of one of its rows (not the article) whose id is the
    # draft's: reversion would revert that whole revision, the published article with it.
    baseline = article_versions(huabei).last().revision
    old = baseline.version_set.exclude(content_type__model="article")
    old = old.filter(object_id=str(draft.pk)).first()
    assert old is not None
    before = snapshot(huabei)

    client.force_login(editor)
    for url in (
        reverse("admin:kb_article_revision", args=[draft.pk, old.pk]),
        reverse("admin:kb_article_recover", args=[old.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, open_form(client, draft)).status_code == 404
    assert snapshot(huabei) == before
    assert "发布者改过的标题" in client.get(huabei.get_absolute_url()).content.decode()
