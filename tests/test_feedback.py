import re

import pytest
from django.test import Client
from django.urls import reverse

from kb import feedback
from kb.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote_url(huabei):
    return reverse("kb:feedback", kwargs={"slug": huabei.slug})


def test_article_and_each_cause_ask_for_feedback(client, huabei):
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert page.count("这篇文章有帮助吗？") == 1
    assert page.count("这个办法解决了吗？") == 4
    # No per-visitor token: the page is the same for every reader (kb.csrf, kb.cache).
    assert page.count('<form class="feedback" method="post"') == 5
    assert "csrfmiddlewaretoken" not in page


def test_vote_without_javascript_redirects_to_a_thank_you(client, huabei, vote_url):
    response = client.post(vote_url, {"helpful": "yes"})
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert "谢谢你的反馈！" in thanks.content.decode()
    vote = Feedback.objects.get()
    assert vote.article == huabei and vote.cause is None and vote.helpful


def test_a_no_vote_invites_an_optional_comment(client, huabei, vote_url):
    response = client.post(vote_url, {"helpful": "no", "cause": "2"})
    page = client.get(response["Location"]).content.decode()
    assert 'name="comment"' in page and 'name="cause" value="2"' in page
    response = client.post(vote_url, {"helpful": "no", "cause": "2", "comment": "还是没法还"})
    assert "已收到你的补充说明" in client.get(response["Location"]).content.decode()
    vote = Feedback.objects.get()
    assert vote.cause.position == 2 and not vote.helpful and vote.comment == "还是没法还"


def test_one_vote_per_visitor_and_item(client, huabei, vote_url):
    client.post(vote_url, {"helpful": "yes"})
    client.post(vote_url, {"helpful": "no"})
    client.post(vote_url, {"helpful": "yes", "cause": "1"})
    assert Feedback.objects.count() == 2
    assert not Feedback.objects.get(cause=None).helpful
    Client().post(vote_url, {"helpful": "yes"})
    assert Feedback.objects.filter(cause=None).count() == 2


def test_visitors_are_anonymous(client, vote_url):
    client.post(vote_url, {"helpful": "yes"}, REMOTE_ADDR="203.0.113.7")
    vote = Feedback.objects.get()
    raw_id = client.cookies[feedback.VISITOR_COOKIE].value
    assert "203.0.113.7" not in str(Feedback.objects.values().get())
    assert raw_id.split(":")[0] not in vote.visitor and len(vote.visitor) == 64


BROWSER_SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
        # A browser without Fetch Metadata: the Origin decides.
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "null"},
    ],
)
def test_votes_sent_from_another_site_are_refused(huabei, vote_url, headers):
    client = Client(enforce_csrf_checks=True)
    page = client.post(vote_url, {"helpful": "yes"}, headers=headers)
    assert page.status_code == 403
    assert "只能在本站的文章页面上提交" in page.content.decode()
    as_json = client.post(
        vote_url, {"helpful": "yes"}, headers={**headers, "Accept": "application/json"}
    )
    assert as_json.status_code == 403 and as_json.json() == {
        "detail": "只能在本站的页面上提交反馈。"
    }
    assert not Feedback.objects.exists()
    assert feedback.VISITOR_COOKIE not in client.cookies


@pytest.mark.parametrize(
    "headers",
    [
        BROWSER_SAME_ORIGIN,
        {"Sec-Fetch-Site": "none"},  # typed or bookmarked by the reader
        {"Origin": "http://testserver"},  # a browser without Fetch Metadata, our own page
        {},  # not a browser: nothing to forge, a script can send any header it likes
    ],
)
def test_votes_from_our_own_pages_need_no_token(huabei, vote_url, headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post(vote_url, {"helpful": "yes"}, headers=headers)
    assert response.status_code == 303
    assert Feedback.objects.filter(article=huabei, helpful=True).count() == 1


@pytest.mark.parametrize(
    ("origin", "host", "secure"),
    [
        ("https://testserver", "testserver:443", True),
        ("https://testserver:443", "testserver", True),
        ("http://testserver:80", "testserver", False),
        ("http://testserver:8000", "testserver:8000", False),
    ],
)
def test_a_default_port_is_the_same_origin(huabei, vote_url, origin, host, secure):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        vote_url, {"helpful": "yes"}, headers={"Origin": origin}, secure=secure, HTTP_HOST=host
    )
    assert response.status_code == 303
    other_port = {"Origin": "http://testserver:8001"}
    assert client.post(vote_url, {"helpful": "yes"}, headers=other_port).status_code == 403


