import json
import re

import pytest

pytestmark = pytest.mark.django_db


def jsonld(page, kind):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return next(data for data in map(json.loads, blocks) if data["@type"] == kind)


def test_article_has_its_own_title_description_canonical_and_open_graph(client, huabei):
    page = client.get(huabei.get_absolute_url()).content.decode()
    assert f"<title>{huabei.title} - 帮助中心</title>" in page
    assert '<meta name="description" content="花呗分期还款不了通常' in page
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
