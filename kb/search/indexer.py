"""Keep SearchDocument rows (and so each database's full-text index) in step with the content.

Called by the signal handlers (kb.search.signals) for every change made through the models —
importer, admin, shell — and by ``rebuild_search_index``. Writes run in the caller's transaction,
so the index never disagrees with committed content.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import F

from kb.markdown import plain_text
from kb.models import Article, Category, Cause, Remedy
from kb.text import to_simplified

from .analyzer import ANALYZER_VERSION, ngrams, normalize, pinyin_tokens, unique, words
from .backends import get_backend
from .models import SearchDocument, SearchIndexState


def _tokens(tokens):
    return " ".join(unique(tokens))


@dataclass(frozen=True)
class DocumentSource:
    """What a search document is made of, as plain text: cheap to hand to another process."""

    kind: str
    article_id: int
    cause_id: int | None
    title: str
    context: str
    texts: tuple  # Markdown sources: explanation or summary, then remedies or advice
    pinyin_context: str


def sources_for(article_ids):
    """The documents of the given articles, in id order: each whole article first, then each
    cause with its article as context. Plain rows from three queries, without model instances:
    a rebuild reads a hundred thousand causes through here."""
    article_ids = sorted(article_ids)
    if not article_ids:
        return
    names = {
        pk: (name, parent)
        for pk, name, parent in Category.objects.values_list("pk", "name", "parent")
    }
    causes, remedies = {}, {}
    for row in (
        Cause.objects.filter(article__in=article_ids)
        .order_by("position")
        .values_list("article_id", "pk", "title", "explanation")
    ):
        causes.setdefault(row[0], []).append(row[1:])
    for article_id, cause_id, text in (
        Remedy.objects.filter(article__in=article_ids)
        .order_by("position")
        .values_list("article_id", "cause_id", "text")
    ):
        remedies.setdefault((article_id, cause_id), []).append(text)
    articles = (
        Article.objects.filter(pk__in=article_ids)
        .order_by("pk")
        .values_list("pk", "title", "question", "summary", "closing", "category_id")
    )
    for article_id, title, question, summary, closing, category_id in articles:
        name, parent = names[category_id]
        categories = f"{names[parent][0]} {name}" if parent else name
        yield DocumentSource(
            kind=SearchDocument.Kind.ARTICLE,
            article_id=article_id,
            cause_id=None,
            title=title,
            context=f"{categories} {question}",
            texts=(summary, closing, *remedies.get((article_id, None), ())),
            pinyin_context=categories,
        )
        context = f"{title} {categories}"
        for cause_id, cause_title, explanation in causes.get(article_id, ()):
            yield DocumentSource(
                kind=SearchDocument.Kind.CAUSE,
                article_id=article_id,
                cause_id=cause_id,
                title=cause_title,
                context=context,
                texts=(explanation, *remedies.get((article_id, cause_id), ())),
                pinyin_context=context,
            )


@lru_cache(maxsize=256)
def _analysed_context(context, pinyin_context):
    """Context fields, the same for every cause of an article: analysed once per article."""
    context = to_simplified(context)
    n_context = normalize(context)
    return (
        context,
        _tokens(words(n_context)),
        ngrams(n_context),
        _tokens(pinyin_tokens(normalize(pinyin_context))),
    )


def analyse(source):
    """The column values of a SearchDocument: display texts and the analyzer's tokens."""
    # Stored simplified, so that ranking needs only lower() on them (kb.search.ranking).
    title = to_simplified(source.title)
    body = to_simplified("\n".join(plain_text(t) for t in source.texts).strip())
    n_title, n_body = normalize(title), normalize(body)
    context, context_tokens, context_ngrams, context_pinyin = _analysed_context(
        source.context, source.pinyin_context
    )
    return dict(
        kind=source.kind,
        article_id=source.article_id,
        cause_id=source.cause_id,
        title=title,
        context=context,
        body=body,
        title_tokens=_tokens(words(n_title)),
        context_tokens=context_tokens,
        body_tokens=_tokens(words(n_body)),
        ngram_tokens=_tokens(ngrams(n_title) + context_ngrams + ngrams(n_body, singles=False)),
        title_pinyin=_tokens(pinyin_tokens(n_title)),
        context_pinyin=context_pinyin,
        analyzer_version=ANALYZER_VERSION,
    )


