"""Every content change reaches the search index at once (connected in KbConfig.ready)."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kb.models import Article, Category, Cause, Remedy, Synonym

from .indexer import bump_generation, index_article


def _deleted_with(origin, *models):
    """Whether a delete cascades from one of ``models``: then that parent's own handler
    reindexes, after its row is gone (reindexing earlier would recreate rows being deleted)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in models


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article(instance.pk)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    bump_generation()  # its documents went with it (on_delete=CASCADE)


@receiver(post_save, sender=Cause)
@receiver(post_save, sender=Remedy)
def part_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article(instance.article_id)


@receiver(post_delete, sender=Cause)
def cause_deleted(sender, instance, origin=None, **kwargs):
    if not _deleted_with(origin, Article):
        index_article(instance.article_id)


@receiver(post_delete, sender=Remedy)
def remedy_deleted(sender, instance, origin=None, **kwargs):
    if not _deleted_with(origin, Article, Cause):
        index_article(instance.article_id)


@receiver(post_save, sender=Category)
def category_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = Article.objects.filter(category__in=[instance, *instance.children.all()])
    for article_id in ids.values_list("pk", flat=True):
        index_article(article_id)
    bump_generation()  # product names and the pinyin vocabulary, even with no articles yet


@receiver(post_delete, sender=Category)
def category_deleted(sender, instance, **kwargs):
    bump_generation()


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonyms_changed(sender, raw=False, **kwargs):
    if not raw:
        bump_generation()
