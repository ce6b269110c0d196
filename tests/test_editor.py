"""The Markdown editor's endpoints: its live preview uses the public renderer, and image
uploads take real raster images only (no SVG), at most 2 MB, stored under MEDIA_ROOT."""

import io

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


def test_the_editor_endpoints_serve_nobody_but_editors(client):
    png = image_bytes("PNG")
    assert upload(client, "a.png", png, "image/png").status_code == 403
    assert client.post("/markdownx/markdownify/", {"content": "**x**"}).status_code == 403


def test_the_live_preview_is_the_public_renderer(editor_client):
    response = editor_client.post(
        "/markdownx/markdownify/",
        {"content": "**粗体** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    html = response.content.decode()
    assert "<strong>粗体</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert editor_client.post("/markdownx/markdownify/", {}).status_code == 200
