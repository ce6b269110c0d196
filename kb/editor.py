"""The Markdown editor's endpoints (django-markdownx), for staff who may edit articles only.

markdownx's own views answer anyone, and its upload trusts the type and file name the browser
declares: a file named ``x.svg`` sent as ``image/gif`` would be stored as SVG and served from
our domain. Here the bytes decide: Pillow must recognise a PNG, JPEG, WebP or GIF image, and the
stored name takes its extension from that format.

The size is checked before anything is decoded: a PNG of a few hundred KB can declare
13000x13000 pixels, which Pillow would unpack into hundreds of MB. Image.open reads only the
header, so the dimensions are refused there (``KB_UPLOAD_MAX_PIXELS``); what passes is decoded
once, to refuse truncated or corrupt files before markdownx resizes them.
"""

import math
import warnings

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView, MarkdownifyView
from PIL import Image, UnidentifiedImageError

from .markdown import render_markdown

# Pillow's format name -> (content type, file extension). No SVG: it can carry scripts.
IMAGE_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
NOT_AN_IMAGE = _("只能上传 PNG、JPEG、WebP 或 GIF 图片。")


class EditorImageForm(ImageForm):
    def clean(self):
        if self.has_error("image"):  # no file, or an empty one: the field says which
            return None
        upload = self.cleaned_data.get("image")
        if not upload:
            raise MarkdownxImageUploadError(_("请选择要上传的图片。"))
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise MarkdownxImageUploadError(
                _("图片不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}
            )
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


class EditorPreviewView(MarkdownifyView):
    """The live preview: the same renderer as the public pages, so it shows what readers see."""

    def post(self, request, *args, **kwargs):
        return HttpResponse(render_markdown(request.POST.get("content", "")))


# Staff who may change articles: the editor's preview and uploads serve nobody else.
_editors_only = permission_required("kb.change_article", raise_exception=True)

urlpatterns = [
    path(
        "upload/",
        _editors_only(ImageUploadView.as_view(form_class=EditorImageForm)),
        name="markdownx_upload",
    ),
    path("markdownify/", _editors_only(EditorPreviewView.as_view()), name="markdownx_markdownify"),
]
