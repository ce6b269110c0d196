"""Write parsed source texts to the database: idempotent, atomic, and never over staff edits.

Each imported record keeps the fingerprint of what the importer wrote (``import_digest``). On a
re-run a record is *unchanged* when the source still says the same, *updated* when the source
changed and nobody edited the record, and a *conflict* (left as it is) when staff edited it since.

At the speed of the search index: what exists is read in a few queries up front, new articles
are written with ``bulk_create`` and their causes and remedies with one plain INSERT per model
(``_insert_rows``), and the index follows once, in batches, at the end (``deferred_indexing``).
Only records that exist already are compared and saved one by one, since only they can conflict.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from kb.cache import bump_content_version
from kb.models import Article, Category, Cause, Remedy
from kb.search.indexer import deferred_indexing, index_article

from .catalog import CATALOG_FILE, classify, load_catalog
from .errors import ContentError, ContentErrors
from .parser import ParsedArticle, parse_source
from .validation import validate_article


class Source(NamedTuple):
    """One source text as read: its name (as errors and provenance show it) and its bytes."""

    name: str
    data: bytes


@dataclass
class ArticleChange:
    """What an import does to one parsed article: ``state`` is new, changed, unchanged or
    conflict (staff edited something the source changed; that part is left as it is)."""

    parsed: ParsedArticle
    state: str
    conflicts: list[str] = field(default_factory=list)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    conflicts: int = 0

    @property
    def changed(self):
        return self.created + self.updated + self.deleted


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    articles: Counts = field(default_factory=Counts)
    causes: Counts = field(default_factory=Counts)
    remedies: Counts = field(default_factory=Counts)
    conflicts: list[str] = field(default_factory=list)
    dry_run: bool = False
    encodings: dict[str, str] = field(default_factory=dict)  # file -> encoding it was read in
    articles_changed: list[ArticleChange] = field(default_factory=list)

    @property
    def changes(self):
        return self.articles.changed + self.causes.changed + self.remedies.changed

    @property
    def counted(self):
        """(Chinese name, Counts) of articles, causes and remedies, for the admin's pages."""
        return [("文章", self.articles), ("原因", self.causes), ("解决办法", self.remedies)]

    def summary_lines(self):
        lines = []
        for name in ("articles", "causes", "remedies"):
            c = getattr(self, name)
            lines.append(
                f"{name:9} created {c.created}, updated {c.updated}, unchanged {c.unchanged}, "
                f"deleted {c.deleted}, conflicts {c.conflicts}"
            )
        lines += [f"conflict: {text}" for text in self.conflicts]
        verb = "would make" if self.dry_run else "made"
        lines.append(f"{verb} {self.changes} changes from {len(self.files)} file(s)")
        return lines


def collect_files(paths):
    """(source files, catalog file) for the given files and folders; folders give their *.txt."""
    files, catalog = [], None
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.txt") if p.is_file())
            if (path / CATALOG_FILE).is_file():
                catalog = catalog or path / CATALOG_FILE
        elif path.is_file():
            files.append(path)
        else:
            raise ContentError(path, 0, "no such file or folder")
    if not files:
        raise ContentError(", ".join(map(str, paths)), 0, "no source text (*.txt) found")
    default_catalog = Path(settings.KB_CONTENT_DIR) / CATALOG_FILE
    return files, catalog or default_catalog


def _display(path):
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def read_sources(files):
    """The Source of each file, named relative to the project when it is inside it."""
    sources = []
    for path in files:
        try:
            sources.append(Source(_display(path), path.read_bytes()))
        except OSError as error:
            raise ContentError(_display(path), 0, f"cannot read: {error.strerror}") from None
    return sources


