"""The Markdown editor's endpoints (django-markdownx), for staff who may edit articles only.

markdownx's own views answer anyone, and its upload trusts the type and file name the browser
declares: a file named ``x.svg`` sent as ``image/gif`` would be stored as SVG and served from
our domain. Here the bytes decide: Pillow must recognise a PNG, JPEG, WebP or GIF image, and the
stored name takes its extension from that format.

The size is checked before anything is decoded: a PNG of a few hundred KB can declare
13000x13000 pixels, which Pillow would unpack into hundreds of MB. Image.open reads only the
header, so the dimensions are refused there (``KB_UPLOAD_MAX_PIXELS``); what passes is decoded
once, to refuse truncated or corrupt files before markdownx resizes them.

Both endpoints are the editor scripts' own (markdownx's and static/kb/admin-editor.js), and
every request that is not one of theirs gets a 4xx that says why, never a 500 (markdownx's
upload view renders a template that does not exist for anything but its script's POST): a
signed-in account that may change articles, a POST, from our own pages (Django's CSRF check,
then kb.csrf's Fetch Metadata rule), carrying ``X-Requested-With: XMLHttpRequest``. That header
is what the scripts send; a plain cross-site form cannot set it (OWASP's "custom request
headers" defence), and it makes kb.errors.wants_json answer the refusals as JSON.
"""

import math
import warnings
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from PIL import Image, UnidentifiedImageError

from .csrf import is_cross_origin
from .errors import error_response
from .markdown import render_markdown
from .numbers import parse_int

# Pillow's format name -> (content type, file extension). No SVG: it can carry scripts.
IMAGE_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
NOT_AN_IMAGE = _("只能上传 PNG、JPEG、WebP 或 GIF 图片。")
# A multipart body carries the file plus its boundaries, headers and the CSRF token.
MULTIPART_OVERHEAD = 64 * 1024


class EditorImageForm(ImageForm):
    def clean(self):
        if self.has_error("image"):  # no file, or an empty one: the field says which
            return None
        upload = self.cleaned_data.get("image")
        if not upload:
            raise MarkdownxImageUploadError(_("请选择要上传的图片。"))
        if upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            raise MarkdownxImageUploadError(_too_big())
        image_format = _checked_format(upload)
        upload.seek(0)
        # markdownx stores the file by these two: make them say what the bytes are.
        upload.content_type, extension = IMAGE_FORMATS[image_format]
        upload.name = f"image.{extension}"
        return upload


def _checked_format(upload):
    """The Pillow format of an upload that is a whole image of an allowed format and size;
    anything else raises the editor's error."""
    budget = settings.KB_UPLOAD_MAX_PIXELS
    # Django's ImageField catches every exception too: Pillow raises many kinds on odd bytes.
    try:
        with warnings.catch_warnings():
            # The budget below decides; Pillow's warning (past MAX_IMAGE_PIXELS) says nothing more.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                image_format, (width, height) = image.format, image.size
                if image_format not in IMAGE_FORMATS:
                    raise MarkdownxImageUploadError(NOT_AN_IMAGE)
                if width * height > budget:
                    raise _too_large(budget, f"{width}×{height}")
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # a truncated or corrupt file fails here, not when markdownx resizes
    except MarkdownxImageUploadError:
        raise
    except Image.DecompressionBombError:
        raise _too_large(budget) from None  # past twice Pillow's own limit: Image.open refuses
    except UnidentifiedImageError:
        raise MarkdownxImageUploadError(NOT_AN_IMAGE) from None
    except Exception:
        raise MarkdownxImageUploadError(_("图片文件已损坏或不完整，请重新导出后再上传。")) from None
    return image_format


def _too_large(budget, dimensions=""):
    side = math.isqrt(budget)
    return MarkdownxImageUploadError(
        _(
            "图片尺寸%(dimensions)s太大：最多 %(wan)s 万像素（如 %(side)s×%(side)s），请缩小后再上传。"
        )
        % {
            "dimensions": f" {dimensions} " if dimensions else "",
            "wan": round(budget / 10_000),
            "side": side,
        }
    )


def _too_big():
    return _("图片不能超过 %(mb)s MB。") % {
        "mb": settings.MARKDOWNX_UPLOAD_MAX_SIZE // (1024 * 1024)
    }


def _may_edit(user):
    return user.is_active and user.is_staff and user.has_perm("kb.change_article")


def refuse(request, status, reason):
    """``{"detail": reason}`` for the scripts, else the branded page saying the reason."""
    template = "400.html" if status == 405 else None  # 405: a bad request like any other
    response = error_response(request, status, reason, template, reason=reason)
    if status == 405:
        response["Allow"] = "POST"
    return response


def editor_endpoint(view):
    """The checks both endpoints make, in the order a caller would fix them."""

    @never_cache
    @wraps(view)
    def checked(request):
        if not request.user.is_authenticated:
            return refuse(request, 403, "请先登录工作人员账号。")
        if not _may_edit(request.user):
            return refuse(request, 403, "这个账号没有编辑文章的权限。")
        if request.method != "POST":
            return refuse(request, 405, "这个地址只接受 POST 请求。")
        if is_cross_origin(request):
            return refuse(request, 403, "只能从本站的编辑页面发出这个请求。")
        if request.headers.get("X-Requested-With") != "XMLHttpRequest":
            return refuse(
                request, 400, "这个地址只接受编辑器脚本发出的请求（缺少 X-Requested-With 头）。"
            )
        return view(request)

    return checked


@editor_endpoint
def upload_image(request):
    """Store one image and answer ``{"image_code": "![](url)"}``, or the form's errors
    (``{"field": ["..."]}``), which the editor script shows above the text box."""
    # Refused before Django reads the body (it would spool a huge one to disk first).
    declared = request.META.get("CONTENT_LENGTH") or "0"
    length = parse_int(declared)
    # No number we can read (25 digits, junk) is no promise of a small body either.
    if length is None or length > settings.MARKDOWNX_UPLOAD_MAX_SIZE + MULTIPART_OVERHEAD:
        return JsonResponse({"image": [_too_big()]}, status=413)
    form = EditorImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![]({form.save(commit=True)})"})


@editor_endpoint
def preview(request):
    """The live preview: the same renderer as the public pages, so it shows what readers see."""
    return HttpResponse(render_markdown(request.POST.get("content", "")))


# The names markdownx's widget reverses.
urlpatterns = [
    path("upload/", upload_image, name="markdownx_upload"),
    path("markdownify/", preview, name="markdownx_markdownify"),
]
