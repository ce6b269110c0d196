"""What every app server shares to serve the pages, besides the content itself: the versions of
the page cache's scopes (ContentVersion) and, on the scale path, the editor's images
(StoredUpload)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """The version of one scope of the public pages (an article, a category, the catalogue):
    the page cache's source of truth (kb.cache.versions, kb.content_versions). Written in the
    same transaction as the change it stands for, so that no lost message to a cache can hide
    an edit; each server reads what changed since it last looked."""

    scope = models.CharField(_("范围"), max_length=100, primary_key=True)
    # Microseconds since the epoch when the scope last changed (kb.cache.versions).
    version = models.BigIntegerField(_("版本"), db_index=True)

    class Meta:
        verbose_name = _("内容版本")
        verbose_name_plural = _("内容版本")

    def __str__(self):
        return f"{self.scope} @ {self.version}"


class StoredUpload(models.Model):
    """An image the editor uploaded, kept in the database (kb.uploads.DatabaseStorage): on the
    scale path every server reads the same table, so a picture uploaded through one is served
    by all."""

    name = models.CharField(_("文件名"), max_length=255, primary_key=True)
    content = models.BinaryField(_("内容"))
    size = models.PositiveIntegerField(_("字节数"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("上传的图片")
        verbose_name_plural = _("上传的图片")

    def __str__(self):
        return self.name