def import_paths(paths=None, dry_run=False, progress=None):
    """Import the source texts at ``paths`` (default: ``settings.KB_CONTENT_DIR``).

    Everything is parsed before anything is written, and the writes run in one transaction, so a
    malformed file raises ContentError with the database unchanged. ``progress(stage, done,
    total)``, when given, is called as files are read (``"read"``), articles written
    (``"write"``) and indexed (``"index"``).
    """
    files, catalog_path = collect_files(paths or [settings.KB_CONTENT_DIR])
    sources = read_sources(files)
    if progress:
        progress("read", len(files), len(files))
    return import_sources(sources, catalog_path, dry_run=dry_run, progress=progress)


def import_sources(sources, catalog_path=None, dry_run=False, publish=True, progress=None):
    """Import ``sources`` (Source: name and bytes, from files or an upload in the admin); new
    articles are published unless ``publish`` is false (then drafts). See iter_import;
    ``progress`` as for import_paths."""
    steps = iter_import(sources, catalog_path, dry_run=dry_run, publish=publish, progress=progress)
    while True:
        try:
            done, total = next(steps)
        except StopIteration as finished:
            return finished.value
        if progress:
            progress("write", done, total)


def parse_sources(sources):
    """(parsed articles, {name: encoding}) of ``sources``, every field validated; raises
    ContentErrors with the first error of every file that cannot be imported."""
    parsed, encodings, errors, seen = [], {}, [], {}
    for source in sources:
        try:
            articles, encodings[source.name] = parse_source(source.data, source.name)
            for article in articles:
                validate_article(article)
                if article.source_key in seen:
                    raise ContentError(
                        article.source_file,
                        article.source_line,
                        f"the same article as {seen[article.source_key]} ({article.title})",
                    )
                seen[article.source_key] = f"{article.source_file}:{article.source_line}"
        except ContentError as error:
            errors.append(error)
            continue
        parsed += articles
    if errors:
        raise ContentErrors(errors)
    return parsed, encodings


def iter_import(sources, catalog_path=None, dry_run=False, publish=True, progress=None):
    """The import, one article at a time: yields (articles done, articles in all) after each,
    and returns the ImportReport. The admin streams these as its progress; everything runs in
    one transaction, which a generator closed early (a reader gone) rolls back."""
    products = load_catalog(catalog_path or Path(settings.KB_CONTENT_DIR) / CATALOG_FILE)
    parsed, encodings = parse_sources(sources)
    report = ImportReport(files=[s.name for s in sources], dry_run=dry_run, encodings=encodings)
    status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
    index_progress = (lambda done, total: progress("index", done, total)) if progress else None
    with transaction.atomic():
        with deferred_indexing(progress=index_progress):  # the index follows, once, at the end
            categories = _sync_categories(products)
            existing = _existing_articles(parsed)
            new = _NewArticles(report, status)
            for done, article in enumerate(parsed, start=1):
                _, topic = classify(products, article.title + article.question)
                category = categories[topic.slug]
                if article.source_key in existing:
                    _sync_article(article, existing[article.source_key], category, report)
                else:
                    new.add(article, category)
                    report.articles_changed.append(ArticleChange(article, "new"))
                yield done, len(parsed)
            new.write()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _existing_articles(parsed):
    """The articles the importer wrote before, by source key, with their causes and remedies:
    three queries for any number of articles."""
    keys = [article.source_key for article in parsed]
    remedies = Prefetch("remedies", queryset=Remedy.objects.order_by("position"))
    found = Article.objects.filter(source_key__in=keys).prefetch_related("causes", remedies)
    return {article.source_key: article for article in found}


