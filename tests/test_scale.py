"""The help centre at a few hundred articles: pages that stay small, listings a page at a time,
and a number of queries per page that does not grow with the content."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kb.listings import CATEGORY_PAGE_SIZE, HOME_ARTICLES_PER_PRODUCT
from kb.models import Article, ArticleHits, Category, Feedback
from kb.models.content import HOT_DAYS
from kb.search.indexer import deferred_indexing, index_article
from tests.bulk import add_articles

MAX_LISTING_BYTES = 30_000
_fresh = itertools.count()


def uncached(client, url, **kwargs):
    """GET ``url`` with a query string never asked before: rendered, not read from the cache."""
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}u={next(_fresh)}", **kwargs)


def test_home_shows_each_product_s_most_useful_articles_and_a_link_to_all(client, imported):
    add_articles(300)
    huabei = Category.objects.get(slug="huabei")
    everything = Article.objects.published()
    in_huabei = everything.filter(category__in=[huabei, *huabei.children.all()]).count()
    read = everything.filter(category=huabei).order_by("title").last()  # last by title
    ArticleHits.objects.record(read, views=5)

    response = client.get("/")
    html = response.content.decode()
    assert len(response.content) < MAX_LISTING_BYTES
    assert html.count('class="card product"') == 3
    assert f'<a class="more" href="/categories/huabei/">查看全部 {in_huabei} 篇</a>' in html
    section = html[html.index('id="product-huabei"') : html.index('id="product-fenqile"')]
    assert section.count("/articles/") == HOME_ARTICLES_PER_PRODUCT
    # The most read first.
    assert section[section.index("/articles/") :].startswith(read.get_absolute_url())
    assert (
        '<a class="chip" href="/categories/huabei-huankuan/">还款问题<span class="chip__count">'
        in section
    )


def test_a_topic_chip_says_its_count_apart_from_its_name(client, imported):
    huankuan = Category.objects.get(slug="huabei-huankuan")
    count = Article.objects.published().filter(category=huankuan).count()
    html = client.get("/").content.decode()
    chip = html[html.index('href="/categories/huabei-huankuan/"') :]
    chip = chip[: chip.index("</a>")]
    # Seen as a badge; heard as "还款问题 N 篇", not "还款问题N".
    assert (
        f'还款问题<span class="chip__count">{count}<span class="visually-hidden"> 篇</span></span>'
    ) in chip


def test_home_ranks_articles_voted_helpful_before_the_rest(client, imported):
    articles = add_articles(30, categories=[Category.objects.get(slug="fenqile-cuishou")])
    liked = articles[-1]
    Feedback.objects.create(article=liked, visitor="a" * 64, helpful=True)
    html = client.get("/").content.decode()
    section = html[html.index('id="product-fenqile"') :]
    first_link = section[section.index("/articles/") :]
    assert first_link.startswith(liked.get_absolute_url())


def test_one_reader_s_votes_on_several_remedies_do_not_outrank_two_readers(client, imported):
    from kb.models import Remedy

    voted_steps, voted_twice = add_articles(
        2, categories=[Category.objects.get(slug="fenqile-cuishou")]
    )
    for remedy in Remedy.objects.filter(article=voted_steps):  # one reader, three steps
        Feedback.objects.create(
            article=voted_steps, cause=remedy.cause, remedy=remedy, visitor="a" * 64, helpful=True
        )
    for visitor in "bc":
        Feedback.objects.create(article=voted_twice, visitor=visitor * 64, helpful=True)
    useful = {a.pk: a.helpful_votes for a in Article.objects.published().most_useful()}
    assert (useful[voted_steps.pk] or 0, useful[voted_twice.pk]) == (0, 2)
    html = client.get("/").content.decode()
    section = html[html.index('id="product-fenqile"') :]
    assert section[section.index("/articles/") :].startswith(voted_twice.get_absolute_url())


def test_home_s_choice_is_the_first_of_every_article_ranked_by_usefulness(imported):
    # The home query scores only the articles read lately or voted helpful, and the first few of
    # each product by title; it must choose what ranking every article would.
    articles = add_articles(120)
    old = timezone.localdate() - timedelta(days=HOT_DAYS + 1)
    for n, article in enumerate(articles[::7]):
        ArticleHits.objects.create(article=article, day=timezone.localdate(), views=n % 4)
    for article in articles[3::11]:
        ArticleHits.objects.create(article=article, day=old, views=50)  # too long ago
    for n, article in enumerate(articles[5::9]):
        for visitor in range(n % 3):
            Feedback.objects.create(article=article, visitor=f"{visitor:064}", helpful=True)
    Feedback.objects.create(article=articles[1], visitor="b" * 64, helpful=False)
    published = Article.objects.published()
    categories = list(Category.objects.values_list("pk", flat=True))
    for per_product in (1, HOME_ARTICLES_PER_PRODUCT, 40):
        chosen = {}
        for article in published.most_useful_per_product(categories, per_product):
            chosen.setdefault(article.product_id, []).append(article.pk)
        expected = {}
        for article in published.most_useful().order_by(
            "-hot_score", "-helpful_votes", "title", "pk"
        ):
            ranked = expected.setdefault(article.category.parent_id or article.category_id, [])
            if len(ranked) < per_product:
                ranked.append(article.pk)
        assert chosen == expected, per_product


def test_category_pages_a_page_at_a_time_with_prev_and_next(client, imported):
    add_articles(100)
    qita = Category.objects.get(slug="qita")
    total = Article.objects.published().filter(category__in=[qita, *qita.children.all()]).count()
    pages = -(-total // CATEGORY_PAGE_SIZE)
    assert pages >= 2

    first = client.get("/categories/qita/")
    html = first.content.decode()
    assert html.count('<li class="card">') == CATEGORY_PAGE_SIZE
    assert '<link rel="next" href="/categories/qita/?page=2">' in html
    assert 'rel="prev"' not in html
    assert f"第 1 页，共 {pages} 页" in html

    second = client.get("/categories/qita/?page=2").content.decode()
    assert '<link rel="prev" href="/categories/qita/">' in second  # page 1 has one URL
    assert '<link rel="canonical" href="http://testserver/categories/qita/?page=2">' in second
    titles = {line for line in html.splitlines() if "/articles/" in line}
    assert titles.isdisjoint(line for line in second.splitlines() if "/articles/" in line)

    last = client.get(f"/categories/qita/?page={pages}").content.decode()
    assert 'rel="next"' not in last
    assert last.count('<li class="card">') == total - (pages - 1) * CATEGORY_PAGE_SIZE


@pytest.mark.parametrize("page", ["0", "abc", "²", "+2", " 2", "1_0", "99999999999999999999"])
def test_category_page_numbers_that_are_not_pages_are_404(client, imported, page):
    response = client.get("/categories/qita/", {"page": page})
    assert response.status_code == 404


def test_category_past_its_last_page_is_404(client, imported):
    add_articles(30, categories=[Category.objects.get(slug="qita")])
    assert client.get("/categories/qita/?page=2").status_code == 200
    assert client.get("/categories/qita/?page=50").status_code == 404


def test_empty_category_has_its_first_page_only(client, imported):
    Category.objects.create(name="空话题", slug="kong", parent=Category.objects.get(slug="qita"))
    assert "还没有文章" in client.get("/categories/kong/").content.decode()
    assert client.get("/categories/kong/?page=2").status_code == 404


def test_a_topic_narrows_its_product_s_page(client, imported):
    add_articles(60)
    product = client.get("/categories/huabei/").content.decode()
    topic = client.get("/categories/huabei-huankuan/").content.decode()
    assert '<a class="chip" href="/categories/huabei/" aria-current="page">全部</a>' in product
    assert 'href="/categories/huabei-huankuan/" aria-current="page">还款问题</a>' in topic
    huankuan = Category.objects.get(slug="huabei-huankuan")
    count = Article.objects.published().filter(category=huankuan).count()
    assert f"共 {count} 篇" in topic
    assert f"共 {count} 篇" not in product


def test_listing_pages_stay_small_at_hundreds_of_articles(client, imported):
    add_articles(600)
    for url in ["/", "/categories/qita/", "/categories/huabei/?page=2", "/zh-hant/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < MAX_LISTING_BYTES, url


def indexed(articles):
    """Index ``articles`` as an import does: one pass, then the term statistics. The index's
    generation moves on, so a search is run again, not remembered."""
    with deferred_indexing():
        for article in articles:
            index_article(article.pk)


PAGES = [
    "/",
    "/categories/huabei/",
    "/categories/qita/?page=2",
    "/articles/huabei-fenqi-wufa-huankuan/",
    "/articles/huabei-fenqi-wufa-huankuan/causes/3/",
    "/api/articles",
    "/api/articles?page=2&per_page=1",
    "/api/articles/huabei-fenqi-wufa-huankuan",
]


@pytest.mark.parametrize("url", PAGES)
def test_queries_per_page_do_not_grow_with_the_content(
    client, imported, url, django_assert_max_num_queries
):
    # 其他问题 has a page 2.
    indexed(add_articles(25, categories=[Category.objects.get(slug="qita")]))
    with CaptureQueriesContext(connection) as small:
        assert uncached(client, url).status_code == 200
    indexed(add_articles(200, start=25, causes_per_article=6))
    with django_assert_max_num_queries(len(small)):
        assert uncached(client, url).status_code == 200


# The search asks the database per word of the query (its frequency, once per index generation)
# and, past the backend's LARGE_INDEX, per chosen word for candidates (kb.search.engine._lookup):
# a bound set by the query, not by the number of articles.
SEARCH_PAGES = ["/search/?q=还款失败怎么办", "/search/?q=还款失败怎么办&page=2"]
SEARCH_MAX_QUERIES = 24  # 21 at most, measured: a new generation loads the synonyms and lexicon


@pytest.mark.parametrize("url", SEARCH_PAGES)
def test_search_queries_stay_within_a_bound_whatever_the_content(
    client, imported, url, django_assert_max_num_queries
):
    indexed(add_articles(25, categories=[Category.objects.get(slug="qita")]))
    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        response = uncached(client, url)
    assert response.status_code == 200 and "批量文章" in response.content.decode()
    indexed(add_articles(200, start=25, causes_per_article=6))
    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        response = uncached(client, url)
    assert response.status_code == 200 and "批量文章" in response.content.decode()


def _links(response):
    """The Link header as {rel: url} (RFC 8288)."""
    links = {}
    for part in filter(None, response.get("Link", "").split(", ")):
        url, rel = part.split("; ")
        links[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return links


def test_api_pages_articles_with_total_and_links(client, imported):
    add_articles(230)
    total = Article.objects.published().count()
    first = client.get("/api/articles")
    assert first.status_code == 200
    assert len(first.json()) == 100
    assert first["X-Total-Count"] == str(total)
    links = _links(first)
    assert links["next"] == "http://testserver/api/articles?page=2"
    assert links["last"] == "http://testserver/api/articles?page=3"
    assert "prev" not in links

    seen = [a["slug"] for a in first.json()]
    url = links["next"]
    while url:
        response = client.get(url)
        seen += [a["slug"] for a in response.json()]
        url = _links(response).get("next")
    assert len(seen) == len(set(seen)) == total  # every article once, none twice

    small = client.get("/api/articles", {"page": 2, "per_page": 7})
    assert len(small.json()) == 7
    assert _links(small)["prev"] == "http://testserver/api/articles?page=1&per_page=7"
    assert small.json()[0]["slug"] == seen[7]


def test_api_past_the_last_page_is_an_empty_list(client, imported):
    response = client.get("/api/articles", {"page": 5})
    assert response.status_code == 200
    assert response.json() == []
    assert response["X-Total-Count"] == str(Article.objects.published().count())
    assert _links(response)["prev"] == "http://testserver/api/articles?page=1"


def test_api_with_one_page_sends_no_link_header(client, imported):
    response = client.get("/api/articles")
    assert len(response.json()) == Article.objects.published().count()
    assert "Link" not in response


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "abc"},
        {"page": "+2"},
        {"page": " 2"},
        {"page": "٢"},
        {"per_page": "101"},
        {"per_page": "0"},
        {"page": "1" * 30},
    ],
)
def test_api_bad_paging_is_a_json_400(client, imported, query):
    response = client.get("/api/articles", query)
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def test_api_paging_is_in_the_openapi_schema(client, db):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/articles"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["per_page"]["maximum"] == 100
    assert parameters["per_page"]["default"] == 100
    assert parameters["page"]["minimum"] == 1
    assert set(operation["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
    assert "400" in operation["responses"]


def test_sitemap_becomes_an_index_of_sections_past_its_limit(client, imported, settings):
    add_articles(12)
    whole = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" not in whole
    # Home and 关于本站, 6 categories, the articles; each in both scripts.
    assert whole.count("<url>") == 2 * (2 + 6 + Article.objects.published().count())

    settings.KB_SITEMAP_LIMIT = 10
    settings.KB_SITE_URL = "https://help.example.com"
    index = uncached(client, "/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    articles = 2 * Article.objects.published().count()  # each in both scripts
    pages = -(-articles // 10)
    assert "<loc>https://help.example.com/sitemap-articles.xml</loc>" in index
    assert f"<loc>https://help.example.com/sitemap-articles.xml?p={pages}</loc>" in index
    assert "?p=2</loc>" not in index.split("sitemap-pages.xml")[1].split("</sitemap>")[0]

    seen = []
    for page in range(1, pages + 1):
        response = uncached(client, f"/sitemap-articles.xml?p={page}")
        assert response.status_code == 200
        seen += response.content.decode().split("<loc>")[1:]
    assert len(seen) == articles
    assert client.get(f"/sitemap-articles.xml?p={pages + 1}").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    for page in ("0", " 2", "+2", "x"):
        assert client.get("/sitemap-articles.xml", {"p": page}).status_code == 404


def test_sitemap_sections_are_cached(client, imported, settings):
    settings.KB_SITEMAP_LIMIT = 3
    first = client.get("/sitemap-articles.xml")
    again = client.get("/sitemap-articles.xml")
    assert first["X-Page-Cache"] == "miss"
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content


def test_related_articles_are_neighbours_in_the_same_topic(client, imported):
    topic = Category.objects.get(slug="huabei-huankuan")
    articles = add_articles(30, categories=[topic])
    pages = [client.get(a.get_absolute_url()).content.decode() for a in articles[10:12]]
    related = [page.split('id="related-heading"')[1].split("</aside>")[0] for page in pages]
    assert related[0] != related[1]  # not the same four links on every page of the topic
    # The ones filed next: the articles after it, all of its own topic.
    for article in articles[11:15]:
        assert article.get_absolute_url() in pages[0]
    assert articles[10].get_absolute_url() not in related[0]
