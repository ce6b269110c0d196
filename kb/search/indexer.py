"""Keep SearchDocument rows (and so each database's full-text index) in step with the content.

Called by the signal handlers (kb.search.signals) for every change made through the models —
importer, admin, shell — and by ``rebuild_search_index``. Writes run in the caller's transaction,
so the index never disagrees with committed content.
"""

import html
import multiprocessing
import os
import re
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils.html import strip_tags

from kb.markdown import render_markdown
from kb.models import Article, Cause, Remedy, SearchDocument, SearchIndexState
from kb.text import to_simplified

from .analyzer import ANALYZER_VERSION, ngrams, normalize, pinyin_tokens, words

# Characters that can make Markdown or HTML; text without them reads the same rendered.
_MARKUP = re.compile(r"[*_`#\[\]<>!|~&\\]|^\s*(?:[-+]|\d+\.)\s", re.MULTILINE)


def plain_text(markdown_source):
    """What a reader sees of a Markdown text, as plain text."""
    if not markdown_source:
        return ""
    if not _MARKUP.search(markdown_source):
        return markdown_source.strip()
    return html.unescape(strip_tags(render_markdown(markdown_source))).strip()


def _tokens(tokens):
    result = dict.fromkeys(tokens)
    result.pop("", None)
    return " ".join(result)


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


def document_sources(article):
    """The documents of an article (prefetched as by _articles()): the whole article first,
    then each cause with the article as its context."""
    categories = " ".join(c.name for c in article.category.path)
    advice = tuple(r.text for r in article.remedies.all() if r.cause_id is None)
    yield DocumentSource(
        kind=SearchDocument.Kind.ARTICLE,
        article_id=article.pk,
        cause_id=None,
        title=article.title,
        context=f"{categories} {article.question}",
        texts=(article.summary, *advice),
        pinyin_context=categories,
    )
    context = f"{article.title} {categories}"
    for cause in article.causes.all():
        yield DocumentSource(
            kind=SearchDocument.Kind.CAUSE,
            article_id=article.pk,
            cause_id=cause.pk,
            title=cause.title,
            context=context,
            texts=(cause.explanation, *(r.text for r in cause.remedies.all())),
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


def _articles():
    return Article.objects.select_related("category", "category__parent").prefetch_related(
        Prefetch("remedies", queryset=Remedy.objects.order_by("position")),
        Prefetch(
            "causes",
            queryset=Cause.objects.prefetch_related(
                Prefetch("remedies", queryset=Remedy.objects.order_by("position"))
            ),
        ),
    )


def documents_for(article):
    return [SearchDocument(**analyse(source)) for source in document_sources(article)]


def bump_generation(analyzer_version=None):
    """Mark the index (or the synonyms) as changed, for caches keyed on the generation."""
    updates = {"generation": F("generation") + 1}
    if analyzer_version is not None:
        updates["analyzer_version"] = analyzer_version
    if not SearchIndexState.objects.filter(pk=1).update(**updates):
        SearchIndexState.objects.get_or_create(
            pk=1, defaults={"generation": 1, "analyzer_version": analyzer_version or 0}
        )


_deferred = threading.local()


@contextmanager
def deferred_indexing():
    """Index each touched article once, when the block ends, instead of at every save: the
    importer saves an article, its causes and remedies one by one."""
    if getattr(_deferred, "ids", None) is not None:  # already deferring: the outer block indexes
        yield
        return
    _deferred.ids = set()
    try:
        yield
        ids, _deferred.ids = _deferred.ids, None
        for article_id in sorted(ids):
            index_article(article_id)
    finally:
        _deferred.ids = None


def index_article(article_id):
    """Rebuild the documents of one article (and its causes); drop them if it is gone."""
    pending = getattr(_deferred, "ids", None)
    if pending is not None:
        pending.add(article_id)
        return
    with transaction.atomic():
        SearchDocument.objects.filter(article_id=article_id).delete()
        article = _articles().filter(pk=article_id).first()
        if article is not None:
            SearchDocument.objects.bulk_create(documents_for(article))
        bump_generation()


_COLUMNS = [f.column for f in SearchDocument._meta.concrete_fields if not f.primary_key]


def _insert(rows):
    """Plain multi-row INSERT: a rebuild writes a hundred thousand rows, and model instances
    would cost more than the analysis of their text."""
    if not rows:
        return
    table = SearchDocument._meta.db_table
    marks = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({marks})",
            [[row[column] for column in _COLUMNS] for row in rows],
        )


# A rebuild of at least this many articles analyses text in worker processes, one per core.
PARALLEL_MIN_ARTICLES = 2000


def _source_batches(batch_size):
    batch = []
    for article in _articles().order_by("pk").iterator(chunk_size=batch_size):
        batch.extend(document_sources(article))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _analysed_in_parallel(batches, workers):
    """analyse_batch over ``batches`` in worker processes, results in order, with a bounded
    number of batches in flight. Workers are forked after the dictionaries are loaded, so they
    share them; they only compute and never touch the database."""
    analyse_batch([DocumentSource("article", 0, None, "花呗", "", ("还款",), "")])  # load first
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = deque()
        for batch in batches:
            pending.append(pool.submit(analyse_batch, batch))
            if len(pending) >= workers * 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def rebuild_index(batch_size=500, progress=None, workers=None):
    """Rebuild every document from the database. Returns the number of documents written."""
    workers = workers or os.cpu_count() or 1
    written = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        batches = _source_batches(batch_size)
        if workers > 1 and Article.objects.count() >= PARALLEL_MIN_ARTICLES:
            results = _analysed_in_parallel(batches, workers)
        else:
            results = map(analyse_batch, batches)
        for rows in results:
            _insert(rows)
            written += len(rows)
            if progress:
                progress(written)
        bump_generation(analyzer_version=ANALYZER_VERSION)
    return written


def index_is_current():
    state = SearchIndexState.objects.filter(pk=1).first()
    return state is not None and state.analyzer_version == ANALYZER_VERSION


def ensure_current_index(**kwargs):
    """Rebuild the index when it was built by another analyzer version (or never)."""
    if not index_is_current():
        rebuild_index()