class _NewArticles:
    """Articles the database does not hold yet, written with their causes and remedies in one
    insert per model. Nothing of them can conflict: staff never saw them."""

    def __init__(self, report, status):
        self.report = report
        self.status = status
        self.pending = []  # (Article, parsed)
        self.slugs_in_use = None

    def add(self, parsed, category):
        if self.slugs_in_use is None:
            self.slugs_in_use = set(Article.objects.values_list("slug", flat=True))
        slug = Article.objects.free_slug(parsed.source_key, taken=self.slugs_in_use)
        self.slugs_in_use.add(slug)
        article = _imported(
            Article,
            title=parsed.title,
            question=parsed.question,
            closing=parsed.closing,
            category=category,
            source_key=parsed.source_key,
            slug=slug,
            status=self.status,
            # Whether a collector used the contacts or the address book is not something a
            # reader can tell: no yes/no questions there unless staff turn them on.
            offer_troubleshooter=not category.is_collection_topic,
            imported_at=timezone.now(),
            **_provenance(parsed),
        )
        self.pending.append((article, parsed))

    def write(self):
        if not self.pending:
            return
        articles = Article.objects.bulk_create(a for a, _ in self.pending)
        causes, remedies = [], []
        for article, parsed in self.pending:
            for pc in parsed.causes:
                values = dict(title=pc.title, explanation=pc.explanation)
                causes.append(
                    dict(
                        values,
                        import_digest=Cause.digest_of(values),
                        article_id=article.pk,
                        position=pc.position,
                        question="",
                        troubleshoot_order=None,
                        remedies=pc.remedies,
                    )
                )
            remedies += _remedies(article.pk, None, parsed.advice)
        _insert_rows(Cause, causes)
        cause_ids = _cause_ids([article.pk for article in articles])
        for cause in causes:
            cause_id = cause_ids[cause["article_id"], cause["position"]]
            remedies += _remedies(cause["article_id"], cause_id, cause["remedies"])
        _insert_rows(Remedy, remedies)
        for counts, created in (
            (self.report.articles, articles),
            (self.report.causes, causes),
            (self.report.remedies, remedies),
        ):
            counts.created += len(created)
        # Bulk writes send no signals: the index (deferred) and the page cache are told here.
        for article in articles:
            index_article(article.pk)
        bump_content_version()


def _imported(model, **values):
    """An unsaved record with the fingerprint of what the importer writes."""
    record = model(**values)
    record.import_digest = record.content_digest()
    return record


def _remedies(article_id, cause_id, texts):
    """The column values of new remedies, by field name (see _insert_rows)."""
    return [
        dict(
            import_digest=Remedy.digest_of({"text": text}),
            article_id=article_id,
            cause_id=cause_id,
            position=position,
            text=text,
        )
        for position, text in enumerate(texts, start=1)
    ]


