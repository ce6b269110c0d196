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
