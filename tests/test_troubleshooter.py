import pytest
from django.urls import reverse

from kb.models import Cause

pytestmark = pytest.mark.django_db


def troubleshoot_url(article, name="kb:troubleshoot", **kwargs):
    return reverse(name, kwargs={"slug": article.slug, **kwargs})


def test_article_links_prominently_to_its_troubleshooter(client, huabei):
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert f'class="cta" href="{troubleshoot_url(huabei)}"' in page
    assert "开始自助排查" in page


def test_first_step_asks_about_the_first_cause_with_yes_and_no_links(client, huabei):
    page = client.get(troubleshoot_url(huabei)).content.decode()
    assert "第 1 题，共 4 题" in page
    assert "你的情况是「没有待还款金额」吗？" in page
    assert f'href="{troubleshoot_url(huabei, "kb:troubleshoot_match", position=1)}">是的' in page
    assert f'href="{troubleshoot_url(huabei, "kb:troubleshoot_question", position=2)}">不是' in page


def test_no_to_every_question_ends_at_the_general_advice(client, huabei):
    page = client.get(troubleshoot_url(huabei, "kb:troubleshoot_question", position=4)).content
    assert f'href="{troubleshoot_url(huabei, "kb:troubleshoot_advice")}"'.encode() in page
    advice = client.get(troubleshoot_url(huabei, "kb:troubleshoot_advice")).content.decode()
    assert "这些原因都不符合你的情况" in advice and "按时还款" in advice
    assert "没有找到符合的原因" not in advice
    assert "这篇文章有帮助吗？" in advice


def test_yes_shows_the_cause_its_remedies_and_asks_if_it_solved_the_problem(client, huabei):
    page = client.get(troubleshoot_url(huabei, "kb:troubleshoot_match", position=3)).content
    page = page.decode()
    assert "<h1>可能的原因：还款方式余额不足</h1>" in page
    assert "先存钱再还款" in page
    assert "这个办法解决了吗？" in page and 'name="cause" value="3"' in page
    assert (
        f'href="{troubleshoot_url(huabei, "kb:troubleshoot_question", position=4)}?tried=3"' in page
    )


def test_editors_question_replaces_the_default_one(client, huabei):
    cause = huabei.causes.get(position=2)
    cause.question = "还款时手机网络是不是不太好？"
    cause.save()
    page = client.get(troubleshoot_url(huabei, "kb:troubleshoot_question", position=2))
    assert "还款时手机网络是不是不太好？" in page.content.decode()
    assert Cause(title="网络繁忙").troubleshoot_question == "你的情况是「网络繁忙」吗？"


def test_first_question_has_one_url(client, huabei):
    response = client.get(troubleshoot_url(huabei, "kb:troubleshoot_question", position=1))
    assert response.status_code == 301
    assert response["Location"] == troubleshoot_url(huabei)


def test_unknown_steps_and_articles_without_causes_are_not_found(client, huabei):
    assert (
        client.get(troubleshoot_url(huabei, "kb:troubleshoot_question", position=9)).status_code
        == 404
    )
    assert (
        client.get(troubleshoot_url(huabei, "kb:troubleshoot_match", position=9)).status_code == 404
    )
    huabei.causes.all().delete()
    assert client.get(troubleshoot_url(huabei)).status_code == 404


@pytest.mark.parametrize("position", ["9" * 25, "٣", "-1"])
def test_odd_question_numbers_are_not_found(client, huabei, position):
    url = f"{huabei.get_absolute_url()}troubleshoot/{position}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}yes/").status_code == 404
