"""The Markdown editor's endpoints (django-markdownx), for staff who may edit articles only.

markdownx's own views answer anyone, and its upload trusts the type and file name the browser
declares: a file named ``x.svg`` sent as ``image/gif`` would be stored as SVG and served from
our domain. Here the bytes decide: Pillow must recognise a PNG, JPEG, WebP or GIF image, and the
stored name takes its extension from that format.
"""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
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


class EditorImageForm(ImageForm):
    def clean(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            raise MarkdownxImageUploadError(_("请选择要上传的图片。"))
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise MarkdownxImageUploadError(
                _("图片不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}
            )
        try:
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            image_format = None
        if image_format not in IMAGE_FORMATS:
            raise MarkdownxImageUploadError(_("只能上传 PNG、JPEG、WebP 或 GIF 图片。"))
        upload.seek(0)
        # markdownx stores the file by these two: make them say what the bytes are.
        upload.content_type, extension = IMAGE_FORMATS[image_format]
        upload.name = f"image.{extension}"
        return upload


class EditorPreviewView(MarkdownifyView):
    """The live preview: the same renderer as the public pages, so it shows what readers see."""

    def post(self, request, *args, **kwargs):
        return HttpResponse(render_markdown(request.POST.get("content", "")))


def serve_upload(request, path):
    """Uploaded images, served by Django so that `make run` shows them with no other server.
    Only checked raster images are ever stored under MEDIA_ROOT (EditorImageForm)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


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
