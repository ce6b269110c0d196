"""Keep SearchDocument rows (and so each database's full-text index) in step with the content.

Called by the signal handlers (kb.search.signals) for every change made through the models —
importer, admin, shell — and by ``rebuild_search_index``. Writes run in the caller's transaction,
so the index never disagrees with committed content.
"""

import html
import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.html import strip_tags

from kb.markdown import render_markdown
from kb.models import Article, Cause, Remedy, SearchDocument, SearchIndexState

from .analyzer import ANALYZER_VERSION, ngrams, normalize, pinyin_tokens, unique, words


def plain_text(markdown_source):
    """What a reader sees of a Markdown text, as plain text."""
    if not markdown_source:
        return ""
    return html.unescape(strip_tags(render_markdown(markdown_source))).strip()


def _tokens(tokens):
    return " ".join(unique(tokens))


def build_document(article, cause=None):
    """An unsaved SearchDocument for a cause (with its article as context) or a whole article."""
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
    n_title, n_context, n_body = normalize(title), normalize(context), normalize(body)
    return SearchDocument(
        kind=SearchDocument.Kind.CAUSE if cause else SearchDocument.Kind.ARTICLE,
        article=article,
        cause=cause,
        title=title,
        context=context,
        body=body,
        title_tokens=_tokens(words(n_title)),
        context_tokens=_tokens(words(n_context)),
        body_tokens=_tokens(words(n_body)),
        ngram_tokens=_tokens(ngrams(f"{n_title} {n_context} {n_body}")),
        title_pinyin=_tokens(pinyin_tokens(n_title)),
        context_pinyin=_tokens(pinyin_tokens(normalize(pinyin_context))),
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


def rebuild_index(batch_size=500, progress=None):
    """Rebuild every document from the database. Returns the number of documents written."""
    written = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        batch = []
        for article in _articles().order_by("pk").iterator(chunk_size=batch_size):
            batch.extend(documents_for(article))
            if len(batch) >= batch_size:
                SearchDocument.objects.bulk_create(batch)
                written += len(batch)
                batch = []
                if progress:
                    progress(written)
        SearchDocument.objects.bulk_create(batch)
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
