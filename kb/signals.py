"""What a change to the help centre's content makes the page cache make again (kb.cache).

The pages depend on scopes (kb.cache.versions), named here:

- ``article:<pk>``: an article with its causes and remedies. A page that reads the article, or
  one of its causes or remedies, while it is made depends on it (``post_init`` says so): the
  article's own page in both scripts, the lists that show it (its categories, home while it
  is among those shown there, other articles' related lists).
- ``category:<pk>``: a category's own fields and which articles it holds. Pages that read the
  category depend on it (its page, its product's, home, its articles' breadcrumbs); it is
  bumped when the category changes and when an article joins or leaves it (created, deleted,
  moved, published or unpublished, rescheduled), and a category's changes bump its parent's.
- ``catalog``: which categories there are. Home declares it (it lists them all); a category
  created, deleted or moved bumps it.

So an edit of an article's text makes again only the pages that show that article: every other
page stays a hit on every server. Saves and deletes from the admin, the importer or the shell
bump the scopes they touch, in the transaction of the change and again once it commits
(kb.cache.versions.bump_when_committed). Queryset ``update()`` and ``bulk_create()`` send no
signals: call ``kb.cache.bump_content_version()`` after them (it makes every page again).
Synonyms only change the search, which the page cache never serves.
"""

from django.db.models.signals import post_delete, post_init, post_save

from .cache.versions import bump_when_committed, depends_on
from .models import Article, Category, Cause, Remedy

CATALOG = "catalog"


def article_scope(pk):
    return f"article:{pk}"


def category_scope(pk):
    return f"category:{pk}"


def _loaded(instance, *fields):
    # From __dict__: a deferred field (.only(), .defer()) must not cost a query per record.
    return tuple(instance.__dict__.get(field) for field in fields)


# What decides which lists show an article, and where a category sits, as they were read.
_ARTICLE_LISTING = ("category_id", "status", "published_at")
_CATEGORY_PLACE = ("parent_id",)


def _article_read(sender, instance, **kwargs):
    instance._kb_listing = _loaded(instance, *_ARTICLE_LISTING)
    if instance.pk is not None:
        depends_on(article_scope(instance.pk))


def _part_read(sender, instance, **kwargs):
    (article_id,) = _loaded(instance, "article_id")
    if article_id is not None:
        depends_on(article_scope(article_id))


def _category_read(sender, instance, **kwargs):
    instance._kb_place = _loaded(instance, *_CATEGORY_PLACE)
    if instance.pk is not None:
        depends_on(category_scope(instance.pk))


def _article_changed(sender, instance, created=False, **kwargs):
    scopes = {article_scope(instance.pk)}
    before = getattr(instance, "_kb_listing", None)
    now = _loaded(instance, *_ARTICLE_LISTING)
    if created or kwargs.get("signal") is post_delete or before != now:
        scopes |= {category_scope(pk) for pk in (now[0], before and before[0]) if pk}
    instance._kb_listing = now
    bump_when_committed(*scopes)


def _part_changed(sender, instance, **kwargs):
    bump_when_committed(article_scope(instance.article_id))


def _category_changed(sender, instance, created=False, **kwargs):
    (parent_id,) = _loaded(instance, *_CATEGORY_PLACE)
    before = getattr(instance, "_kb_place", (None,))
    scopes = {category_scope(instance.pk)}
    scopes |= {category_scope(pk) for pk in (parent_id, before[0]) if pk}
    if created or kwargs.get("signal") is post_delete or before != (parent_id,):
        scopes.add(CATALOG)
    instance._kb_place = (parent_id,)
    bump_when_committed(*scopes)


_RECEIVERS = (
    (Article, _article_read, _article_changed),
    (Cause, _part_read, _part_changed),
    (Remedy, _part_read, _part_changed),
    (Category, _category_read, _category_changed),
)


def connect():
    for model, read, changed in _RECEIVERS:
        name = model.__name__
        post_init.connect(read, sender=model, dispatch_uid=f"kb-cache-read-{name}")
        post_save.connect(changed, sender=model, dispatch_uid=f"kb-cache-{name}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"kb-cache-del-{name}")
