"""Every change to what readers see invalidates the public page cache (kb.cache).

Saves and deletes of the help centre's models, from admin, the importer or the shell, replace
the content version. It is replaced at once, so the editor's next page view shows the change,
and again when the transaction commits, so a page rendered from the old rows while the
transaction was open is not kept under the new version. Queryset ``update()`` and
``bulk_create()`` send no signals: call ``kb.cache.bump_content_version()`` after them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .cache import bump_content_version
from .models import Article, Category, Cause, Remedy, Synonym

CACHED_MODELS = (Article, Cause, Remedy, Category, Synonym)


def content_changed(sender, **kwargs):
    bump_content_version()
    transaction.on_commit(bump_content_version, robust=True)


def connect():
    for model in CACHED_MODELS:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"kb-cache-{model.__name__}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"kb-cache-del-{model.__name__}"
        )
