"""Every content change reaches the search index at once, and an analyzer change rebuilds it at
the next migrate. ``connect()`` wires it all, once, from KbConfig.ready (as kb.signals wires the
page cache)."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save

from kb.models import Article, Category, Cause, Remedy

from .curation import BestBet
from .indexer import bump_generation, ensure_current_index, index_article
from .models import Synonym


def _deleted_with(origin, *models):
    """Whether a delete cascades from one of ``models``: then that parent's own handler
    reindexes, after its row is gone (reindexing earlier would recreate rows being deleted)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in models


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article(instance.pk)


def article_deleted(sender, instance, **kwargs):
    bump_generation()  # its documents went with it (on_delete=CASCADE)


def part_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article(instance.article_id)


def cause_deleted(sender, instance, origin=None, **kwargs):
    if not _deleted_with(origin, Article):
        index_article(instance.article_id)


def remedy_deleted(sender, instance, origin=None, **kwargs):
    if not _deleted_with(origin, Article, Cause):
        index_article(instance.article_id)


def category_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = Article.objects.filter(category__in=[instance, *instance.children.all()])
    for article_id in ids.values_list("pk", flat=True):
        index_article(article_id)
    bump_generation()  # product names and the pinyin vocabulary, even with no articles yet


def category_deleted(sender, instance, **kwargs):
    bump_generation()


def curation_changed(sender, raw=False, **kwargs):
    """Synonyms and best bets: what queries mean and what answers them; cached results of the
    old generation are not served again (kb.search.results)."""
    if not raw:
        bump_generation()


HANDLERS = [
    (post_save, Article, article_saved),
    (post_delete, Article, article_deleted),
    (post_save, Cause, part_saved),
    (post_save, Remedy, part_saved),
    (post_delete, Cause, cause_deleted),
    (post_delete, Remedy, remedy_deleted),
    (post_save, Category, category_saved),
    (post_delete, Category, category_deleted),
    (post_save, Synonym, curation_changed),
    (post_delete, Synonym, curation_changed),
    (post_save, BestBet, curation_changed),
    (post_delete, BestBet, curation_changed),
]


def connect(app_config):
    """Connect the handlers above, and the rebuild of an index from another ANALYZER_VERSION to
    ``app_config``'s migrations. Safe to call twice: each connection has its own uid."""
    for signal, sender, handler in HANDLERS:
        uid = f"kb-search-{handler.__name__}-{sender.__name__}"
        signal.connect(handler, sender=sender, dispatch_uid=uid)
    post_migrate.connect(ensure_current_index, sender=app_config, dispatch_uid="kb-search-migrate")
