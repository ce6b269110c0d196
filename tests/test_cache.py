import shutil
import time
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date

from kb.cache import cache_public_page
from kb.content import import_paths
from kb.models import Article, Category

pytestmark = pytest.mark.django_db


def test_public_page_is_cached_with_validators_and_cdn_friendly_cache_control(client, huabei):
    url = huabei.category.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=600"} <= cache_control

    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_revalidation_with_etag_or_date_gets_an_empty_304(client, huabei):
    url = huabei.category.get_absolute_url()
    page = client.get(url)

    by_etag = client.get(url, headers={"If-None-Match": page["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == page["ETag"] and "s-maxage=60" in by_etag["Cache-Control"]

    by_date = client.get(url, headers={"If-Modified-Since": page["Last-Modified"]})
    assert by_date.status_code == 304

    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == page.content
    long_ago = client.get(url, headers={"If-Modified-Since": http_date(0)})
    assert long_ago.status_code == 200


def test_article_page_with_vote_forms_is_the_same_for_every_reader(huabei):
    from django.test import Client

    from kb.models import Feedback

    first_visitor, second_visitor = (
        Client(enforce_csrf_checks=True),
        Client(enforce_csrf_checks=True),
    )
    url = huabei.get_absolute_url()
    first = first_visitor.get(url)
    second = second_visitor.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    # Nothing of one visitor in it: no token, no cookie; CDNs may keep it.
    assert second.content == first.content and not second.cookies
    assert 'class="feedback"' in second.content.decode()
    cache_control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert {"public", "s-maxage=60"} <= cache_control and "private" not in cache_control
    assert second["ETag"] == first["ETag"] and not second["ETag"].startswith("W/")
    # Without JavaScript, the form as served posts from our own page.
    vote = second_visitor.post(
        f"{url}feedback/",
        {"helpful": "yes"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert vote.status_code == 303
    assert Feedback.objects.filter(article=huabei, helpful=True).count() == 1


def test_a_hit_carries_the_same_headers_as_the_page_it_replays(client, huabei):
    url = huabei.get_absolute_url()
    miss = client.get(url)
    hit = client.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in (
        "Content-Type",
        "Content-Language",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cache-Control",
        "ETag",
        "Last-Modified",
    ):
        assert hit[header] == miss[header], header
    assert int(hit["Content-Length"]) == len(hit.content) == len(miss.content)
    assert hit["X-Request-ID"] != miss["X-Request-ID"]


def test_traditional_pages_are_cached_converted(client, huabei):
    simplified_url = huabei.get_absolute_url()
    url = f"/zh-hant{simplified_url}"
    miss = client.get(url)
    hit = client.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit.content == miss.content and "還款" in hit.content.decode()
    assert hit["Content-Language"] == "zh-hant"
    # The simplified page is a page of its own.
    simplified = client.get(simplified_url)
    assert simplified["X-Page-Cache"] == "miss" and "还款" in simplified.content.decode()


def test_a_new_release_does_not_serve_pages_an_older_one_rendered(client, huabei, monkeypatch):
    from kb import code_version

    url = huabei.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    monkeypatch.setattr(code_version, "code_version", lambda: "another-release")
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_the_code_version_follows_templates_dependencies_and_the_release(settings, tmp_path):
    from kb import code_version

    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==5.2.1\n")

    def fingerprint():
        code_version.code_version.cache_clear()
        return code_version.code_version()

    try:
        seen = {fingerprint()}
        page.write_text("<p>two</p>")
        seen.add(fingerprint())
        lock.write_text("django==5.2.2\n")
        seen.add(fingerprint())
        settings.KB_RELEASE = "sha256:abc"
        seen.add(fingerprint())
        assert len(seen) == 4
        assert fingerprint() in seen  # nothing changed: the same fingerprint
        assert len(seen) == 4
    finally:
        code_version.code_version.cache_clear()


def test_only_paths_of_cached_views_consult_the_cache(client, huabei, monkeypatch):
    from kb.cache.middleware import page_store

    lookups = []
    real_get = page_store.get

    def get(key, *args, **kwargs):
        lookups.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(page_store, "get", get)
    for url in (
        "/api/articles",
        "/api/search?q=花呗",
        "/no-such-page/",
        f"{huabei.get_absolute_url()}troubleshoot/",
    ):
        client.get(url)
    assert lookups == []
    pages = ("/", "/zh-hant/", huabei.get_absolute_url(), huabei.category.get_absolute_url())
    for url in (*pages, "/search/?q=花呗", "/sitemap.xml"):  # a repeated question too
        client.get(url)
    assert len(lookups) == 6


def test_a_flood_of_one_off_questions_stores_no_page(client, huabei, monkeypatch):
    from kb.cache.middleware import page_store

    stored = []
    real_set = page_store.set
    monkeypatch.setattr(
        page_store,
        "set",
        lambda key, *args, **kwargs: (stored.append(key), real_set(key, *args, **kwargs)),
    )
    client.get(huabei.get_absolute_url())
    assert len(stored) == 1  # an article is stored at once
    for number in range(50):
        answer = client.get("/search/", {"q": f"花呗 问题{number}"})
        assert answer.status_code == 200 and answer["X-Page-Cache"] == "miss"
    assert len(stored) == 1  # none of the fifty one-off questions
    client.get("/search/", {"q": "花呗 问题7"})  # asked again: now it is kept
    assert len(stored) == 2 and client.get("/search/", {"q": "花呗 问题7"})["X-Page-Cache"] == "hit"
    assert client.get(huabei.get_absolute_url())["X-Page-Cache"] == "hit"


def test_search_pages_are_kept_by_no_cache_outside_and_never_with_a_phone_number(
    client, huabei, monkeypatch, settings
):
    from kb.cache.middleware import page_store
    from kb.models import SearchQueryDay
    from kb.search import log as search_log

    settings.KB_SEARCH_LOG_FLUSH_SECONDS = 3600
    for _ in range(3):
        answer = client.get("/search/", {"q": "花呗还款失败"})
    # A CDN answering in our place would not count the search: private outside.
    assert answer["X-Page-Cache"] == "hit" and answer["Cache-Control"] == "private, max-age=0"
    assert client.get(huabei.get_absolute_url())["Cache-Control"].startswith("public")

    stored = []
    real_set = page_store.set
    monkeypatch.setattr(
        page_store,
        "set",
        lambda key, *args, **kwargs: (stored.append(key), real_set(key, *args, **kwargs)),
    )
    for _ in range(3):
        answer = client.get("/search/", {"q": "我的手机 13812345678 被催收"})
        assert "no-store" in answer["Cache-Control"] and "X-Page-Cache" not in answer
    assert stored == []
    search_log.searches.flush()
    day = SearchQueryDay.objects.get(query__contains="被催收")
    assert day.searches == 3 and "13812345678" not in day.query


def another_process_bumps(*scopes):
    """What another server's change leaves behind: newer versions in the database only."""
    from kb.models import ContentVersion

    version = time.time_ns() // 1000 + 1_000_000
    for scope in scopes:
        ContentVersion.objects.update_or_create(scope=scope, defaults={"version": version})


def test_a_process_keeps_recent_pages_only_while_they_are_current(
    client, huabei, monkeypatch, django_assert_num_queries
):
    from kb.cache.middleware import page_store
    from kb.cache.recent import recent_pages

    url = huabei.category.get_absolute_url()
    client.get(url)
    reads = []
    real_get = page_store.get

    def get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(page_store, "get", get)
    # The page comes from memory; the versions are checked (the tests check at every request).
    with django_assert_num_queries(1):
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert reads == []
    # A copy whose time ran out is not used, even with the same versions: the page is read
    # from the shared cache again.
    (key,) = recent_pages._entries
    entry, generation = recent_pages._entries[key]
    recent_pages._entries[key] = ({**entry, "expires": 0}, generation)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert reads == [key]
    # Another process changed an article the page lists: neither copy is used.
    another_process_bumps(f"article:{huabei.pk}")
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_recent_pages_are_bounded(settings):
    from kb.cache.recent import RecentPages

    settings.KB_RECENT_PAGES = 2
    pages = RecentPages()
    entry = {"shown": {"*": 1}, "expires": float("inf")}
    versions = {"*": 1}
    for key in ("a", "b", "c"):
        pages.put(key, entry, 0)
    assert pages.get("a", versions, 0) is None and pages.get("c", versions, 0) is entry
    pages.put("d", entry, 0)  # "b" is now the least recently used
    assert pages.get("b", versions, 0) is None and pages.get("c", versions, 0) is entry
    # Checked again once the versions changed: made from an older "*", it is out of date.
    assert pages.get("c", {"*": 2}, 1) is None


def test_each_query_string_is_a_page_of_its_own(client, imported):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/?utm_source=x")["X-Page-Cache"] == "miss"
    assert client.get("/?utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/")["X-Page-Cache"] == "hit"


def script_cookie(request):
    """A variant hook like the traditional-script one: chosen by a cookie."""
    return request.COOKIES.get("kb_script", "hans")


@override_settings(KB_PAGE_VARIANT="tests.test_cache.script_cookie")
def test_page_variants_are_cached_apart(client, imported):
    assert client.get("/")["X-Page-Cache"] == "miss"
    client.cookies["kb_script"] = "hant"
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    client.cookies["kb_script"] = "hans"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_staff_edit_in_admin_shows_on_the_public_page_at_once(client, admin_client, huabei):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    topic = huabei.category
    response = admin_client.post(
        f"/admin/kb/category/{topic.pk}/change/",
        {
            "parent": topic.parent_id,
            "name": "还款遇到的问题",
            "slug": topic.slug,
            "description": topic.description,
            "position": topic.position,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/")
    assert page["X-Page-Cache"] == "miss"
    assert "还款遇到的问题" in page.content.decode()


def test_publishing_and_unpublishing_show_at_once(client, huabei):
    assert huabei.title in client.get("/").content.decode()
    huabei.status = Article.Status.DRAFT
    huabei.save()
    assert huabei.title not in client.get("/").content.decode()
    assert client.get(huabei.get_absolute_url()).status_code == 404
    huabei.status = Article.Status.PUBLISHED
    huabei.save()
    assert huabei.title in client.get("/").content.decode()


def test_an_import_that_changes_content_shows_at_once(client, huabei, tmp_path, content_dir):
    url = huabei.get_absolute_url()
    assert "不支持分期还款了" not in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    shutil.copy(content_dir / "catalog.toml", tmp_path)
    text = (content_dir / "000_1740def839575a46.txt").read_text()
    (tmp_path / "faq.txt").write_text(text.replace("4、不支持分期還款", "4、不支持分期还款了"))
    import_paths([tmp_path])
    assert "不支持分期还款了" in client.get(url).content.decode()


def test_deleting_a_category_shows_at_once_and_a_synonym_leaves_pages_cached(client, imported):
    from kb.models import Synonym

    client.get("/")
    # Synonyms change the search only, which the page cache never serves.
    Synonym.objects.create(phrase="缓存测试说法", expansions="无法还款")
    assert client.get("/")["X-Page-Cache"] == "hit"
    product = Category.objects.create(name="缓存测试产品", slug="kong")
    assert client.get("/")["X-Page-Cache"] == "miss"
    product.delete()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_scheduled_article_appears_when_its_time_comes(client, huabei, fenqile):
    huabei.published_at = timezone.now() + timedelta(seconds=1.5)
    huabei.save()
    before = client.get("/")
    assert huabei.title not in before.content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    # Every cached page that lists articles: the topic's, and another article's related ones.
    listing_pages = [huabei.category.get_absolute_url(), fenqile.get_absolute_url()]
    for url in listing_pages:
        client.get(url)
        page = client.get(url)
        assert page["X-Page-Cache"] == "hit" and huabei.title not in page.content.decode()
    time.sleep(2)
    # A client revalidating by date alone gets the new page too: Last-Modified is when the
    # page was rendered, not when the content last changed.
    after = client.get("/", headers={"If-Modified-Since": before["Last-Modified"]})
    assert after.status_code == 200 and huabei.title in after.content.decode()
    assert after["Last-Modified"] != before["Last-Modified"]
    for url in listing_pages:
        page = client.get(url)
        assert page["X-Page-Cache"] == "miss" and huabei.title in page.content.decode()


SPELLINGS_OF_ONE_HOST = ("help.example.com", "HELP.example.com:1337", "help.example.com.")


@override_settings(ALLOWED_HOSTS=["help.example.com"], KB_SITE_URL="https://help.example.com")
def test_with_the_site_address_set_every_spelling_of_the_host_is_one_page(client, imported):
    statuses = [
        client.get("/", headers={"Host": host})["X-Page-Cache"] for host in SPELLINGS_OF_ONE_HOST
    ]
    assert statuses == ["miss", "hit", "hit"]
    # The scheme the request came by makes no other page either.
    assert (
        client.get("/", secure=True, headers={"Host": "help.example.com"})["X-Page-Cache"] == "hit"
    )
    # A Host that ALLOWED_HOSTS refuses is still refused, cached page or not.
    assert client.get("/", headers={"Host": "evil.example.org"}).status_code == 400


@override_settings(ALLOWED_HOSTS=["help.example.com"], KB_SITE_URL="")
def test_without_the_site_address_the_request_host_makes_the_page(client, imported):
    statuses = [
        client.get("/", headers={"Host": host})["X-Page-Cache"] for host in SPELLINGS_OF_ONE_HOST
    ]
    assert statuses == ["miss", "miss", "miss"]


def test_the_page_cache_tells_listeners_each_time_it_answers_with_an_article(client, huabei):
    """View counting and anything else that wants to know listens to page_served; the cache
    itself knows no article."""
    from kb.cache import page_served

    served = []

    def listener(sender, tag, request, **kwargs):
        served.append((tag, request.path))

    page_served.connect(listener)
    try:
        url = huabei.get_absolute_url()
        miss = client.get(url)
        hit = client.get(url)
        revalidated = client.get(url, headers={"If-None-Match": hit["ETag"]})
        client.get("/")
        client.get(huabei.category.get_absolute_url())
    finally:
        page_served.disconnect(listener)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"], revalidated.status_code) == (
        "miss",
        "hit",
        304,
    )
    assert [path for _, path in served] == [url] * 3
    assert len({tag for tag, _ in served}) == 1 and huabei.pk in served[0][0]


def test_the_page_cache_imports_no_domain_model():
    """kb.cache is only a cache: views say what to cache and for how long, listeners count."""
    import ast
    from pathlib import Path

    import kb.cache

    imported = set()
    for path in Path(kb.cache.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                imported |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
    assert imported, "no import found: the package moved?"
    domain = {"kb.models", "..models", "...models", ".models", "kb.hits", "..hits", "...hits"}
    assert not imported & domain, imported & domain


def test_pages_for_signed_in_staff_are_neither_cached_nor_served_from_cache(
    client, admin_client, huabei
):
    staff_page = admin_client.get("/")
    assert "X-Page-Cache" not in staff_page and "ETag" not in staff_page
    assert "private" in staff_page["Cache-Control"] and "no-store" in staff_page["Cache-Control"]
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_pages_with_a_csrf_token_or_a_cookie_or_a_post_are_never_cached(rf):
    calls = []

    @cache_public_page
    def form_page(request):
        calls.append(request.method)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    @cache_public_page
    def cookie_page(request):
        calls.append(request.method)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    for view in (form_page, cookie_page):
        for _ in range(2):
            response = view(rf.get("/form/"))
            assert "X-Page-Cache" not in response and "ETag" not in response
            assert "private" in response["Cache-Control"]
    assert calls == ["GET"] * 4
    form_page(rf.post("/form/"))
    form_page(rf.post("/form/"))
    assert calls[-2:] == ["POST", "POST"]


_UNREACHABLE_REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    # Nothing listens on port 1: every connection is refused, as when Redis is down.
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    },
}
REDIS_DOWN = {"default": _UNREACHABLE_REDIS, "pages": _UNREACHABLE_REDIS}


@override_settings(CACHES=REDIS_DOWN)
def test_with_redis_down_pages_are_still_served_from_the_database(client, huabei):
    for url in ("/", huabei.get_absolute_url(), huabei.category.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
    assert huabei.title in client.get(huabei.get_absolute_url()).content.decode()
    assert client.get("/api/articles").status_code == 200


def test_a_flood_of_new_urls_evicts_pages_only(client, huabei, tmp_path):
    """Each new query string is a page of its own; the page cache evicts old ones to stay within
    its bounds, and never the small values of the default cache (rate limits, sessions)."""
    from django.core.cache import cache

    from kb.cache.middleware import page_store

    def file_cache(folder, entries):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / folder,
            "OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2},
        }

    caches = {"default": file_cache("default", 5), "pages": file_cache("pages", 5)}
    with override_settings(CACHES=caches):
        url = huabei.get_absolute_url()
        client.get(url)
        cache.set("kb:small-value", "kept", None)
        for n in range(40):
            assert client.get(f"{url}?utm_campaign={n}")["X-Page-Cache"] == "miss"
        assert cache.get("kb:small-value") == "kept"
        assert len(list((tmp_path / "pages").glob("*.djcache"))) <= 5
        assert len(list((tmp_path / "default").glob("*.djcache"))) <= 2
        assert page_store.get("anything") is None


def test_a_process_checks_the_versions_now_and_then_and_never_per_hit(
    client, huabei, settings, monkeypatch, django_assert_num_queries
):
    """In production each process asks the database what changed at most once a second: a
    change made elsewhere shows within that time, one made here at once, and a hit between
    two checks costs no query."""
    from kb.cache import versions

    settings.KB_CONTENT_VERSION_CHECK_SECONDS = 60
    clock = [1000.0]
    monkeypatch.setattr(versions, "_clock", lambda: clock[0])
    url = huabei.category.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"  # reads the versions: none known yet
    with django_assert_num_queries(0):
        for _ in range(5):
            assert client.get(url)["X-Page-Cache"] == "hit"
    # Another process changes the article: this one knows within the check interval.
    another_process_bumps(f"article:{huabei.pk}")
    assert client.get(url)["X-Page-Cache"] == "hit"
    clock[0] += 61
    assert client.get(url)["X-Page-Cache"] == "miss"
    # A change made in this process shows at once.
    huabei.title = "花呗分期后还不上款的原因"
    huabei.save()
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and "花呗分期后还不上款的原因" in page.content.decode()


def test_an_edit_makes_again_only_the_pages_that_show_the_article(client, huabei, fenqile):
    """Per-scope versions: editing a cause of one article re-renders its page in both scripts
    and the pages that list or link it; every other page stays a hit."""
    product = Category.objects.create(name="测试产品", slug="ceshi-chanpin")
    topic = Category.objects.create(name="测试话题", slug="ceshi-huati", parent=product)
    Article.objects.create(
        category=topic, title="一篇别的文章", slug="yi-pian", status=Article.Status.PUBLISHED
    )
    showing = [
        huabei.get_absolute_url(),
        f"/zh-hant{huabei.get_absolute_url()}",
        huabei.category.get_absolute_url(),
        huabei.category.parent.get_absolute_url(),
        "/",
    ]
    others = [
        fenqile.category.get_absolute_url(),
        topic.get_absolute_url(),
        product.get_absolute_url(),
        f"/zh-hant{fenqile.category.get_absolute_url()}",
    ]
    pages = {url: client.get(url) for url in showing + others}
    # Related articles: any page that links the article is one that shows it.
    showing += [url for url in ("/articles/yi-pian/", fenqile.get_absolute_url())]
    for url in showing[-2:]:
        pages[url] = client.get(url)
    for url in showing + others:
        assert client.get(url)["X-Page-Cache"] == "hit", url
    for url in others:
        assert huabei.get_absolute_url() not in pages[url].content.decode(), url

    cause = huabei.causes.first()
    cause.title = "额度被临时冻结了"
    cause.save()

    for url in showing:
        assert client.get(url)["X-Page-Cache"] == "miss", url
    assert "额度被临时冻结了" in client.get(showing[0]).content.decode()
    assert "額度被臨時凍結了" in client.get(showing[1]).content.decode()
    for url in others:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_publishing_an_article_shows_in_its_lists_and_leaves_other_products_cached(
    client, huabei, fenqile
):
    lists = ["/", huabei.category.get_absolute_url(), huabei.category.parent.get_absolute_url()]
    other = fenqile.category.get_absolute_url()
    for url in [*lists, other]:
        client.get(url)
    Article.objects.create(
        category=huabei.category,
        title="新发布的花呗问题",
        slug="xin-fabu",
        status=Article.Status.PUBLISHED,
    )
    for url in lists:
        page = client.get(url)
        assert page["X-Page-Cache"] == "miss" and "新发布的花呗问题" in page.content.decode(), url
    assert client.get(other)["X-Page-Cache"] == "hit"


def test_an_edit_saved_while_the_shared_cache_was_away_is_not_hidden_by_older_pages(client, huabei):
    """Redis unreachable during the save: the versions are in the database, so the pages
    cached before it (in Redis, on every server) are out of date once it is back."""
    from kb.cache.recent import recent_pages

    url = huabei.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with override_settings(CACHES=REDIS_DOWN):
        huabei.title = "在缓存不可用时改的标题"
        huabei.save()
    recent_pages.clear()  # another server: it has only the shared cache
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and "在缓存不可用时改的标题" in page.content.decode()


def test_a_transaction_of_many_saves_writes_its_versions_once_more_when_committed(
    huabei, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """An import saves thousands of records in one transaction: once it commits, the scopes
    they touched are written again in one statement, not once per save."""
    from django.db import transaction

    from kb.models import ContentVersion

    causes = list(huabei.causes.all())
    assert len(causes) > 2
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for cause in causes:
            cause.save()
    before = ContentVersion.objects.get(scope=f"article:{huabei.pk}").version
    with django_assert_num_queries(1):
        for callback in callbacks:
            callback()
    assert ContentVersion.objects.get(scope=f"article:{huabei.pk}").version > before
