import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.fixture
def responses(client, admin_client, huabei):
    return {
        "home": client.get("/"),
        "article": client.get(huabei.get_absolute_url()),
        "not found": client.get("/articles/no-such-article/"),
        "search": client.get("/search/?q=花呗还款"),
        "admin login": client.get("/admin/login/"),
        "admin change form": admin_client.get(f"/admin/kb/article/{huabei.pk}/change/"),
        "api list": client.get("/api/articles"),
        "api error": client.get("/api/articles/no-such-article"),
        "api search": client.get("/api/search?q=还款"),
    }


def test_public_admin_and_api_responses_carry_the_security_headers(responses):
    for name, response in responses.items():
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        directives = csp_directives(response)
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["script-src"] == ["'self'"], name
        assert directives["object-src"] == ["'none'"], name
        assert not any("unsafe" in v for values in directives.values() for v in values), name


def test_admin_and_public_pages_have_no_inline_script_the_policy_would_block(responses):
    for name, response in responses.items():
        if not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            # A file from our origin, or a data block (JSON-LD) that browsers never execute.
            assert "src=" in tag or "application/ld+json" in tag or "application/json" in tag, (
                name,
                tag,
            )
        assert not re.search(r"\son[a-z]+=", page), name
        # django-nested-admin marks its inline add/remove links href="javascript:void(0)" or
        # "javascript://": inert placeholders whose clicks its static script handles
        # (preventDefault), so the policy never sees a navigation to them. Nothing else may.
        assert not re.search(r'javascript:(?!void\(0\)"|//")', page), name


def test_the_markdown_editor_loads_its_script_and_previews(admin_client, responses):
    form = responses["admin change form"].content.decode()
    assert 'class="markdownx"' in form and "markdownx/js/markdownx" in form
    preview = admin_client.post(
        "/markdownx/markdownify/", {"content": "**还款**"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert preview.status_code == 200
    assert "<strong>还款</strong>" in preview.content.decode()


def prod_environment(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KB_TEST_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="help.example.com",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=prod_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    result = manage("check", **{missing: None})
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "site_url",
    ["help.example.com", "https://help.example.com/kb/", "https://help.example.com.", "ftp://x.cn"],
)
def test_production_refuses_a_site_url_that_is_not_a_scheme_and_host(site_url):
    result = manage("check", KB_SITE_URL=site_url)
    assert result.returncode != 0
    assert "KB_SITE_URL must be the site's scheme and host only" in result.stderr
    assert repr(site_url) in result.stderr


def test_production_takes_a_site_url_and_writes_it_as_an_origin():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.KB_SITE_URL)",
        KB_SITE_URL="https://Help.Example.com/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "https://help.example.com"


EXPECTED_STATUS = {"400": 400, "403": 403, "404": 404, "405": 405, "csrf 403": 403}


@pytest.fixture
def every_kind_of_response(client, huabei):
    staff = User.objects.create_user("clerk", password="x-unused-9", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)
    return {
        "home": client.get("/"),
        "article": client.get(huabei.get_absolute_url()),
        "feed": client.get("/feed/"),
        "sitemap": client.get("/sitemap.xml"),
        "robots": client.get("/robots.txt"),
        "api": client.get("/api/articles"),
        "healthz": client.get("/healthz"),
        "readyz": client.get("/readyz"),
        "healthz by ip": client.get("/healthz", HTTP_HOST="10.1.2.3:8000"),
        "400": client.get("/", HTTP_HOST="evil.example"),
        "403": staff_client.get("/admin/kb/article/add/"),
        "404": client.get("/articles/no-such-article/"),
        "405": client.generic("TRACE", "/"),
        "csrf 403": Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"}),
    }


def test_every_response_denies_unused_browser_features_and_cross_origin_embedding(
    every_kind_of_response,
):
    for name, response in every_kind_of_response.items():
        assert response.status_code == EXPECTED_STATUS.get(name, 200), name
        policy = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert policy[feature] == "()", (name, feature)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT", "PUT", "DELETE", "PROPFIND"])
@pytest.mark.parametrize(
    "path", ["/", "/articles/huabei-fenqi-wufa-huankuan/", "/admin/login/", "/healthz", "/feed/"]
)
def test_methods_the_site_does_not_answer_are_refused(client, imported, method, path):
    response = client.generic(method, path, HTTP_X_SECRET="echo-me")
    assert response.status_code == 405, (method, path)
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert b"echo-me" not in response.content and b"<html" not in response.content


def test_methods_the_api_does_not_answer_are_a_json_405(client, db):
    response = client.generic("TRACE", "/api/articles")
    assert response.status_code == 405
    assert response.json() == {"detail": "不支持这个请求方法。"}
