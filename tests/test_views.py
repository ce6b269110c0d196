import pytest
from django.urls import reverse

from kb.models import Article

pytestmark = pytest.mark.django_db


def test_home_lists_both_products_and_their_articles(client, huabei, fenqile):
    page = client.get("/").content.decode()
    for text in ("花呗", "分期乐", huabei.title, fenqile.title, huabei.get_absolute_url()):
        assert text in page
    assert 'role="search"' in page


def test_article_page_shows_causes_with_anchors_remedies_and_advice(client, huabei):
    response = client.get(huabei.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>花呗分期后无法还款的原因</h1>" in page
    for n, title in enumerate(["没有待还款金额", "网络繁忙或不稳定", "还款方式余额不足"], start=1):
        assert f'id="cause-{n}"' in page
        assert f'href="#cause-{n}">原因 {n}：{title}</a>' in page
    assert page.count("<h3>怎么办</h3>") == 4
    assert "先存钱再还款" in page
    assert 'id="advice"' in page and "按时还款" in page
    assert "更新于" in page
    assert 'aria-label="当前位置"' in page and ">还款问题</a>" in page


def test_category_page_lists_its_articles(client, huabei, fenqile):
    page = client.get(reverse("kb:category", args=["huabei"])).content.decode()
    assert huabei.title in page and fenqile.title not in page
    topic = client.get(huabei.category.get_absolute_url()).content.decode()
    assert huabei.title in topic


def test_drafts_are_invisible_to_the_public(client, huabei):
    huabei.status = Article.Status.DRAFT
    huabei.save()
    assert client.get(huabei.get_absolute_url()).status_code == 404
    assert huabei.title not in client.get("/").content.decode()
    assert huabei.title not in client.get("/categories/huabei-huankuan/").content.decode()


def test_scheduled_article_stays_hidden_until_its_time(client, huabei):
    from datetime import timedelta

    from django.utils import timezone

    huabei.published_at = timezone.now() + timedelta(days=1)
    huabei.save()
    assert client.get(huabei.get_absolute_url()).status_code == 404


def test_unknown_pages_get_a_friendly_404(client, db):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
    assert client.get("/categories/%E4%BD%A0/").status_code == 404


def test_markdown_in_content_is_rendered_safely(client, huabei):
    huabei.summary = "**重要** <script>alert(1)</script> [点我](javascript:alert(1))"
    huabei.save()
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert "<strong>重要</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page


def test_server_error_page_is_friendly_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "抱歉，页面出错了" in response.content.decode()


def test_home_shows_hot_questions_most_read_first(client, huabei, fenqile):
    from kb.cache import bump_content_version
    from kb.models import ArticleHits

    assert "大家都在问" not in client.get("/").content.decode()
    ArticleHits.objects.record_view(huabei)
    ArticleHits.objects.record_view(fenqile)
    ArticleHits.objects.record_search_click(fenqile)
    bump_content_version()  # as the home page's short cache lifetime does within minutes
    page = client.get("/").content.decode()
    hot = page[page.index("大家都在问") : page.index("按产品查找")]
    assert hot.index(fenqile.title) < hot.index(huabei.title)


def test_every_reading_of_an_article_counts_a_view_cached_or_not(client, huabei):
    from kb.models import ArticleHits

    url = huabei.get_absolute_url()
    statuses = [client.get(url)["X-Page-Cache"] for _ in range(3)]
    assert statuses == ["miss", "hit", "hit"]
    client.get(f"/zh-hant{url}")
    hits = ArticleHits.objects.get(article=huabei)
    assert hits.views == 4 and hits.search_clicks == 0
    assert list(Article.objects.hot()) == [huabei]


def test_staff_and_other_pages_count_no_views(client, admin_client, huabei):
    from kb.models import ArticleHits

    admin_client.get(huabei.get_absolute_url())
    client.get("/")
    client.get(huabei.category.get_absolute_url())
    client.get(f"{huabei.get_absolute_url()}troubleshoot/")
    assert not ArticleHits.objects.exists()


def test_views_are_written_in_batches(client, huabei, fenqile, settings):
    from kb import hits
    from kb.models import ArticleHits

    settings.KB_VIEW_FLUSH_SECONDS = 3600
    for article in (huabei, huabei, fenqile):
        client.get(article.get_absolute_url())
    assert not ArticleHits.objects.exists()  # counted in memory only, so far
    assert hits.views.pending() == {huabei.pk: 2, fenqile.pk: 1}
    settings.KB_VIEW_FLUSH_SECONDS = 0
    client.get(huabei.get_absolute_url())  # the time has come: everything is written
    assert dict(ArticleHits.objects.values_list("article__slug", "views")) == {
        huabei.slug: 3,
        fenqile.slug: 1,
    }
    assert hits.views.pending() == {}


def test_views_that_cannot_be_written_are_kept_for_the_next_try(huabei, fenqile, monkeypatch):
    from django.db import OperationalError

    from kb import hits
    from kb.models import ArticleHits

    counter = hits.view_counter()
    real_record = type(ArticleHits.objects).record
    calls = []

    def record(self, article, **counts):
        calls.append(article)
        if len(calls) == 2:
            raise OperationalError("the database went away")
        return real_record(self, article, **counts)

    monkeypatch.setattr(type(ArticleHits.objects), "record", record)
    counter._counts.update({huabei.pk: 2, fenqile.pk: 5})
    counter.flush()  # the first article is written, the second fails and is kept
    written = dict(ArticleHits.objects.values_list("article_id", "views"))
    assert written == {calls[0]: 2 if calls[0] == huabei.pk else 5}
    assert counter.pending() == {calls[1]: 5 if calls[1] == fenqile.pk else 2}
    counter.flush()
    assert dict(ArticleHits.objects.values_list("article_id", "views")) == {
        huabei.pk: 2,
        fenqile.pk: 5,
    }
    assert counter.pending() == {}


@pytest.mark.django_db(transaction=True)  # the foreign key is checked when the write commits
def test_views_of_a_deleted_article_are_dropped(huabei):
    from kb import hits
    from kb.models import ArticleHits

    counter = hits.view_counter()
    counter._counts.update({huabei.pk: 3})
    huabei.delete()
    counter.flush()
    assert not ArticleHits.objects.exists() and counter.pending() == {}


def test_article_offers_related_articles_and_a_copy_link_per_cause(client, huabei, fenqile):
    page = client.get(huabei.get_absolute_url()).content.decode()
    related = page[page.index("相关问题") :]
    assert fenqile.get_absolute_url() in related
    for n in range(1, 5):
        assert f'<a class="copy-link" href="{huabei.get_absolute_url()}causes/{n}/"' in page


def test_pages_are_ready_for_a_strict_content_security_policy(client, huabei):
    """No inline scripts (JSON-LD data blocks aside), event handlers or style attributes."""
    import re

    url = huabei.get_absolute_url()
    for path in ["/", url, f"{url}troubleshoot/", f"{url}troubleshoot/1/yes/", f"/zh-hant{url}"]:
        page = client.get(path).content.decode()
        scripts = re.findall(r"<script([^>]*)>", page)
        assert all("src=" in attrs or 'type="application/ld+json"' in attrs for attrs in scripts)
        assert not re.search(r"\son[a-z]+=", page) and " style=" not in page
        assert "https://" not in "".join(re.findall(r'(?:src|href)="([^"]+\.(?:css|js))"', page))


def test_is_public_and_scheduled_agree_with_the_querysets(db):
    """Who may see an article is one rule: published() decides, the per-object properties and
    the next-publication query follow it."""
    from datetime import timedelta

    from django.utils import timezone

    from kb.models import Article, Category
    from kb.publishing import seconds_to_next_publication

    product = Category.objects.create(name="测试产品", slug="ceshi")
    now = timezone.now()
    cases = {
        "draft": (Article.Status.DRAFT, None),
        "draft-dated": (Article.Status.DRAFT, now - timedelta(days=1)),
        "undated": (Article.Status.PUBLISHED, None),
        "past": (Article.Status.PUBLISHED, now - timedelta(minutes=1)),
        "future": (Article.Status.PUBLISHED, now + timedelta(hours=2)),
    }
    for slug, (status, when) in cases.items():
        Article.objects.create(
            title=slug, slug=slug, category=product, status=status, published_at=when
        )
    articles = Article.objects.filter(category=product)
    public = set(articles.published().values_list("slug", flat=True))
    scheduled = set(articles.scheduled().values_list("slug", flat=True))
    assert public == {"undated", "past"} and scheduled == {"future"}
    for article in articles:
        assert article.is_public == (article.slug in public), article.slug
        assert article.is_scheduled == (article.slug in scheduled), article.slug
    assert 7000 < seconds_to_next_publication() <= 7201
