"""Drafts of published articles: an editor's changes wait for a publisher while readers keep
the live article (as Wagtail's and Zendesk's team publishing do).

A draft is the whole article as the editor saved it, its causes and remedies included,
serialized the way django-reversion serializes a version (``ArticleDraft.serialized``). It is
made by the ordinary admin save inside a transaction that is then rolled back
(``ArticleAdmin.change_view``): every rule of the form and its formsets applies, nothing of it
reaches readers. The same trick shows a draft (the edit form, the preview): ``applied(draft)``
writes it over the live rows inside a transaction and rolls back when the page is rendered, as
reversion's own revision view does. Publishing applies it for good.

Restoring an older version (``restore``) writes it the same way; an editor restoring one of a
live article (``propose_restore``) gets it as the article's draft instead, submitted for review,
the same draft an edit of theirs makes. One draft per article:
saving again replaces it. States: 草稿 (saved), 待审核 (submitted),
已退回 (returned with a comment); publishing or discarding deletes it, and the history
(kb.history) records who proposed and who published.
"""

from contextlib import contextmanager

import reversion
from django.core import serializers
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import history
from .admin.inlines import PARKING_POSITION
from .models import Article, ArticleDraft, Cause, Remedy

# The publisher's fields: a draft never changes them (the publisher may have since).
PUBLISHER_FIELDS = {"status", "published_at"}


def serialize(article):
    """The stored article with its causes and remedies, as a draft keeps it."""
    records = [
        Article.objects.get(pk=article.pk),
        *Cause.objects.filter(article=article),
        *Remedy.objects.filter(article=article),
    ]
    return serializers.serialize("json", records)


def records(draft):
    return [item.object for item in serializers.deserialize("json", draft.serialized)]


def save(article, serialized, user, based_on, rebase=False):
    """Keep ``serialized`` as the article's draft (replacing an earlier one), back to 草稿.

    A draft stays based on the live article it was begun from (``based_on``, set when it is
    made) while its author goes on editing it; ``rebase``: it replaces the draft's content
    whole, made from the live article as it is now (a restore), so it is based on that."""
    defaults = {
        "serialized": serialized,
        "author": user,
        "status": ArticleDraft.Status.DRAFT,
        "submitted_at": None,
    }
    if rebase:
        defaults["based_on"] = based_on
    draft, _created = ArticleDraft.objects.update_or_create(
        article=article,
        defaults=defaults,
        create_defaults={"serialized": serialized, "author": user, "based_on": based_on},
    )
    return draft


def changes(draft):
    """The draft against the live article, as the history's diff."""
    return history.changes_between(
        history.live_snapshot(draft.article), history.records_snapshot(records(draft))
    )


def live_changed_since(draft):
    """Someone changed the live article after the draft was begun: publishing replaces that."""
    return Article.objects.filter(pk=draft.article_id, updated_at__gt=draft.based_on).exists()


def apply(draft):
    """Write the draft over its article's rows (in the caller's transaction)."""
    return apply_records(draft.article_id, records(draft))


def restore(article, version, user):
    """Make an older version what readers see (its wording; not its status or schedule), as a
    new version of its own."""
    when = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    with transaction.atomic():
        history.record_baseline(article, user)
        with reversion.create_revision():
            article = apply_records(article.pk, history.version_records(version))
            reversion.add_to_revision(article)
            reversion.set_user(user)
            reversion.set_comment(_("恢复到 %(when)s 的版本") % {"when": when})
    return article


def propose_restore(article, version, user):
    """An older version as the article's draft (replacing an earlier one), submitted for review:
    readers keep the live article until a publisher publishes it (``publish``)."""
    with transaction.atomic():
        apply_records(article.pk, history.version_records(version))
        serialized = serialize(article)
        transaction.set_rollback(True)
    draft = save(article, serialized, user, based_on=article.updated_at, rebase=True)
    submit(draft)
    return draft


def apply_records(article_id, drafted):
    """Write an article's records (a draft's, a version's) over its rows: rows not among them
    go, rows among them are saved the ordinary way (so the search index follows), new ones
    are added. In the caller's transaction."""
    article = Article.objects.get(pk=article_id)
    live_causes = set(Cause.objects.filter(article=article).values_list("pk", flat=True))
    live_remedies = set(Remedy.objects.filter(article=article).values_list("pk", flat=True))
    kept_causes = [r.pk for r in drafted if isinstance(r, Cause) and r.pk in live_causes]
    kept_remedies = [r.pk for r in drafted if isinstance(r, Remedy) and r.pk in live_remedies]
    Remedy.objects.filter(article=article).exclude(pk__in=kept_remedies).delete()
    Cause.objects.filter(article=article).exclude(pk__in=kept_causes).delete()
    # Positions are unique per article and cause: set the kept rows aside first (as the
    # formsets do), so a draft that swaps two rows applies.
    for offset, pk in enumerate(kept_causes):
        Cause.objects.filter(pk=pk).update(position=PARKING_POSITION + offset)
    for offset, pk in enumerate(kept_remedies):
        Remedy.objects.filter(pk=pk).update(position=PARKING_POSITION + offset)

    new_cause_ids = {}
    for record in drafted:
        if isinstance(record, Article):
            for field in Article._meta.concrete_fields:
                if field.editable and not field.primary_key and field.name not in PUBLISHER_FIELDS:
                    setattr(article, field.attname, getattr(record, field.attname))
            article.save()
    for record in drafted:
        if isinstance(record, Cause):
            record.article = article
            if record.pk not in live_causes:
                # Added in the draft: its id was only ever used in the rolled-back save.
                old_pk, record.pk = record.pk, None
                record.save()
                new_cause_ids[old_pk] = record.pk
            else:
                record.save()
    for record in drafted:
        if isinstance(record, Remedy):
            record.article = article
            record.cause_id = new_cause_ids.get(record.cause_id, record.cause_id)
            if record.pk not in live_remedies:
                record.pk = None
            record.save()
    return article


@contextmanager
def applied(draft):
    """The database as if the draft were published, inside a transaction rolled back on exit:
    render what must show the draft (responses rendered eagerly) inside the block."""
    with transaction.atomic():
        if draft is not None:
            apply(draft)
        yield
        transaction.set_rollback(True)


def submit(draft):
    draft.status = ArticleDraft.Status.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["status", "submitted_at", "updated_at"])


def send_back(draft, reviewer, comment):
    draft.status = ArticleDraft.Status.RETURNED
    draft.reviewer = reviewer
    draft.review_comment = comment
    draft.save(update_fields=["status", "reviewer", "review_comment", "updated_at"])


def publish(draft, publisher):
    """Make the draft what readers see, as one version saying who proposed and who published."""
    proposer = history.display_name(draft.author)
    with transaction.atomic():
        article = Article.objects.get(pk=draft.article_id)
        history.record_baseline(article, publisher)
        with reversion.create_revision():
            article = apply(draft)
            reversion.add_to_revision(article)
            reversion.set_user(publisher)
            reversion.set_comment(_("发布 %(author)s 提交的修改") % {"author": proposer})
        draft.delete()
    return article
