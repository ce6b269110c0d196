"""An article's history (django-reversion): who changed what and when, as a readable diff.

One version of an article holds the article together with its causes and remedies (see the
``reversion.register`` calls in kb.models), so a change to a cause inline on the article page and
a restore of an older version both cover the whole page a reader sees.
"""

import difflib
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from .models import Article, Category, Cause, Remedy

# The fields a reader or an editor cares about, in the order the diff lists them. Provenance
# and fingerprints change with every import and would only bury the real edits.
DIFF_FIELDS = {
    Article: ["title", "slug", "category_id", "summary", "status", "published_at", "reviewed_at"],
    Cause: ["position", "title", "explanation"],
    Remedy: ["position", "text"],
}


def display_name(user):
    """How staff are named on admin pages: their full name, else the username."""
    if user is None:
        return _("（系统）")
    return user.get_full_name() or user.get_username()


def record_version(article, user=None, comment=""):
    """Save the article as it is now, with its causes and remedies, as a new version."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)


def record_baseline(article, user=None):
    """Save the article as it is now as its first version, unless it has one already.

    Imported articles have no version yet; recording one just before the first edit in admin
    means that edit can be seen in the diff and undone.
    """
    if not Version.objects.get_for_object(article).exists():
        # As stored, not as the caller may already have changed it in memory.
        stored = Article.objects.get(pk=article.pk)
        record_version(stored, user, _("修改前的内容（导入或早先创建时）"))


def save_with_version(article, user, comment, **save_kwargs):
    """Save the article as a version of its own, recording the state before it first if the
    article has no version yet. For changes made outside the change form (list actions)."""
    record_baseline(article, user)
    with reversion.create_revision():
        article.save(**save_kwargs)  # reversion's post_save adds it, causes and remedies too
        reversion.set_user(user)
        reversion.set_comment(comment)


@dataclass
class FieldChange:
    part: str  # which part of the page: 文章, 原因 2, 原因 2 的办法 1, 通用建议 1
    field: str  # the field's verbose name
    before: str  # HTML, escaped, with <del> around what went
    after: str  # HTML, escaped, with <ins> around what came


def article_versions(article):
    """The article's versions, newest first, with who saved them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-pk")
    )


def previous_version(version):
    return (
        Version.objects.get_for_object_reference(Article, version.object_id)
        .filter(pk__lt=version.pk)
        .order_by("-pk")
        .first()
    )


def changes_in(version):
    """What ``version`` changed compared with the article's version before it."""
    before = previous_version(version)
    return changes_between(version_snapshot(before) if before else {}, version_snapshot(version))


def changes_between(old, new):
    """What changed from one snapshot of an article to another (``version_snapshot``,
    ``records_snapshot``), part by part and field by field."""
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: _sort_key(k, new, old)):
        model = key[0]
        old_values, new_values = old.get(key, {}), new.get(key, {})
        part = _part_label(model, new_values or old_values, new or old)
        for name in DIFF_FIELDS[model]:
            was = _display(model, name, old_values[name]) if key in old else ""
            now = _display(model, name, new_values[name]) if key in new else ""
            if key in old and key in new and was == now:
                continue
            if not was and not now:
                continue
            changes.append(FieldChange(part, _field_label(model, name), *inline_diff(was, now)))
    return changes


def inline_diff(old, new):
    """(old, new) as HTML with the removed text in <del> and the added text in <ins>.

    Character by character, since Chinese has no spaces to split words on.
    """
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removed, added = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        gone, came = escape(old[i1:i2]), escape(new[j1:j2])
        if op == "equal":
            removed.append(gone)
            added.append(came)
            continue
        if gone:
            removed.append(f"<del>{gone}</del>")
        if came:
            added.append(f"<ins>{came}</ins>")
    return mark_safe("".join(removed)), mark_safe("".join(added))


def version_records(version):
    """The article and its causes and remedies as a version holds them (unsaved objects)."""
    article_id = int(version.object_id)
    records = []
    for model in DIFF_FIELDS:
        content_type = ContentType.objects.get_for_model(model)
        for member in version.revision.version_set.filter(content_type=content_type):
            record = member._object_version.object
            owner = record.pk if model is Article else record.article_id
            if owner == article_id:  # a list action's revision can hold several articles
                records.append(record)
    return records


def records_snapshot(records):
    """{(model, pk): field values} of saved or deserialized records, as ``version_snapshot``."""
    return {
        (type(record), record.pk): {
            f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields
        }
        for record in records
        if type(record) in DIFF_FIELDS
    }


def live_snapshot(article):
    """The article as it is stored now, with its causes and remedies."""
    return records_snapshot(
        [
            Article.objects.get(pk=article.pk),
            *Cause.objects.filter(article=article),
            *Remedy.objects.filter(article=article),
        ]
    )


def version_snapshot(version):
    """{(model, pk): field values} of the article and its causes and remedies in a version."""
    return records_snapshot(version_records(version))


def _cause_positions(snapshot):
    return {pk: values["position"] for (model, pk), values in snapshot.items() if model is Cause}


def _part_label(model, values, snapshot):
    if model is Article:
        return _("文章")
    if model is Cause:
        return _("原因 %(n)s") % {"n": values["position"]}
    if values.get("cause_id"):
        cause = _cause_positions(snapshot).get(values["cause_id"], "?")
        return _("原因 %(c)s 的办法 %(n)s") % {"c": cause, "n": values["position"]}
    return _("通用建议 %(n)s") % {"n": values["position"]}


def _sort_key(key, new, old):
    """Article first, then causes in order, each followed by its remedies, then the advice."""
    model, pk = key
    values = new.get(key) or old.get(key)
    if model is Article:
        return (0, 0, 0, pk)
    if model is Cause:
        return (1, values["position"], 0, pk)
    cause = values.get("cause_id")
    if cause:
        position = _cause_positions(new).get(cause) or _cause_positions(old).get(cause) or 0
        return (1, position, 1 + values["position"], pk)
    return (2, values["position"], 0, pk)


def _field_label(model, name):
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _display(model, name, value):
    if value is None or value == "":
        return ""
    if name == "category_id":
        category = Category.objects.filter(pk=value).first()
        return str(category) if category else str(value)
    if name == "status":
        return str(Article.Status(value).label)
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    return str(value)


def changes_since(article, moment):
    """The versions saved after ``moment`` as one diff: (the newest of them, its changes), or
    (None, []) when nothing was saved since. For a form opened at ``moment`` and now stale."""
    versions = article_versions(article)
    latest = versions.first()
    if latest is None or latest.revision.date_created <= moment:
        return None, []
    # The state the form showed: the last version saved before it was opened, or (for an
    # article whose first version is the baseline recorded by that later save) the first one.
    then = versions.filter(revision__date_created__lte=moment).first() or versions.last()
    if then.pk == latest.pk:
        return latest, []
    return latest, changes_between(version_snapshot(then), version_snapshot(latest))