def _insert_rows(model, rows):
    """A plain multi-row INSERT of new causes or remedies (as kb.search.indexer writes its
    documents): a model instance, and bulk_create's work on each of its values, cost more than
    the rest of a row's import, and the 9,000 causes and remedies of a thousand articles are
    most of what it writes. Every column comes from ``rows`` by field name: a field added to
    the model without a value here fails loudly (KeyError)."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            [[row[f.attname] for f in fields] for row in rows],
        )


def _cause_ids(article_ids, chunk=500):
    """{(article id, position): cause id} of the given articles' causes (their remedies need
    the ids a plain INSERT does not return)."""
    ids = {}
    for start in range(0, len(article_ids), chunk):
        rows = Cause.objects.filter(article__in=article_ids[start : start + chunk])
        for pk, article_id, position in rows.values_list("pk", "article_id", "position"):
            ids[article_id, position] = pk
    return ids


def _provenance(parsed):
    return dict(
        source_file=parsed.source_file,
        source_line=parsed.source_line,
        source_raw=parsed.source_raw,
        source_fingerprint=parsed.source_fingerprint,
    )


def _sync_categories(products):
    """Create missing categories; existing ones keep whatever editors made of them."""
    by_slug = {}
    for product in products:
        parent, _ = Category.objects.get_or_create(
            slug=product.slug,
            defaults=dict(
                name=product.name, description=product.description, position=product.position
            ),
        )
        by_slug[product.slug] = parent
        for topic in product.topics:
            by_slug[topic.slug], _ = Category.objects.get_or_create(
                slug=topic.slug,
                defaults=dict(
                    name=topic.name,
                    description=topic.description,
                    position=topic.position,
                    parent=parent,
                ),
            )
    return by_slug


def _apply(record, values, counts, report, label):
    """Update an existing imported record from ``values`` unless staff edited it.

    Returns True when the record was saved.
    """
    if not record.import_digest or record.edited_since_import:
        counts.conflicts += 1
        why = "created" if not record.import_digest else "edited"
        report.conflicts.append(f"{label}: {why} by staff since the last import; left as it is")
        return False
    for name, value in values.items():
        setattr(record, name, value)
    if record.content_digest() == record.import_digest:
        counts.unchanged += 1
        return False
    record.import_digest = record.content_digest()
    record.save()
    counts.updated += 1
    return True


def _create(model, values, counts):
    record = model(**values)
    record.import_digest = record.content_digest()
    record.save()
    counts.created += 1
    return record


def _sync_article(parsed, article, category, report):
    """Bring an article the importer wrote before (its causes and remedies prefetched) up to
    date with its source, record by record, leaving staff edits alone; say what it did."""
    before = (report.changes, len(report.conflicts))
    _sync_article_rows(parsed, article, category, report)
    conflicts = report.conflicts[before[1] :]
    changed = report.changes > before[0]
    state = "conflict" if conflicts else ("changed" if changed else "unchanged")
    report.articles_changed.append(ArticleChange(parsed, state, conflicts))


def _sync_article_rows(parsed, article, category, report):
    values = dict(
        title=parsed.title, question=parsed.question, closing=parsed.closing, category=category
    )
    label = f"article {parsed.source_key}"
    _apply(article, values, report.articles, report, label)
    provenance = _provenance(parsed)
    if any(getattr(article, name) != value for name, value in provenance.items()):
        # Provenance is not editable: it always records the source as last read.
        Article.objects.filter(pk=article.pk).update(imported_at=timezone.now(), **provenance)

    remedies = {}
    for remedy in article.remedies.all():
        remedies.setdefault(remedy.cause_id, {})[remedy.position] = remedy
    causes = {c.position: c for c in article.causes.all()}
    for pc in parsed.causes:
        cause_values = dict(title=pc.title, explanation=pc.explanation)
        cause = causes.pop(pc.position, None)
        if cause is None:
            cause = _create(
                Cause, dict(cause_values, article=article, position=pc.position), report.causes
            )
        else:
            _apply(cause, cause_values, report.causes, report, f"{label} cause {pc.position}")
        existing = remedies.pop(cause.pk, {})
        _sync_remedies(
            article, cause, pc.remedies, existing, report, f"{label} cause {pc.position}"
        )
    _delete_stale(causes.values(), report.causes, report, label + " cause")
    _sync_remedies(article, None, parsed.advice, remedies.get(None, {}), report, f"{label} advice")


def _sync_remedies(article, cause, texts, existing, report, label):
    """``existing``: the remedies of ``cause`` (None: the general advice) by position."""
    for position, text in enumerate(texts, start=1):
        remedy = existing.pop(position, None)
        if remedy is None:
            _create(
                Remedy,
                dict(article=article, cause=cause, position=position, text=text),
                report.remedies,
            )
        else:
            _apply(remedy, dict(text=text), report.remedies, report, f"{label} remedy {position}")
    _delete_stale(existing.values(), report.remedies, report, label + " remedy")


def _delete_stale(records, counts, report, label):
    """Imported records the source no longer has go; staff-made or staff-edited ones stay."""
    for record in records:
        if not record.import_digest:
            continue  # made by staff: not the importer's to remove
        if record.edited_since_import:
            counts.conflicts += 1
            report.conflicts.append(
                f"{label} {record.position}: gone from the source but edited by staff; kept"
            )
            continue
        record.delete()
        counts.deleted += 1
