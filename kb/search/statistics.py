"""What search knows about the index as a whole, kept per process and per index generation.

Document frequencies (and from them each query term's rarity, BM25's idf), the document count,
the enabled synonyms, the products' names, the pinyin vocabularies (what typed pinyin may
stand for, and the title words 「你是不是要找」 offers), the lexicon slips are corrected to
(kb.search.lexicon) and the pages of repeated queries (kb.search.results) all change only when
the index does (the pages also when a scheduled article goes live).
Every change bumps SearchIndexState's generation (kb.search.indexer.bump_generation); one cheap
read of it per search keeps these caches fresh in every worker process. When it changed, one
thread rebuilds them while the others wait, and they are replaced all at once, so a query is
never analysed with the synonyms of one generation and the products of another.

``index_statistics`` is the process's one instance; tests ``reset()`` it, since they roll the
database (and the generation with it) back.
"""

import threading
from typing import NamedTuple

from kb.models import Article, Category, Cause
from kb.text import to_simplified

from .analyzer import CJK_RUN, DOMAIN_WORDS, SEARCH_WORDS, normalize, query_words
from .backends import SearchBackend
from .lexicon import Lexicon
from .models import SearchDocument, SearchIndexState, Synonym
from .query import vocabulary_of
from .ranking import idf
from .results import ResultsCache

# Titles read for the pinyin vocabularies, of articles and of causes each: a bound for big sites.
VOCABULARY_TITLES = 2000
# Documents whose words make the lexicon slips are corrected to: a bound for big sites.
LEXICON_DOCUMENTS = 5000
# Document frequencies remembered per generation, at most (a bound on a worker's memory).
MAX_FREQUENCIES = 50_000


class Analysis(NamedTuple):
    """What a query is analysed with, all of one index generation."""

    generation: int | None
    synonyms: tuple
    products: dict
    vocabulary: dict
    lexicon: Lexicon


class IndexStatistics:
    """The caches of one index generation (see the module docstring)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rebuilding = threading.Lock()
        self.results = ResultsCache()
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
            self.lexicon = Lexicon()
        self.results.clear()

    def _current_generation(self):
        return SearchIndexState.objects.filter(pk=1).values_list("generation", flat=True).first()

    def _analysis(self):
        return Analysis(
            self.generation, self.synonyms, self.products, self.vocabulary, self.lexicon
        )

    def _is_current(self, state):
        return state == self.generation and not self.results.expired()

    def refresh(self) -> Analysis:
        """Bring the caches up to the index's generation (and the results cache up to the
        last publication); returns what a query is analysed with."""
        state = self._current_generation()
        with self.lock:
            if self._is_current(state):
                return self._analysis()
        with self.rebuilding:
            # Read again: another thread may have rebuilt, or the index moved on, meanwhile.
            state = self._current_generation()
            with self.lock:
                if self._is_current(state):
                    return self._analysis()
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
            lexicon = _lexicon()
            next_publication = (
                Article.objects.scheduled()
                .order_by("published_at")
                .values_list("published_at", flat=True)
                .first()
            )
            with self.lock:
                self.generation, self.df, self.total = state, {}, total
                self.synonyms, self.products, self.vocabulary = synonyms, products, vocabulary
                self.title_vocabulary = vocabulary_of(titles)
                self.lexicon = lexicon
                self.results.clear(valid_until=next_publication)
                return self._analysis()

    def frequency(self, backend: SearchBackend, token: str) -> int:
        """How many documents have ``token``, asked of ``backend`` once per generation."""
        with self.lock:
            if token in self.df:
                return self.df[token]
        value = backend.document_frequency(token)
        with self.lock:
            if len(self.df) > MAX_FREQUENCIES:
                self.df.clear()
            self.df[token] = value
        return value

    def rarity(self, query, backend: SearchBackend) -> dict[str, float]:
        """idf of each term: of the term itself if indexed, else of its rarest bigram or pinyin."""
        rarity = {}
        for term in query.terms:
            df = self.frequency(backend, term.text)
            if df == 0:
                others = [self.frequency(backend, t) for t in term.index_tokens if t != term.text]
                others = [d for d in others if d]
                df = min(others) if others else 0
            rarity[term.text] = idf(df, max(self.total, df, 1))
        return rarity

    def unknown(self, query, backend: SearchBackend) -> frozenset[str]:
        """The query's typed words no document has (their frequencies are asked for rarity
        anyway: no extra query)."""
        return frozenset(
            t.text for t in query.terms if t.typed and not self.frequency(backend, t.text)
        )


index_statistics = IndexStatistics()


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


def _lexicon():
    """The words of the newest documents' titles, contexts and bodies, with how many documents
    have each (kb.search.lexicon)."""
    counts = {}
    rows = SearchDocument.objects.order_by("-pk").values_list(
        "title_tokens", "context_tokens", "body_tokens"
    )[:LEXICON_DOCUMENTS]
    for fields in rows:
        for word in set(" ".join(fields).split()):
            if len(word) > 1 and CJK_RUN.fullmatch(word):
                counts[word] = counts.get(word, 0) + 1
    return Lexicon(counts)
