"""HTML and JSON go out Brotli- or gzip-compressed to clients that take it, in the coding the
client rates highest: cached pages compressed once per coding when stored, everything else the
app writes on the way out (kb.compression)."""

import gzip

import brotli
import pytest

pytestmark = pytest.mark.django_db

# What browsers send: Brotli and gzip alike, so Brotli (the smaller) is chosen.
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
GZIP = {"Accept-Encoding": "gzip"}

DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}


def decoded(response):
    """The body as the client reads it, decoded by the Content-Encoding it says."""
    coding = response.get("Content-Encoding")
    return DECODERS[coding](response.content) if coding else response.content


@pytest.mark.parametrize(("headers", "coding"), [(BROWSER, "br"), (GZIP, "gzip")])
def test_a_cached_page_is_compressed_once_and_each_hit_sends_the_stored_bytes(
    client, huabei, monkeypatch, headers, coding
):
    from kb import compression

    calls = []
    for name, real in list(compression.ENCODERS.items()):
        monkeypatch.setitem(
            compression.ENCODERS,
            name,
            lambda content, name=name, real=real: calls.append(name) or real(content),
        )
    url = huabei.get_absolute_url()
    miss = client.get(url, headers=headers)
    hits = [client.get(url, headers=headers) for _ in range(3)]
    plain = client.get(url)
    other = client.get(url, headers=GZIP if coding == "br" else BROWSER)
    assert [r["X-Page-Cache"] for r in (miss, *hits, plain, other)] == ["miss"] + ["hit"] * 5
    # Once per coding, at the miss; no hit compresses again, whichever coding it asks for.
    assert sorted(calls) == ["br", "gzip"]
    for response in (miss, *hits):
        assert response["Content-Encoding"] == coding
        assert decoded(response) == plain.content
        assert int(response["Content-Length"]) == len(response.content)
        assert len(response.content) < len(plain.content) / 3
        assert "Accept-Encoding" in response["Vary"]
    assert decoded(other) == plain.content
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert huabei.title in plain.content.decode()


def test_brotli_is_smaller_than_gzip_for_a_page(client, huabei):
    url = huabei.category.get_absolute_url()
    assert len(client.get(url, headers=BROWSER).content) < len(
        client.get(url, headers=GZIP).content
    )


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br", "br"),
        ("br;q=1.0, gzip;q=1.0", "br"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0.8, gzip;q=0.9", "gzip"),
        ("BR;Q=0.9, gzip;q=0.1", "br"),
        ("*", "br"),
        ("br;q=0, *", "gzip"),
        ("gzip;q=0.2, *;q=0.5", "br"),
        ("br;q=x, gzip", "gzip"),
        ("br;q=0.5, identity;q=1", None),
        ("br;q=0, gzip;q=0", None),
        ("deflate, zstd", None),
        ("", None),
    ],
)
def test_the_coding_is_the_one_the_client_rates_highest(client, huabei, accept, coding):
    url = huabei.get_absolute_url()
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    for _ in ("miss or hit", "hit"):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.get("Content-Encoding") == coding, accept
        assert decoded(response) == plain.content
    on_the_way_out = client.get("/search/?q=花呗", headers={"Accept-Encoding": accept})
    assert on_the_way_out.get("Content-Encoding") == coding, accept
    assert "花呗" in decoded(on_the_way_out).decode()


def test_each_encoding_of_a_page_has_its_own_etag_and_revalidates(client, huabei):
    url = huabei.category.get_absolute_url()
    compressed = client.get(url, headers=GZIP)
    brotli_etag = client.get(url, headers=BROWSER)["ETag"]
    plain = client.get(url)
    assert len({compressed["ETag"], brotli_etag, plain["ETag"]}) == 3
    assert not compressed["ETag"].startswith("W/")
    same = client.get(url, headers={**GZIP, "If-None-Match": compressed["ETag"]})
    assert same.status_code == 304 and same["ETag"] == compressed["ETag"]
    # The identity's validator does not stand for the compressed bytes, nor the other way.
    other = client.get(url, headers={**GZIP, "If-None-Match": plain["ETag"]})
    assert other.status_code == 200 and other["Content-Encoding"] == "gzip"
    assert client.get(url, headers={"If-None-Match": compressed["ETag"]}).status_code == 200
    assert client.get(url, headers={"If-None-Match": plain["ETag"]}).status_code == 304


def test_a_client_that_refuses_both_gets_the_page_as_it_is(client, huabei):
    url = huabei.get_absolute_url()
    for accept in ("gzip;q=0, identity", "identity", "br;q=0, gzip;q=0"):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert "Content-Encoding" not in response, accept
        assert huabei.title in response.content.decode()


@pytest.mark.parametrize(("headers", "coding"), [(BROWSER, "br"), (GZIP, "gzip")])
def test_json_and_search_pages_are_compressed_on_the_way_out(client, huabei, headers, coding):
    for url in ("/api/articles", "/search/?q=花呗", "/sitemap.xml", "/feed/"):
        compressed = client.get(url, headers=headers)
        plain = client.get(url)
        assert compressed.status_code == plain.status_code == 200, url
        assert compressed["Content-Encoding"] == coding, url
        assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
        assert "Content-Encoding" not in plain
        assert decoded(compressed) == plain.content, url
    articles = client.get("/api/articles", headers=headers)
    assert huabei.slug in decoded(articles).decode()


def test_a_signed_in_session_gets_gzip_only_against_breach(editor_client, huabei):
    # The admin holds a CSRF token; only gzip has the random header that hides its length.
    response = editor_client.get("/admin/", headers=BROWSER)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Cookie" in response["Vary"]
    assert b"csrfmiddlewaretoken" in decoded(response)


def test_short_answers_and_images_are_sent_as_they_are(client, settings, tmp_path, huabei):
    assert "Content-Encoding" not in client.get("/healthz", headers=BROWSER)
    assert "Content-Encoding" not in client.get("/robots.txt", headers=BROWSER)
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 4000)
    image = client.get("/media/picture.png", headers=BROWSER)
    assert image.status_code == 200 and "Content-Encoding" not in image
