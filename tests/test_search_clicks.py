"""Clicks on search results, counted for the article (hot questions) and for the query searched
(the work queue's "nobody clicked"): by the beacon with JavaScript, by the search page as the
referrer without it, once either way; batched, never a 500, nothing about the reader."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb import hits
from kb.models import ArticleHits, SearchQueryDay
from kb.search import log as search_log

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def beacon(client, body, content_type="application/json", **headers):
    if not isinstance(body, str):
        body = json.dumps(body, ensure_ascii=False)
    return client.post(
        "/api/search/click", body, content_type=content_type, headers=headers or SAME_ORIGIN
    )


def day_of(query):
    search_log.searches.flush()
    search_log.clicks.flush()
    return SearchQueryDay.objects.filter(query=query).first()


def test_the_search_page_names_its_query_for_the_beacon(client, huabei):
    page = client.get("/search/", {"q": "花唄  還款失敗"}).content.decode()
    assert 'data-search-query="花呗 还款失败"' in page
    assert re.search(r'<a class="result__title" href="/articles/[^"]+" data-article=', page)
    # The links stay the articles' own URLs: one cached copy of each page.
    assert "?q=" not in re.search(r'class="result__title" href="([^"]+)"', page).group(1)


def test_a_beacon_counts_the_click_for_the_article_and_the_query(client, huabei):
    client.get("/search/", {"q": "花呗 还款失败"})
    assert beacon(client, {"slug": huabei.slug, "query": "花呗 还款失败"}).status_code == 204
    assert ArticleHits.objects.get(article=huabei).search_clicks == 1
    day = day_of("花呗 还款失败")
    assert (day.searches, day.clicks) == (1, 1)


def test_the_query_is_normalised_as_the_search_was(client, huabei):
    client.get("/search/", {"q": "花呗 还款失败"})
    beacon(client, {"slug": huabei.slug, "query": "花唄　還款失敗"})  # traditional, wide space
    assert day_of("花呗 还款失败").clicks == 1
    assert SearchQueryDay.objects.count() == 1


def test_a_click_before_its_search_is_written_lands_on_the_same_row(client, huabei, settings):
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 3600  # the search still in memory (another process)
    client.get("/search/", {"q": "花呗 还款失败"})
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 0
    beacon(client, {"slug": huabei.slug, "query": "花呗 还款失败"})
    day = day_of("花呗 还款失败")
    assert (day.searches, day.zero_results, day.clicks) == (1, 0, 1)


def test_clicks_are_written_in_batches(client, huabei, settings):
    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 3600
    settings.KB_VIEW_FLUSH_SECONDS = 3600
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            beacon(client, {"slug": huabei.slug, "query": "花呗"})
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert search_log.clicks.pending()
    search_log.clicks.flush()
    hits.search_clicks.flush()
    assert SearchQueryDay.objects.get(query="花呗").clicks == 20
    assert ArticleHits.objects.get(article=huabei).search_clicks == 20


def test_without_javascript_the_search_page_as_referrer_counts_the_click(client, huabei):
    client.get("/search/", {"q": "花呗 还款失败"})
    client.get(
        huabei.get_absolute_url(),
        headers={
            "Referer": "http://testserver/search/?q=%E8%8A%B1%E5%91%97+%E8%BF%98%E6%AC%BE%E5%A4%B1%E8%B4%A5"
        },
    )
    # The page cache answers the next reader: counted all the same.
    client.get(
        huabei.get_absolute_url(),
        headers={
            "Referer": "http://testserver/zh-hant/search/?q=%E8%8A%B1%E5%94%84+%E9%82%84%E6%AC%BE%E5%A4%B1%E6%95%97&page=2"
        },
    )
    assert day_of("花呗 还款失败").clicks == 2
    assert ArticleHits.objects.get(article=huabei).search_clicks == 2


@pytest.mark.parametrize(
    "referrer",
    [
        "http://testserver/",  # what the beacon's script leaves: counted by the beacon
        "http://testserver/search/",  # no query
        "http://testserver/search/?q=+",
        "http://evil.example/search/?q=花呗",  # another site
        "http://testserver/articles/x/?q=花呗",  # not the search page
        "http://[::1/search/?q=花呗",  # not a URL
        "http://testserver/search/?q=" + "花" * 5000,  # huge
    ],
)
def test_other_referrers_count_no_click(client, huabei, referrer):
    response = client.get(huabei.get_absolute_url(), headers={"Referer": referrer})
    assert response.status_code == 200
    search_log.clicks.flush()
    hits.search_clicks.flush()
    assert not SearchQueryDay.objects.exists()
    assert not ArticleHits.objects.filter(search_clicks__gt=0).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"slug": "x", "query": "花呗" * 200},  # longer than a search page's query
        {"slug": "x", "query": 12},
        {"slug": "x", "query": None},
        {"slug": "x", "query": ["花呗"]},
        {"slug": "<x>", "query": "花呗"},
        '{"slug": "x", "query": "\\ud800"}',  # a lone surrogate
        "[]",
        "{" * 10000,
    ],
)
def test_bad_beacons_are_400_and_count_nothing(client, huabei, body):
    if isinstance(body, dict) and body["slug"] == "x":
        body = {**body, "slug": huabei.slug}
    response = beacon(client, body)
    assert response.status_code == 400 and "detail" in response.json()
    assert day_of("花呗") is None and not SearchQueryDay.objects.exists()
    assert not ArticleHits.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
    ],
)
def test_a_beacon_from_another_site_is_refused_and_counts_nothing(client, huabei, headers):
    body = json.dumps({"slug": huabei.slug, "query": "花呗"}, ensure_ascii=False)
    response = beacon(client, body, content_type="text/plain", **headers)
    assert response.status_code == 403
    assert day_of("花呗") is None and not ArticleHits.objects.exists()


def test_a_beacon_for_a_draft_article_counts_nothing(client, huabei):
    huabei.status = huabei.Status.DRAFT
    huabei.save()
    assert beacon(client, {"slug": huabei.slug, "query": "花呗"}).status_code == 404
    assert day_of("花呗") is None


def test_the_referrer_path_shares_the_beacons_rate_limit(client, huabei):
    from kb.feedback import RATE_LIMIT_PER_ADDRESS

    referrer = {"Referer": "http://testserver/search/?q=%E8%8A%B1%E5%91%97"}
    for _ in range(RATE_LIMIT_PER_ADDRESS + 5):
        client.get(huabei.get_absolute_url(), headers=referrer, REMOTE_ADDR="203.0.113.50")
    assert day_of("花呗").clicks == RATE_LIMIT_PER_ADDRESS
    response = client.post(
        "/api/search/click",
        {"slug": huabei.slug, "query": "花呗"},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.50",
    )
    assert response.status_code == 429


def test_a_click_keeps_nothing_about_the_reader(client, huabei):
    beacon(client, {"slug": huabei.slug, "query": "花呗"})
    fields = {f.name for f in SearchQueryDay._meta.get_fields()}
    assert fields == {
        "id",
        *("query", "day", "searches", "zero_results", "results", "took_ms", "clicks"),
        "last_at",
    }


def test_a_reload_of_the_article_is_no_new_click(client, huabei):
    client.get("/search/", {"q": "花呗 还款失败"})
    referrer = {"Referer": "http://testserver/search/?q=%E8%8A%B1%E5%91%97"}
    first = client.get(huabei.get_absolute_url(), headers=referrer)
    # What a reload or Back sends: the same Referer, and the page's validators.
    again = {**referrer, "If-None-Match": first["ETag"]}
    assert client.get(huabei.get_absolute_url(), headers=again).status_code == 304
    since = {**referrer, "If-Modified-Since": first["Last-Modified"]}
    client.get(huabei.get_absolute_url(), headers=since)
    assert day_of("花呗").clicks == 1
    assert ArticleHits.objects.get(article=huabei).search_clicks == 1


def test_a_click_on_a_query_nobody_searched_never_reaches_the_reports(
    client, editor_client, huabei
):
    assert beacon(client, {"slug": huabei.slug, "query": "加微信 xyz123 办贷款"}).status_code == 204
    top = editor_client.get("/admin/reports/top-searches/").content.decode()
    queue = editor_client.get("/admin/search-queue/").content.decode()
    assert "xyz123" not in top and "xyz123" not in queue


def test_the_hot_questions_under_no_answer_are_not_search_results(client, huabei):
    page = client.get("/search/", {"q": "xyzzyq"}).content.decode()
    hot = page.split('id="hot-title"')[1].split("</ul>")[0]
    assert huabei.get_absolute_url() in hot and "data-article" not in hot
