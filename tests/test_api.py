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
        "closing",
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


def test_a_chosen_search_result_counts_for_the_hot_questions(client, huabei):
    from kb.models import ArticleHits

    response = client.post(
        "/api/search/click", {"slug": huabei.slug}, content_type="application/json"
    )
    assert response.status_code == 204
    assert ArticleHits.objects.get(article=huabei).search_clicks == 1
    assert list(Article.objects.hot()) == [huabei]


def test_search_clicks_on_unknown_or_draft_articles_are_refused(client, huabei):
    missing = client.post("/api/search/click", {"slug": "nope"}, content_type="application/json")
    assert missing.status_code == 404 and "detail" in missing.json()
    bad = client.post("/api/search/click", {"slug": "<x>"}, content_type="application/json")
    assert bad.status_code == 400 and "detail" in bad.json()
    assert (
        client.post("/api/search/click", "not json", content_type="application/json").status_code
        == 400
    )
    huabei.status = Article.Status.DRAFT
    huabei.save()
    response = client.post(
        "/api/search/click", {"slug": huabei.slug}, content_type="application/json"
    )
    assert response.status_code == 404


def test_search_clicks_are_rate_limited_per_address(client, huabei):
    from kb.feedback import RATE_LIMIT_PER_ADDRESS

    statuses = [
        client.post(
            "/api/search/click",
            {"slug": huabei.slug},
            content_type="application/json",
            REMOTE_ADDR="203.0.113.77",
        ).status_code
        for _ in range(RATE_LIMIT_PER_ADDRESS + 10)
    ]
    first_refused = statuses.index(429)
    assert 0 < first_refused <= RATE_LIMIT_PER_ADDRESS
    assert set(statuses[:first_refused]) == {204} and set(statuses[first_refused:]) == {429}


def click(client, slug, content_type="application/json", **headers):
    return client.post("/api/search/click", {"slug": slug}, content_type=content_type, **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},  # an older browser: no Sec-Fetch-Site
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},  # no Origin, but the browser says where it came from
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
    ],
)
def test_search_clicks_from_another_site_are_refused(client, huabei, headers):
    from kb.models import ArticleHits

    # What a form or fetch on another site can send without a preflight: text/plain.
    response = client.post(
        "/api/search/click",
        f'{{"slug": "{huabei.slug}"}}',
        content_type="text/plain",
        headers=headers,
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "只能在本站的页面上记录点击。"}
    assert not ArticleHits.objects.exists()  # nothing reaches the hot questions


def test_search_clicks_from_our_own_pages_count(client, huabei):
    from kb.models import ArticleHits

    same_origin = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert click(client, huabei.slug, headers=same_origin).status_code == 204
    assert click(client, huabei.slug, headers={"Origin": "http://testserver"}).status_code == 204
    assert ArticleHits.objects.get(article=huabei).search_clicks == 2
