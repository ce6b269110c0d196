"""HTML and JSON go out gzip-compressed to clients that take it: cached pages compressed once
when stored, everything else the app writes on the way out (kb.compression)."""

import gzip

import pytest

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_cached_page_is_compressed_once_and_each_hit_sends_the_stored_bytes(
    client, huabei, monkeypatch
):
    from kb import compression

    calls = []
    real = compression.ENCODERS["gzip"]

    def counted(content):
        calls.append(len(content))
        return real(content)

    monkeypatch.setitem(compression.ENCODERS, "gzip", counted)
    url = huabei.get_absolute_url()
    miss = client.get(url, headers=GZIP)
    hits = [client.get(url, headers=GZIP) for _ in range(3)]
    plain = client.get(url)
    assert [r["X-Page-Cache"] for r in (miss, *hits, plain)] == ["miss", "hit", "hit", "hit", "hit"]
    assert len(calls) == 1
    for response in (miss, *hits):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content)
        assert len(response.content) < len(plain.content) / 3
        assert "Accept-Encoding" in response["Vary"]
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert huabei.title in plain.content.decode()


def test_each_encoding_of_a_page_has_its_own_etag_and_revalidates(client, huabei):
    url = huabei.category.get_absolute_url()
    compressed = client.get(url, headers=GZIP)
    plain = client.get(url)
    assert compressed["ETag"] != plain["ETag"]
    assert not compressed["ETag"].startswith("W/")
    same = client.get(url, headers={**GZIP, "If-None-Match": compressed["ETag"]})
    assert same.status_code == 304 and same["ETag"] == compressed["ETag"]
    # The identity's validator does not stand for the compressed bytes, nor the other way.
    other = client.get(url, headers={**GZIP, "If-None-Match": plain["ETag"]})
    assert other.status_code == 200 and other["Content-Encoding"] == "gzip"
    assert client.get(url, headers={"If-None-Match": compressed["ETag"]}).status_code == 200
    assert client.get(url, headers={"If-None-Match": plain["ETag"]}).status_code == 304


def test_a_client_that_refuses_gzip_gets_the_page_as_it_is(client, huabei):
    url = huabei.get_absolute_url()
    for accept in ("gzip;q=0, identity", "identity", "br;q=1, gzip;q=0"):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert "Content-Encoding" not in response, accept
        assert huabei.title in response.content.decode()


def test_json_and_search_pages_are_compressed_on_the_way_out(client, huabei):
    for url in ("/api/articles", "/search/?q=花呗", "/sitemap.xml", "/feed/"):
        compressed = client.get(url, headers=GZIP)
        plain = client.get(url)
        assert compressed.status_code == plain.status_code == 200, url
        assert compressed["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
        assert "Content-Encoding" not in plain
    articles = client.get("/api/articles", headers=GZIP)
    assert huabei.slug in gzip.decompress(articles.content).decode()


def test_short_answers_and_images_are_sent_as_they_are(client, settings, tmp_path, huabei):
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in client.get("/robots.txt", headers=GZIP)
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 4000)
    image = client.get("/media/picture.png", headers=GZIP)
    assert image.status_code == 200 and "Content-Encoding" not in image
