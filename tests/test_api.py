import pytest

from kb.models import Article

pytestmark = pytest.mark.django_db


def test_articles_lists_published_articles(client, huabei, fenqile):
    response = client.get("/api/articles")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    items = {item["slug"]: item for item in response.json()}
    assert set(items) == {huabei.slug, fenqile.slug}
    assert items[huabei.slug] == {
        "slug": "huabei-fenqi-wufa-huankuan",
        "title": "花呗分期后无法还款的原因",
        "url": "/articles/huabei-fenqi-wufa-huankuan/",
        "category": "花呗 / 还款问题",
    }


def test_article_detail_has_causes_remedies_and_advice(client, huabei):
    data = client.get(f"/api/articles/{huabei.slug}").json()
    assert set(data) == {
        "slug",
        "title",
        "summary",
        "category",
        "url",
        "updated_at",
        "causes",
        "advice",
    }
    assert [c["title"] for c in data["causes"]] == [
        "没有待还款金额",
        "网络繁忙或不稳定",
        "还款方式余额不足",
        "不支持分期还款",
    ]
    network = data["causes"][1]
    assert network["position"] == 2
    assert "网络繁忙或者不稳定" in network["body"]
    assert network["remedies"][0]["position"] == 1
    assert any("确保网络畅通" in r["text"] for r in network["remedies"])
    assert data["advice"] == [
        {"text": "不管用户的花呗分期能否还款，用户都必须确保自己能按时还款。"}
    ]
    assert data["updated_at"].startswith(str(huabei.updated_at.year))


def test_api_speaks_utf8_chinese(client, huabei):
    assert "花呗分期后无法还款的原因" in client.get("/api/articles").content.decode()


def test_drafts_are_not_in_the_api(client, huabei):
    huabei.status = Article.Status.DRAFT
    huabei.save()
    assert huabei.slug not in [a["slug"] for a in client.get("/api/articles").json()]
    response = client.get(f"/api/articles/{huabei.slug}")
    assert response.status_code == 404
    assert response.json() == {"detail": "找不到这篇文章。"}


def test_unknown_slug_is_a_json_404(client, db):
    response = client.get("/api/articles/%3Cscript%3E")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_openapi_schema_describes_the_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/articles" in schema["paths"]
    assert "/api/articles/{slug}" in schema["paths"]


def test_unknown_api_paths_are_json_404s(client, db):
    for path in ("/api/nope", "/api/articles/", "/api/search/extra"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert isinstance(response.json()["detail"], str)
