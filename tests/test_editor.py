"""The Markdown editor's endpoints: its live preview uses the public renderer, and image
uploads take real raster images only (no SVG), at most 2 MB, stored under MEDIA_ROOT or, on the
scale path, in the database (kb.uploads)."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(image_format, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, image_format)
    return buffer.getvalue()


def png_of_declared_size(width, height):
    """A black 1-bit PNG, written chunk by chunk: a 13000x13000 one is about 20 KB of file and
    never a full row buffer more in memory here, though a decoder would unpack 169 million
    pixels from it (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor, row, parts = zlib.compressobj(9), b"\0" * (1 + (width + 7) // 8), []
    for _ in range(height):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def upload(client, name, content, content_type):
    return client.post(
        "/markdownx/upload/", {"image": SimpleUploadedFile(name, content, content_type)}, **XHR
    )


@pytest.mark.parametrize(
    ("image_format", "content_type", "extension"),
    [
        ("PNG", "image/png", "png"),
        ("JPEG", "image/jpeg", "jpg"),
        ("WEBP", "image/webp", "webp"),
        ("GIF", "image/gif", "gif"),
    ],
)
def test_an_editor_uploads_an_image_and_readers_can_load_it(
    editor_client, client, media_root, image_format, content_type, extension
):
    response = upload(editor_client, f"截图.{extension}", image_bytes(image_format), content_type)
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/markdownx/") and code.endswith(f".{extension})")
    url = code[4:-1]
    assert (media_root / url.removeprefix("/media/")).is_file()
    client.logout()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == content_type


def test_svg_is_refused_whatever_it_claims_to_be(editor_client, media_root):
    refused = upload(editor_client, "x.svg", SVG, "image/svg+xml")
    assert refused.status_code == 400
    assert refused.json() == {"__all__": ["只能上传 PNG、JPEG、WebP 或 GIF 图片。"]}
    assert upload(editor_client, "x.svg", SVG, "image/gif").status_code == 400
    assert upload(editor_client, "x.png", SVG, "image/png").status_code == 400
    assert list(media_root.rglob("*")) == []


def test_an_image_over_2_mb_is_refused(editor_client):
    big = image_bytes("PNG") + b"\0" * (2 * 1024 * 1024)
    response = upload(editor_client, "big.png", big, "image/png")
    assert response.status_code == 400
    assert response.json() == {"__all__": ["图片不能超过 2 MB。"]}


def test_the_stored_name_follows_the_content_not_the_upload(editor_client):
    response = upload(editor_client, "photo.html", image_bytes("PNG"), "image/gif")
    assert response.status_code == 200
    assert response.json()["image_code"].endswith(".png)")


def test_the_live_preview_is_the_public_renderer(editor_client):
    response = editor_client.post(
        "/markdownx/markdownify/",
        {"content": "**粗体** <script>alert(1)</script> [x](javascript:alert(1))"},
        **XHR,
    )
    html = response.content.decode()
    assert "<strong>粗体</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert editor_client.post("/markdownx/markdownify/", {}, **XHR).status_code == 200


ENDPOINTS = ["/markdownx/upload/", "/markdownx/markdownify/"]


def assert_refused(response, status, words):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_editor_endpoints_serve_nobody_but_editors(client, staff_in, django_user_model, url):
    assert_refused(client.post(url, {"content": "x"}, **XHR), 403, "请先登录")
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    assert_refused(client.post(url, {"content": "x"}, **XHR), 403, "没有编辑文章的权限")
    # Staff without the right to change articles (a role that only reads the reports).
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert_refused(client.post(url, {"content": "x"}, **XHR), 403, "没有编辑文章的权限")


def test_refusals_are_json_for_scripts_and_a_page_for_people(client):
    assert client.post("/markdownx/upload/", HTTP_ACCEPT="application/json").json()
    page = client.post("/markdownx/upload/")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")
    assert "没有权限" in page.content.decode()


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_get_is_answered_405_not_a_500(editor_client, url):
    response = editor_client.get(url, **XHR)
    assert_refused(response, 405, "只接受 POST")
    assert response["Allow"] == "POST"
    assert editor_client.get(url).status_code == 405  # a person typing the address


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_hand_made_request_without_the_scripts_header_is_refused_not_a_500(
    editor_client, media_root, url
):
    png = SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")
    response = editor_client.post(url, {"image": png, "content": "x"})
    assert response.status_code == 400
    assert "X-Requested-With" in response.content.decode()
    refused = editor_client.post(url, {"content": "x"}, HTTP_ACCEPT="application/json")
    assert_refused(refused, 400, "编辑器脚本")
    assert list(media_root.rglob("*")) == []


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_request_from_another_site_is_refused(editor, url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/admin/")  # the page sets the CSRF cookie, as the editor's own page does
    token = client.cookies["csrftoken"].value
    data = {"content": "x", "csrfmiddlewaretoken": token}
    forged = client.post(url, data, HTTP_ORIGIN="https://evil.example", **XHR)
    assert forged.status_code == 403 and "detail" in forged.json()
    # A browser saying so, even where the Origin header is left out.
    fetched = client.post(url, data, HTTP_SEC_FETCH_SITE="cross-site", **XHR)
    assert_refused(fetched, 403, "本站的编辑页面")
    assert client.post(url, {"content": "x"}, **XHR).status_code == 403  # no token
    own = client.post(url, data, HTTP_ORIGIN="http://testserver", **XHR)
    assert own.status_code != 403


def test_no_file_or_a_non_image_gets_the_reason(editor_client):
    missing = editor_client.post("/markdownx/upload/", {"text": "x"}, **XHR)
    assert missing.status_code == 400 and list(missing.json()) == ["image"]
    text = upload(editor_client, "readme.png", "这不是图片".encode(), "image/png")
    assert text.status_code == 400
    assert text.json() == {"__all__": ["只能上传 PNG、JPEG、WebP 或 GIF 图片。"]}


def test_a_huge_upload_is_refused_before_it_is_read(editor_client, media_root):
    huge = b"\0" * (3 * 1024 * 1024)
    response = upload(editor_client, "huge.png", huge, "image/png")
    assert response.status_code == 413
    assert response.json() == {"image": ["图片不能超过 2 MB。"]}
    assert list(media_root.rglob("*")) == []


def test_a_decompression_bomb_is_refused_from_its_header_with_a_clear_message(
    editor_client, media_root
):
    bomb = png_of_declared_size(13000, 13000)
    assert len(bomb) < 500 * 1024
    response = upload(editor_client, "bomb.png", bomb, "image/png")
    assert response.status_code == 400
    assert response.json() == {
        "__all__": ["图片尺寸 13000×13000 太大：最多 1678 万像素（如 4096×4096），请缩小后再上传。"]
    }
    assert list(media_root.rglob("*")) == []


def test_an_image_beyond_pillows_own_limit_is_refused_not_a_500(editor_client, media_root):
    # Over twice Image.MAX_IMAGE_PIXELS: Pillow raises DecompressionBombError in Image.open.
    response = upload(editor_client, "huge.png", png_of_declared_size(20000, 20000), "image/png")
    assert response.status_code == 400
    assert "太大" in response.json()["__all__"][0]
    assert list(media_root.rglob("*")) == []


def test_the_pixel_budget_is_a_setting(editor_client, settings):
    settings.KB_UPLOAD_MAX_PIXELS = 100 * 100
    assert (
        upload(editor_client, "a.png", image_bytes("PNG", (100, 100)), "image/png").status_code
        == 200
    )
    refused = upload(editor_client, "b.png", image_bytes("PNG", (101, 100)), "image/png")
    assert refused.json() == {
        "__all__": ["图片尺寸 101×100 太大：最多 1 万像素（如 100×100），请缩小后再上传。"]
    }


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_truncated_image_is_refused_not_a_500(editor_client, media_root, image_format):
    whole = image_bytes(image_format, (400, 300))
    response = upload(editor_client, "cut.img", whole[: len(whole) // 2], "image/png")
    assert response.status_code == 400
    assert response.json() == {"__all__": ["图片文件已损坏或不完整，请重新导出后再上传。"]}
    assert list(media_root.rglob("*")) == []


def test_an_empty_or_missing_file_is_refused_with_one_message(editor_client):
    empty = upload(editor_client, "empty.png", b"", "image/png")
    assert empty.status_code == 400
    assert empty.json() == {"image": ["所提交的是空文件。"]}
    missing = editor_client.post("/markdownx/upload/", {}, **XHR)
    assert missing.status_code == 400 and list(missing.json()) == ["image"]


def test_an_image_named_as_another_format_is_stored_as_what_it_is(editor_client, client):
    response = upload(editor_client, "photo.png", image_bytes("JPEG"), "image/png")
    url = response.json()["image_code"][4:-1]
    assert url.endswith(".jpg")
    assert client.get(url)["Content-Type"] == "image/jpeg"


DATABASE_STORAGE = {
    "default": {"BACKEND": "kb.uploads.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def test_on_the_scale_path_an_upload_is_kept_in_the_database_and_served_from_it(
    editor_client, client, settings, media_root
):
    """Every server reads the same table: an image uploaded through one is served by all."""
    from kb.models import StoredUpload

    settings.STORAGES = DATABASE_STORAGE
    png = image_bytes("PNG")
    response = upload(editor_client, "截图.png", png, "image/png")
    assert response.status_code == 200
    url = response.json()["image_code"][4:-1]
    assert url.startswith("/media/markdownx/") and url.endswith(".png")
    assert list(media_root.rglob("*")) == []  # nothing on this server's disk
    assert bytes(StoredUpload.objects.get().content) == png
    client.logout()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png
    cache_control = {part.strip() for part in served["Cache-Control"].split(",")}
    assert {"public", "immutable", "max-age=31536000"} <= cache_control
    again = client.get(url, headers={"If-Modified-Since": served["Last-Modified"]})
    assert again.status_code == 304
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("storages", ["files", "database"])
def test_only_stored_images_are_served(client, settings, media_root, storages):
    if storages == "database":
        settings.STORAGES = DATABASE_STORAGE
    (media_root / "notes.html").write_text("<script>alert(1)</script>")
    (media_root / "markdownx").mkdir()
    for url in (
        "/media/markdownx/missing.png",
        "/media/notes.html",
        "/media/markdownx/",
        "/media/../secret.png",
        "/media/%2e%2e/%2e%2e/etc/passwd.png",
    ):
        assert client.get(url).status_code == 404, url


def test_the_default_set_up_serves_uploads_from_var_media(editor_client, client, media_root):
    response = upload(editor_client, "a.gif", image_bytes("GIF"), "image/gif")
    url = response.json()["image_code"][4:-1]
    served = client.get(url)
    assert served.status_code == 200 and "immutable" in served["Cache-Control"]
    assert (media_root / url.removeprefix("/media/")).read_bytes() == b"".join(
        served.streaming_content
    )


def test_moving_to_the_database_keeps_serving_the_images_stored_as_files(
    client, settings, media_root
):
    (media_root / "markdownx").mkdir()
    (media_root / "markdownx" / "old.png").write_bytes(image_bytes("PNG"))
    settings.STORAGES = DATABASE_STORAGE
    served = client.get("/media/markdownx/old.png")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


@pytest.mark.parametrize("declared", ["9" * 25, "12abc", "-1"])
def test_a_length_that_is_no_number_is_refused_too(editor_client, media_root, declared):
    response = editor_client.post(
        "/markdownx/upload/", {"text": "x"}, CONTENT_LENGTH=declared, **XHR
    )
    assert response.status_code == 413
    assert list(media_root.rglob("*")) == []
