"""What every app server shares to serve the pages, besides the content itself: the versions of
the page cache's scopes (ContentVersion)."""

from django.db import models
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
