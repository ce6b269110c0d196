"""Search as readers and API clients use it: analyse the query, fetch candidates from the
database's index, rank them, page them, and count the search for the reports (kb.search.log)."""

import math
import threading
import time
from dataclasses import dataclass, field

from django.urls import reverse

from kb.models import Article, Category, Cause, SearchDocument, SearchIndexState, Synonym
from kb.text import to_simplified

from . import log as search_log
from .analyzer import DOMAIN_WORDS, SEARCH_WORDS, normalize, query_words
from .backends import get_backend
from .query import analyze_query, vocabulary_of
from .ranking import Candidate, idf, rank, snippet

CANDIDATES = 60
PER_PAGE = 10


@dataclass
class Result:
    type: str
    article_slug: str
    article_title: str
    article_url: str
    cause_position: int | None
    cause_title: str | None
    url: str
    snippet: str
    score: float

    def as_dict(self):
        return {
            "type": self.type,
            "article": {
                "slug": self.article_slug,
                "title": self.article_title,
                "url": self.article_url,
            },
            "cause": (
                {"position": self.cause_position, "title": self.cause_title}
                if self.type == "cause"
                else None
            ),
            "url": self.url,
            "snippet": self.snippet,
        }


@dataclass
class SearchPage:
    query: str  # normalised
    results: list[Result] = field(default_factory=list)
    count: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    truncated: bool = False

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def start_index(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def has_previous(self):
        return self.page > 1


class _Statistics:
    """Per-process caches keyed on the index generation: document frequencies, the document
    count, the synonyms, the product names and the pinyin vocabularies. One cheap read of the
    generation per search keeps them fresh in every worker process; when it changed, one thread
    rebuilds them while the others wait, and they are replaced all at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rebuilding = threading.Lock()
        self.reset()

    def reset(self):
        """Forget everything (tests roll the database back, and the generation with it)."""
        with self.lock:
            self.generation = None
            self.df = {}
            self.total = 0
            self.synonyms = ()
            self.products = {}
            self.vocabulary = {}
            self.title_vocabulary = {}

    def _current_generation(self):
        return SearchIndexState.objects.filter(pk=1).values_list("generation", flat=True).first()

    def refresh(self):
        """Bring the caches up to the index's generation; returns what a query is analysed
        with: (synonyms, products, vocabulary), all of one generation."""
        state = self._current_generation()
        with self.lock:
            if state == self.generation:
                return self.synonyms, self.products, self.vocabulary
        with self.rebuilding:
            # Read again: another thread may have rebuilt, or the index moved on, meanwhile.
            state = self._current_generation()
            with self.lock:
                if state == self.generation:
                    return self.synonyms, self.products, self.vocabulary
            total = SearchDocument.objects.count()
            synonyms = tuple(
                (normalize(s.phrase).replace(" ", ""), s.expansion_list)
                for s in Synonym.objects.filter(enabled=True)
            )
            categories = list(Category.objects.order_by().values_list("name", "parent_id"))
            products = _products(name for name, parent in categories if parent is None)
            titles = _title_words(name for name, _ in categories)
            vocabulary = vocabulary_of(
                [*DOMAIN_WORDS, *SEARCH_WORDS, *products, *_synonym_words(synonyms), *titles]
            )
            with self.lock:
                self.generation, self.df, self.total = state, {}, total
                self.synonyms, self.products, self.vocabulary = synonyms, products, vocabulary
                self.title_vocabulary = vocabulary_of(titles)
                return synonyms, products, vocabulary

    def frequency(self, backend, token):
        with self.lock:
            if token in self.df:
                return self.df[token]
        value = backend.document_frequency(token)
        with self.lock:
            if len(self.df) > 50_000:
                self.df.clear()
            self.df[token] = value
        return value


_stats = _Statistics()

# Titles read for the pinyin vocabularies, of articles and of causes each: a bound for big sites.
VOCABULARY_TITLES = 2000


def _products(names):
    """The products' names (top-level categories) as queries are normalised, each mapped to the
    form the documents' texts have it in (the indexer converts them to simplified characters)."""
    products = {}
    for name in names:
        normalised, as_indexed = normalize(name).strip(), to_simplified(name).lower().strip()
        if normalised:
            products.setdefault(normalised, as_indexed)
    return products


def _synonym_words(synonyms):
    for phrase, expansions in synonyms:
        yield phrase
        yield from (w for expansion in expansions for w in query_words(normalize(expansion)))


def _title_words(category_names):
    """The words of the newest published titles (by key: no sorting of a hundred thousand
    causes for it) and of the categories' names, each title read once."""
    published = Article.objects.published()
    titles = [
        *published.order_by("-pk").values_list("title", flat=True)[:VOCABULARY_TITLES],
        *Cause.objects.filter(article__in=published.order_by())
        .order_by("-pk")
        .values_list("title", flat=True)[:VOCABULARY_TITLES],
        *category_names,
    ]
    return [w for title in dict.fromkeys(titles) for w in query_words(normalize(title))]


def _rarity(query, backend):
    """idf of each term: of the term itself if indexed, else of its rarest bigram or pinyin."""
    rarity = {}
    for term in query.terms:
        df = _stats.frequency(backend, term.text)
        if df == 0:
            others = [_stats.frequency(backend, t) for t in term.index_tokens if t != term.text]
            others = [d for d in others if d]
            df = min(others) if others else 0
        rarity[term.text] = idf(df, max(_stats.total, df, 1))
    return rarity


def _lookup(query, backend):
    """(tokens, exact): the index tokens to find candidates with, and whether the database may
    score every match.

    A small index uses every token of every term. A large one pivots on the most selective
    tokens (a standard trick of search engines): the rarest first, as long as together they
    match at most the backend's EXACT_MATCHES documents, which the database then scores. When even the rarest
    token is in more documents than that, candidates are the first documents having it,
    unscored: scoring tens of thousands of rows costs far more than ranking can gain from them.
    kb.search.ranking orders the candidates in every case.
    """
    tokens = list(dict.fromkeys(t for term in query.terms for t in term.index_tokens))
    if _stats.total < backend.LARGE_INDEX:
        return tokens, True
    counted = sorted((_stats.frequency(backend, t), t) for t in tokens)
    counted = [(df, t) for df, t in counted if df]
    chosen, matches = [], 0
    for df, token in counted:
        if matches + df > backend.EXACT_MATCHES:
            break
        chosen.append(token)
        matches += df
    if chosen:
        return chosen, True
    return [counted[0][1]] if counted else tokens, False


def _result(score_, candidate, query):
    row = candidate.doc
    article_url = reverse("kb:article", kwargs={"slug": row.article_slug})
    is_cause = row.kind == SearchDocument.Kind.CAUSE
    return Result(
        type=row.kind,
        article_slug=row.article_slug,
        article_title=row.article_title,
        article_url=article_url,
        cause_position=row.cause_position if is_cause else None,
        cause_title=row.cause_title if is_cause else None,
        url=f"{article_url}#cause-{row.cause_position}" if is_cause else article_url,
        snippet=snippet(candidate, query),
        score=round(score_, 4),
    )


def search(raw_query, page=1, per_page=PER_PAGE, log=False):
    """Rank causes and articles for what the reader typed. Never raises for odd input: a query
    with nothing searchable gives an empty page."""
    started = time.perf_counter()
    backend = get_backend()
    synonyms, products, vocabulary = _stats.refresh()
    query = analyze_query(raw_query or "", synonyms, products, vocabulary)
    result = SearchPage(query=query.text, per_page=per_page, truncated=query.truncated)
    if query:
        tokens, exact = _lookup(query, backend)
        rows = backend.candidates(tokens, CANDIDATES, exact=exact)
        ranked = rank([Candidate.from_row(r) for r in rows], query, _rarity(query, backend))
        result.count = len(ranked)
        result.page = min(max(1, page), result.num_pages)
        start = (result.page - 1) * per_page
        result.results = [_result(s, c, query) for s, c in ranked[start : start + per_page]]
    if log and query.text:
        took_ms = round((time.perf_counter() - started) * 1000)
        search_log.record(query.text, result.count, took_ms)
    return result


def suggest(raw_query, limit=6):
    """Titles to offer while the reader types: the best distinct causes and articles."""
    page = search(raw_query, per_page=limit)
    return [
        {
            "title": r.cause_title if r.type == "cause" else r.article_title,
            "article": r.article_title,
            "type": r.type,
            "url": r.url,
        }
        for r in page.results
    ]
