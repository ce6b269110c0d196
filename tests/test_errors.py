"""Error pages as readers, staff and API clients see them: branded, in Chinese, JSON under /api/."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_branded_page(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page and 'class="brand"' in page
    assert f"<h1>{heading}</h1>" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "no-store" in response["Cache-Control"]


def test_a_host_the_site_refuses_gets_the_branded_400_page(client):
    response = client.get("/articles/huabei-fenqi-wufa-huankuan/", HTTP_HOST="evil.example")
    assert_branded_page(response, 400, "无法处理这个请求")
    assert "Bad Request" not in response.content.decode()


def test_a_host_the_site_refuses_gets_a_json_400_under_the_api(client):
    response = client.get("/api/articles", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求无效。"}


def test_staff_without_the_permission_get_the_branded_403_page(client):
    clerk = User.objects.create_user("clerk", password="x-unused-9", is_staff=True)
    client.force_login(clerk)
    response = client.get("/admin/kb/article/add/")
    assert_branded_page(response, 403, "没有权限访问这个页面")


def test_a_form_posted_without_its_token_gets_the_branded_403_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "someone", "password": "secret"})
    assert_branded_page(response, 403, "页面已过期，请重新提交")
    assert "CSRF" not in response.content.decode()


def test_a_client_asking_for_json_gets_json_errors_outside_the_api_too(client, db):
    """One rule (kb.errors.wants_json) for every JSON-or-page choice: the feedback script asks
    for JSON and must not be handed an HTML page when an article is gone."""
    response = client.post(
        "/articles/no-such-article/feedback/",
        {"helpful": "yes"},
        HTTP_ACCEPT="application/json",
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    page = client.get("/articles/no-such-article/", HTTP_ACCEPT="text/html")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_the_api_and_the_page_show_the_same_general_advice(client, imported):
    from kb.models import Article, Remedy

    article = Article.objects.get(slug="huabei-fenqi-wufa-huankuan")
    advice = list(Remedy.objects.general_advice().filter(article=article))
    assert advice
    api = client.get(f"/api/articles/{article.slug}").json()["advice"]
    assert [item["text"] for item in api] == [remedy.text for remedy in advice]
    page = client.get(article.get_absolute_url()).content.decode()
    section = page[page.index('id="advice"') :]
    positions = [section.index(remedy.text[:12]) for remedy in advice]
    assert positions == sorted(positions)