@pytest.mark.parametrize("origin", ["https://help.example.com", "https://m.example.com"])
def test_trusted_origins_may_send_votes(settings, huabei, vote_url, origin):
    settings.CSRF_TRUSTED_ORIGINS = ["https://help.example.com", "https://*.example.com"]
    client = Client(enforce_csrf_checks=True)
    headers = {"Origin": origin, "Sec-Fetch-Site": "same-site"}
    assert client.post(vote_url, {"helpful": "yes"}, headers=headers).status_code == 303
    other = {"Origin": "https://example.org", "Sec-Fetch-Site": "cross-site"}
    assert client.post(vote_url, {"helpful": "yes"}, headers=other).status_code == 403


def test_signed_in_forms_keep_djangos_token_check(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post("/admin/logout/", headers=BROWSER_SAME_ORIGIN)
    assert response.status_code == 403


def test_javascript_gets_json_and_the_answer_is_never_cached(client, vote_url):
    response = client.post(vote_url, {"helpful": "no"}, HTTP_ACCEPT="application/json")
    assert response.json()["ok"] is True
    assert "/feedback/thanks/?helpful=no" in response.json()["thanks_url"]
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_invalid_votes_are_refused(client, vote_url):
    assert client.post(vote_url, {"helpful": "maybe"}).status_code == 400
    assert client.post(vote_url, {"helpful": "yes", "cause": "99"}).status_code == 400
    assert client.post(vote_url, {"helpful": "no", "comment": "长" * 201}).status_code == 400
    assert client.get(vote_url).status_code == 405
    assert not Feedback.objects.exists()


def test_votes_are_rate_limited(client, vote_url, monkeypatch):
    monkeypatch.setattr(feedback, "RATE_LIMIT_PER_VISITOR", 3)
    statuses = [client.post(vote_url, {"helpful": "yes"}).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert "提交太频繁" in client.post(vote_url, {"helpful": "yes"}).content.decode()


def test_summary_counts_votes_per_article_and_cause(client, huabei, vote_url):
    for helpful, cause in [("yes", ""), ("no", "2"), ("yes", "2")]:
        Client().post(
            vote_url, {"helpful": helpful, "cause": cause, "comment": "嗯" * (cause == "2")}
        )
    rows = {row["cause__position"]: row for row in Feedback.objects.summary()}
    assert rows[None]["helpful_votes"] == 1 and rows[None]["unhelpful_votes"] == 0
    assert rows[2]["helpful_votes"] == 1 and rows[2]["unhelpful_votes"] == 1
    assert rows[2]["comments"] == 2 and rows[2]["votes"] == 2
    assert rows[2]["article__title"] == huabei.title


ODD_NUMBERS = ["²", "①", "７", "１", "٣", "9" * 25, "-1", "0", " 1"]


@pytest.mark.parametrize("cause", ODD_NUMBERS)
def test_thank_you_page_ignores_a_cause_that_is_not_a_plain_number(client, huabei, cause):
    url = reverse("kb:feedback_thanks", kwargs={"slug": huabei.slug})
    response = client.get(url, {"helpful": "no", "cause": cause})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"回到「{huabei.title}」" in page
    assert 'name="cause"' not in page


def test_thank_you_page_names_the_cause_voted_on(client, huabei):
    url = reverse("kb:feedback_thanks", kwargs={"slug": huabei.slug})
    page = client.get(url, {"helpful": "no", "cause": "2"}).content.decode()
    cause = huabei.causes.get(position=2)
    assert f"回到「{cause.title}」" in page
    assert '<input type="hidden" name="cause" value="2">' in page


@pytest.mark.parametrize("cause", ODD_NUMBERS)
def test_votes_on_a_cause_that_is_not_a_plain_number_are_refused(client, vote_url, cause):
    assert client.post(vote_url, {"helpful": "yes", "cause": cause}).status_code == 400
    json_vote = client.post(
        vote_url, {"helpful": "yes", "cause": cause}, HTTP_ACCEPT="application/json"
    )
    assert json_vote.status_code == 400
    assert json_vote.json() == {"detail": "反馈内容无效。"}
    assert not Feedback.objects.exists()


class TestRemedyVotes:
    """One step of a cause's 怎么办 voted on by itself (issue 18 item 7)."""

    @pytest.fixture
    def remedy(self, huabei):
        return huabei.causes.get(position=2).remedies.order_by("position").first()

    def test_each_remedy_asks_on_the_article_and_the_cause_page(self, client, huabei, remedy):
        remedies = sum(cause.remedies.count() for cause in huabei.causes.all())
        page = client.get(huabei.get_absolute_url()).content.decode()
        assert page.count("这个办法有用吗？") == remedies
        assert page.count('<form class="feedback feedback--remedy"') == remedies
        anchor = f"cause-2-remedy-{remedy.position}"
        assert f'<li class="remedy" id="{anchor}">' in page
        assert f'<input type="hidden" name="remedy" value="{remedy.position}">' in page
        assert "csrfmiddlewaretoken" not in page
        cause_page = client.get(
            reverse("kb:cause", kwargs={"slug": huabei.slug, "position": 2})
        ).content.decode()
        assert cause_page.count("这个办法有用吗？") == remedy.cause.remedies.count()
        assert f'id="{anchor}"' in cause_page

    def test_a_remedy_vote_without_javascript_thanks_and_leads_back_to_it(
        self, client, huabei, vote_url, remedy
    ):
        data = {"helpful": "no", "cause": "2", "remedy": str(remedy.position)}
        response = client.post(vote_url, data)
        assert response.status_code == 303
        page = client.get(response["Location"]).content.decode()
        assert "你选的是「没用」" in page and "改成「有用」" in page
        assert f'href="{huabei.get_absolute_url()}#cause-2-remedy-{remedy.position}"' in page
        assert f'name="remedy" value="{remedy.position}"' in page  # comment, change of vote
        vote = Feedback.objects.get()
        assert (vote.cause, vote.remedy, vote.helpful) == (remedy.cause, remedy, False)

    def test_a_remedy_vote_is_changeable_and_apart_from_the_cause_vote(
        self, client, vote_url, remedy
    ):
        target = {"cause": "2", "remedy": str(remedy.position)}
        client.post(vote_url, {"helpful": "no", **target}, HTTP_ACCEPT="application/json")
        client.post(vote_url, {"helpful": "yes", **target}, HTTP_ACCEPT="application/json")
        client.post(vote_url, {"helpful": "no", "cause": "2"})
        assert Feedback.objects.count() == 2
        assert Feedback.objects.get(remedy=remedy).helpful is True
        assert Feedback.objects.get(remedy=None).helpful is False

    def test_a_remedy_vote_gets_json_with_the_way_back(self, client, vote_url, remedy):
        response = client.post(
            vote_url,
            {"helpful": "no", "cause": "2", "remedy": str(remedy.position)},
            HTTP_ACCEPT="application/json",
        )
        body = response.json()
        assert body["ok"] is True and f"remedy={remedy.position}" in body["thanks_url"]
        assert body["next_steps"]

    def test_the_summary_counts_votes_per_remedy(self, vote_url, remedy):
        for helpful in ("yes", "no", "no"):
            Client().post(
                vote_url, {"helpful": helpful, "cause": "2", "remedy": str(remedy.position)}
            )
        rows = [row for row in Feedback.objects.summary() if row["remedy_id"] == remedy.pk]
        assert [(r["helpful_votes"], r["unhelpful_votes"]) for r in rows] == [(1, 2)]

    def test_another_causes_or_articles_remedy_cannot_be_named(
        self, client, huabei, fenqile, vote_url
    ):
        cause_2 = huabei.causes.get(position=2)
        past_the_last = cause_2.remedies.order_by("-position").first().position + 1
        other_cause = huabei.causes.exclude(position=2).filter(remedies__isnull=False).first()
        elsewhere = fenqile.causes.first().remedies.first()
        refused = [
            {"cause": "2", "remedy": str(past_the_last)},
            {"remedy": "1"},  # a remedy needs its cause
            {"cause": "99", "remedy": "1"},
            {"cause": "2", "remedy": str(elsewhere.pk)},  # an id is not a position
        ]
        assert other_cause is not None
        assert not cause_2.remedies.filter(position=elsewhere.pk).exists()
        for data in refused:
            response = client.post(vote_url, {"helpful": "yes", **data})
            assert response.status_code == 400, data
            as_json = client.post(
                vote_url, {"helpful": "yes", **data}, HTTP_ACCEPT="application/json"
            )
            assert as_json.status_code == 400 and as_json.json() == {"detail": "反馈内容无效。"}
        assert not Feedback.objects.exists()

    def test_a_drafts_remedy_is_not_found(self, client, huabei, vote_url, remedy):
        huabei.status = huabei.Status.DRAFT
        huabei.save()
        response = client.post(vote_url, {"helpful": "yes", "cause": "2", "remedy": "1"})
        assert response.status_code == 404
        assert not Feedback.objects.exists()

    @pytest.mark.parametrize("value", [*ODD_NUMBERS, "1" * 10000])
    def test_odd_remedy_numbers_are_refused(self, client, vote_url, remedy, value):
        if value == "0" and remedy.position == 0:
            pytest.skip("0 names this remedy")
        response = client.post(vote_url, {"helpful": "yes", "cause": "2", "remedy": value})
        assert response.status_code == 400
        assert not Feedback.objects.exists()

    def test_the_thank_you_page_ignores_a_remedy_it_cannot_name(self, client, huabei):
        url = reverse("kb:feedback_thanks", kwargs={"slug": huabei.slug})
        for query in (
            {"cause": "2", "remedy": "①"},
            {"remedy": "1"},
            {"cause": "2", "remedy": "99"},
        ):
            response = client.get(url, {"helpful": "no", **query})
            assert response.status_code == 200
            assert 'name="remedy"' not in response.content.decode()

    def test_remedy_votes_from_another_site_are_refused(self, huabei, vote_url, remedy):
        client = Client(enforce_csrf_checks=True)
        data = {"helpful": "yes", "cause": "2", "remedy": str(remedy.position)}
        headers = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
        assert client.post(vote_url, data, headers=headers).status_code == 403
        assert not Feedback.objects.exists()

    def test_remedy_votes_share_the_rate_limit(self, client, vote_url, remedy, monkeypatch):
        monkeypatch.setattr(feedback, "RATE_LIMIT_PER_VISITOR", 2)
        data = {"cause": "2", "remedy": str(remedy.position)}
        statuses = [
            client.post(vote_url, {"helpful": "yes"}).status_code,
            client.post(vote_url, {"helpful": "yes", **data}).status_code,
            client.post(vote_url, {"helpful": "no", **data}).status_code,
        ]
        assert statuses == [303, 303, 429]
        assert Feedback.objects.get(remedy=remedy).helpful is True

    def test_a_remedy_comment_with_a_phone_number_is_refused_and_kept_to_edit(
        self, client, vote_url, remedy
    ):
        data = {"helpful": "no", "cause": "2", "remedy": str(remedy.position)}
        response = client.post(vote_url, {**data, "comment": "打 13812345678"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "打 13812345678" in page and f'name="remedy" value="{remedy.position}"' in page
        assert not Feedback.objects.exists()


def test_each_remedy_s_vote_is_described_by_its_own_step(client, huabei):
    page = client.get(huabei.get_absolute_url()).content.decode()
    for described in re.findall(r'<fieldset aria-describedby="([^"]+)">', page):
        assert f'id="{described}"' in page and described.endswith("-text")
    assert page.count('<fieldset aria-describedby="') == huabei.remedies.exclude(cause=None).count()
