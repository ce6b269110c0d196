import pytest

pytestmark = pytest.mark.django_db

HANT = "/zh-hant"


def test_every_public_page_has_a_traditional_variant(client, huabei):
    for path in [
        "/",
        huabei.get_absolute_url(),
        "/categories/huabei/",
        f"{huabei.get_absolute_url()}troubleshoot/",
    ]:
        response = client.get(HANT + path)
        page = response.content.decode()
        assert response.status_code == 200, path
        assert '<html lang="zh-Hant">' in page
        assert "幫助中心" in page and "帮助中心" not in page


def test_traditional_article_uses_taiwan_phrasing_and_keeps_links_in_the_variant(client, huabei):
    url = huabei.get_absolute_url()
    page = client.get(HANT + url).content.decode()
    assert "<h1>花唄分期後無法還款的原因</h1>" in page
    assert "網絡繁忙或不穩定" in page  # s2tw: characters only, 网络 stays 網絡 (not 網路)
    assert f'href="{HANT}{url}troubleshoot/"' in page
    assert f'href="{HANT}/categories/huabei-huankuan/"' in page
    assert f'action="{HANT}{url}feedback/"' in page


def test_pages_name_both_variants_as_alternates(client, huabei):
    url = huabei.get_absolute_url()
    for path in (url, HANT + url):
        page = client.get(path).content.decode()
        assert f'<link rel="alternate" hreflang="zh-Hans" href="http://testserver{url}">' in page
        assert (
            f'<link rel="alternate" hreflang="zh-Hant" href="http://testserver{HANT}{url}">' in page
        )
        assert f'hreflang="x-default" href="http://testserver{url}"' in page
        assert f'<link rel="canonical" href="http://testserver{path}">' in page


def test_variant_switch_links_to_the_same_page_labelled_in_its_own_script(client, huabei):
    url = huabei.get_absolute_url()
    simplified = client.get(url).content.decode()
    assert f'href="http://testserver{HANT}{url}" hreflang="zh-Hant" lang="zh-Hant">' in simplified
    assert ">繁體<" in simplified
    traditional = client.get(HANT + url).content.decode()
    assert f'href="http://testserver{url}" hreflang="zh-Hans" lang="zh-Hans">' in traditional
    assert ">简体<" in traditional  # the label stays simplified


def test_search_form_submits_within_the_variant(client, huabei):
    assert 'action="/search/"' in client.get("/").content.decode()
    assert f'action="{HANT}/search/"' in client.get(f"{HANT}/").content.decode()


def test_simplified_pages_stay_simplified_and_the_api_is_not_converted(client, huabei):
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()
    assert client.get("/api/articles").json()[0]["title"] in {
        huabei.title,
        "朋友欠分期乐，催收人员打电话给用户的原因",
    }
    assert client.get(f"{HANT}/api/articles").status_code == 404


def test_the_url_alone_decides_the_script(client, huabei):
    url = huabei.get_absolute_url()
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Accept-Language" not in client.get(f"{HANT}{url}").get("Vary", "")