def analyse_batch(sources):
    return [analyse(source) for source in sources]


# The page cache's scope (kb.cache.versions) of what search finds: the results pages show it.
SEARCH_SCOPE = "search"


def bump_generation(analyzer_version=None):
    """Mark the index (or the synonyms) as changed, for caches keyed on the generation, and
    for the cached results pages (SEARCH_SCOPE)."""
    from kb.cache import versions

    versions.bump_when_committed(SEARCH_SCOPE)
    updates = {"generation": F("generation") + 1}
    if analyzer_version is not None:
        updates["analyzer_version"] = analyzer_version
    if not SearchIndexState.objects.filter(pk=1).update(**updates):
        SearchIndexState.objects.get_or_create(
            pk=1, defaults={"generation": 1, "analyzer_version": analyzer_version or 0}
        )


_deferred = threading.local()


@contextmanager
def deferred_indexing(progress=None):
    """Index each touched article once, when the block ends, instead of at every save: the
    importer writes many articles, causes and remedies. ``progress(done, total)``: articles
    indexed so far, after each batch."""
    if getattr(_deferred, "ids", None) is not None:  # already deferring: the outer block indexes
        yield
        return
    _deferred.ids = set()
    try:
        yield
        ids, _deferred.ids = _deferred.ids, None
        if ids:
            index_articles(ids, progress=progress)
            get_backend().refresh_statistics()  # a bulk change: term statistics follow
    finally:
        _deferred.ids = None


def index_article(article_id):
    """Rebuild the documents of one article (and its causes); drop them if it is gone."""
    pending = getattr(_deferred, "ids", None)
    if pending is not None:
        pending.add(article_id)
        return
    index_articles([article_id])


def index_articles(article_ids, batch_size=500, progress=None):
    """Rebuild the documents of the given articles, in batches of about ``batch_size`` causes'
    documents (as ``rebuild_index``); drop those of articles that are gone."""
    ids = sorted(article_ids)
    per_batch = max(1, batch_size // 5)  # articles have a handful of causes
    with transaction.atomic():
        for start in range(0, len(ids), per_batch):
            batch = ids[start : start + per_batch]
            SearchDocument.objects.filter(article_id__in=batch).delete()
            _insert(analyse_batch(sources_for(batch)))
            if progress:
                progress(start + len(batch), len(ids))
        bump_generation()


_COLUMNS = [f.column for f in SearchDocument._meta.concrete_fields if not f.primary_key]


def _insert(rows):
    """Plain multi-row INSERT, then the full-text index of those rows in one statement: a
    rebuild writes a hundred thousand rows, and model instances would cost more than the
    analysis of their text. The one way documents are written (the backend's full-text index
    relies on it: SearchBackend.index_inserted)."""
    if not rows:
        return
    table = SearchDocument._meta.db_table
    marks = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({marks})",
            [[row[column] for column in _COLUMNS] for row in rows],
        )
    get_backend().index_inserted(row["article_id"] for row in rows)


def _source_batches(batch_size):
    """Sources in batches of the documents of about ``batch_size`` causes' articles."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    per_batch = max(1, batch_size // 5)  # articles have a handful of causes
    for start in range(0, len(ids), per_batch):
        yield list(sources_for(ids[start : start + per_batch]))


def rebuild_index(batch_size=500, progress=None):
    """Rebuild every document from the database. Returns the number of documents written."""
    written = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for rows in map(analyse_batch, _source_batches(batch_size)):
            _insert(rows)
            written += len(rows)
            if progress:
                progress(written)
        get_backend().refresh_statistics()
        bump_generation(analyzer_version=ANALYZER_VERSION)
    return written


def index_is_current():
    state = SearchIndexState.objects.filter(pk=1).first()
    return state is not None and state.analyzer_version == ANALYZER_VERSION


def ensure_current_index(**kwargs):
    """Rebuild the index when it was built by another analyzer version (or never)."""
    if not index_is_current():
        rebuild_index()
