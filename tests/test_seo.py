import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


def jsonld(page, kind):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return next(data for data in map(json.loads, blocks) if data["@type"] == kind)


def test_article_has_its_own_title_description_canonical_and_open_graph(client, huabei):
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert f"<title>{huabei.title} - 帮助中心</title>" in page
    description = "花呗分期后无法还款，常见的原因有 4 种：没有待还款金额；网络繁忙或不稳定；"
    assert f'<meta name="description" content="{description}' in page
    assert f'<meta property="og:description" content="{description}' in page
    assert "以上" not in re.search(r'name="description" content="([^"]*)"', page).group(1)
    url = f"http://testserver{huabei.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:title" content="{huabei.title}">' in page
    assert '<meta property="og:locale" content="zh_CN">' in page


def test_article_describes_its_causes_as_an_faq(client, huabei):
    page = client.get(huabei.get_absolute_url()).content.decode()
    faq = jsonld(page, "FAQPage")
    assert len(faq["mainEntity"]) == 4
    question = faq["mainEntity"][2]
    assert question["name"] == "花呗分期后无法还款的原因：还款方式余额不足"
    assert "先存钱再还款" in question["acceptedAnswer"]["text"]


def test_breadcrumbs_are_shown_and_described_for_search_engines(client, huabei):
    page = client.get(f"{huabei.get_absolute_url()}troubleshoot/").content.decode()
    trail = jsonld(page, "BreadcrumbList")["itemListElement"]
    assert [item["name"] for item in trail] == [
        "首页",
        "花呗",
        "还款问题",
        huabei.title,
        "自助排查",
    ]
    assert trail[3]["item"] == f"http://testserver{huabei.get_absolute_url()}"
    assert '<span aria-current="page">自助排查</span>' in page


def test_json_ld_cannot_be_closed_by_content(client, huabei):
    huabei.causes.filter(position=1).update(title="</script><script>alert(1)</script>")
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "\\u003C/script\\u003E" in page


def test_sitemap_lists_pages_in_both_variants(client, huabei, fenqile):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/", huabei.get_absolute_url(), "/categories/huabei/", fenqile.get_absolute_url()):
        assert f"<loc>http://testserver{path}</loc>" in xml
        assert f"<loc>http://testserver/zh-hant{path}</loc>" in xml
    assert 'hreflang="zh-hant"' in xml and "<lastmod>" in xml


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_atom_feed_lists_updated_articles_in_both_variants(client, huabei):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert f"<title>{huabei.title}</title>" in feed and "<updated>" in feed
    assert "花唄分期後無法還款的原因" in client.get("/zh-hant/feed/").content.decode()
    assert 'type="application/atom+xml"' in client.get("/").content.decode()


def test_feedback_pages_are_not_indexed(client, huabei):
    page = client.get(f"{huabei.get_absolute_url()}feedback/thanks/?helpful=yes").content.decode()
    assert '<meta name="robots" content="noindex">' in page


ATOM = "{http://www.w3.org/2005/Atom}"
LIVE_MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def feed_entries(client, path="/feed/"):
    """The feed's entries as a feed reader reads them: {title: (title, summary as HTML)}."""
    root = ET.fromstring(client.get(path).content)
    entries = {}
    for entry in root.iter(f"{ATOM}entry"):
        title, summary = entry.find(f"{ATOM}title"), entry.find(f"{ATOM}summary")
        assert title.get("type", "text") == "text"  # shown as typed, never rendered
        entries[title.text] = summary.get("type", "text"), summary.text
    return entries


class ElementCollector(HTMLParser):
    def __init__(self, markup):
        super().__init__()
        self.elements = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)


@pytest.mark.parametrize("path", ["/feed/", "/zh-hant/feed/"])
def test_feed_shows_markup_in_a_title_as_text(client, huabei, path):
    huabei.title, huabei.summary = LIVE_MARKUP, ""
    huabei.save()
    kind, summary = feed_entries(client, path)[LIVE_MARKUP]
    if kind == "html":
        assert ElementCollector(summary).elements == []
    assert "<img" in summary.replace("&lt;", "<") and "alert(1)" in summary


def test_feed_shows_markup_quoted_in_a_summary_as_text(client, huabei):
    huabei.summary = f"写成 `{LIVE_MARKUP}` 的代码 & 文字"
    huabei.save()
    kind, summary = feed_entries(client)[huabei.title]
    assert kind == "html"
    assert ElementCollector(summary).elements == []
    assert (
        summary
        == "写成 &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; 的代码 &amp; 文字"
    )


def test_meta_description_is_the_summary_as_text_escaped_once(client, huabei):
    huabei.summary = "额度 & 利息 `<b>`"
    huabei.save()
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert '<meta name="description" content="额度 &amp; 利息 &lt;b&gt;">' in page


SITE = "https://help.example.com"
# The same site as a client may name it: its Host header is not the site's address.
SAME_SITE_HOSTS = [
    "help.example.com",
    "HELP.example.com:1337",
    "help.example.com.",
    "Help.Example.COM.",
]
NAMESPACES = ("http://www.sitemaps.org/", "http://www.w3.org/", "https://schema.org")


@pytest.fixture
def site_url(settings):
    settings.KB_SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["help.example.com"]


def absolute_urls(text):
    return {
        url for url in re.findall(r"https?://[^\s\"'<>]+", text) if not url.startswith(NAMESPACES)
    }


def written_urls(client, host, article_path):
    """Every absolute URL the pages, sitemap, robots.txt and feed give a client naming ``host``."""
    urls = {}
    for path in (
        "/",
        article_path,
        f"/zh-hant{article_path}troubleshoot/",
        "/categories/huabei/",
        "/sitemap.xml",
        "/robots.txt",
        "/feed/",
        "/zh-hant/feed/",
    ):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path)
        urls[path] = absolute_urls(response.content.decode())
    return urls


def test_site_url_names_every_absolute_url_whatever_the_host_header(client, huabei, site_url):
    article_path = huabei.get_absolute_url()  # before a zh-hant request activates that language
    expected = written_urls(client, SAME_SITE_HOSTS[0], article_path)
    for host in SAME_SITE_HOSTS[1:]:
        assert written_urls(client, host, article_path) == expected, host
    for path, urls in expected.items():
        assert urls, path
        assert all(url.startswith(f"{SITE}/") for url in urls), (path, urls)

    page = client.get(article_path, HTTP_HOST="HELP.example.com:1337").content.decode()
    canonical = f"{SITE}{article_path}"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert f'<link rel="alternate" hreflang="zh-Hant" href="{SITE}/zh-hant{article_path}">' in page
    assert jsonld(page, "BreadcrumbList")["itemListElement"][-1]["item"] == canonical
    robots = client.get("/robots.txt", HTTP_HOST="help.example.com.").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml", HTTP_HOST="HELP.example.com:1337").content.decode()
    assert f"<loc>{canonical}</loc>" in sitemap
    feed = ET.fromstring(client.get("/feed/", HTTP_HOST="help.example.com.").content)
    assert feed.find(f"{ATOM}id").text == f"{SITE}/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feed/"
    assert f"{SITE}{article_path}" in {
        entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")
    }


def test_without_a_site_url_absolute_urls_follow_the_request(client, huabei, settings):
    settings.ALLOWED_HOSTS = ["help.example.com"]
    for path in (huabei.get_absolute_url(), "/sitemap.xml", "/robots.txt", "/feed/"):
        page = client.get(path, HTTP_HOST="help.example.com:8000").content.decode()
        urls = absolute_urls(page)
        assert urls and all(url.startswith("http://help.example.com:8000/") for url in urls), path
