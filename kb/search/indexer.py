"""Keep SearchDocument rows (and so each database's full-text index) in step with the content.

Called by the signal handlers (kb.search.signals) for every change made through the models —
importer, admin, shell — and by ``rebuild_search_index``. Writes run in the caller's transaction,
so the index never disagrees with committed content.
"""

import html
import re
import threading
from contextlib import contextmanager
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


def build_document(article, cause=None):
    """An unsaved SearchDocument for a cause (with its article as context) or a whole article."""
    return SearchDocument(**document_values(article, cause))


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


def document_values(article, cause=None):
    """The column values of the SearchDocument of a cause or of a whole article."""
    categories = " ".join(c.name for c in article.category.path)
    if cause is not None:
        remedies = [plain_text(r.text) for r in cause.remedies.all()]
        title, context = cause.title, f"{article.title} {categories}"
        body = "\n".join([plain_text(cause.explanation), *remedies]).strip()
        pinyin_context = f"{article.title} {categories}"
    else:
        advice = [plain_text(r.text) for r in article.remedies.all() if r.cause_id is None]
        title, context = article.title, f"{categories} {article.question}"
        body = "\n".join([plain_text(article.summary), *advice]).strip()
        pinyin_context = categories
    # Stored simplified, so that ranking needs only lower() on them (kb.search.ranking).
    title, body = to_simplified(title), to_simplified(body)
    n_title, n_body = normalize(title), normalize(body)
    context, context_tokens, context_ngrams, context_pinyin = _analysed_context(
        context, pinyin_context
    )
    return dict(
        kind=SearchDocument.Kind.CAUSE if cause else SearchDocument.Kind.ARTICLE,
        article_id=article.pk,
        cause_id=cause.pk if cause else None,
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
    return [build_document(article), *(build_document(article, c) for c in article.causes.all())]


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


def rebuild_index(batch_size=500, progress=None):
    """Rebuild every document from the database. Returns the number of documents written."""
    written = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        batch = []
        for article in _articles().order_by("pk").iterator(chunk_size=batch_size):
            batch.append(document_values(article))
            batch.extend(document_values(article, cause) for cause in article.causes.all())
            if len(batch) >= batch_size:
                _insert(batch)
                written += len(batch)
                batch = []
                if progress:
                    progress(written)
        _insert(batch)
        written += len(batch)
        bump_generation(analyzer_version=ANALYZER_VERSION)
    return written


def index_is_current():
    state = SearchIndexState.objects.filter(pk=1).first()
    return state is not None and state.analyzer_version == ANALYZER_VERSION


def ensure_current_index(**kwargs):
    """Rebuild the index when it was built by another analyzer version (or never)."""
    if not index_is_current():
        rebuild_index()
