"""Search as readers and API clients use it: analyse the query (with the synonyms, products and
vocabulary of kb.search.statistics), fetch candidates from the database's index, rank them, page
them, and count the search for the reports (kb.search.log)."""

import math
import time
from dataclasses import dataclass, field

from django.urls import reverse

from kb.markdown import plain_text
from kb.models import Remedy

from . import best_bets
from . import log as search_log
from .backends import SearchBackend, get_backend
from .models import SearchDocument
from .query import analyze_query, normalize_query
from .ranking import Candidate, rank, snippet
from .statistics import index_statistics

CANDIDATES = 60
PER_PAGE = 10
RELATED = 5
ANSWER_SCORE_SHARE = 0.5


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
    cause_id: int | None = None
    # A cause's remedies (怎么办) as plain text: [{"position", "text"}], in their order.
    remedies: list = field(default_factory=list)

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
            "remedies": self.remedies,
        }


@dataclass
class SearchPage:
    query: str  # normalised
    results: list[Result] = field(default_factory=list)
    # Weaker matches (the query asks something they do not cover): reading, never the answer.
    related: list[Result] = field(default_factory=list)
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


def _lookup(query, backend: SearchBackend):
    """(tokens, exact): the index tokens to find candidates with, and whether the database may
    score every match.

    A small index uses every token of every term. A large one pivots on the most selective
    tokens (a standard trick of search engines): the rarest first, as long as together they
    match at most the backend's EXACT_MATCHES documents, which the database then scores. When
    even the rarest token is in more documents than that, candidates are the first documents
    having it, unscored: scoring tens of thousands of rows costs far more than ranking can gain
    from them. kb.search.ranking orders the candidates in every case.
    """
    tokens = list(dict.fromkeys(t for term in query.terms for t in term.index_tokens))
    if index_statistics.total < backend.LARGE_INDEX:
        return tokens, True
    counted = sorted((index_statistics.frequency(backend, t), t) for t in tokens)
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
        cause_id=row.cause_id if is_cause else None,
        url=f"{article_url}#cause-{row.cause_position}" if is_cause else article_url,
        snippet=snippet(candidate, query),
        score=round(score_, 4),
    )


def _add_remedies(results):
    """Give the cause results their remedies, in one query."""
    by_cause = {r.cause_id: r for r in results if r.cause_id is not None}
    remedies = (
        Remedy.objects.filter(cause__in=by_cause)
        .order_by("cause_id", "position")
        .values_list("cause_id", "position", "text")
    )
    for cause_id, position, text in remedies:
        by_cause[cause_id].remedies.append({"position": position, "text": plain_text(text)})


def search(raw_query, page=1, per_page=PER_PAGE, log=False):
    """Rank causes and articles for what the reader typed. Never raises for odd input: a query
    with nothing searchable gives an empty page. A query searched before in this index
    generation is answered from kb.search.results (and logged all the same)."""
    started = time.perf_counter()
    analysis = index_statistics.refresh()
    key = (analysis.generation, normalize_query(raw_query or "")[0], page, per_page)
    result = index_statistics.results.get(key)
    if result is None:
        result = _search(raw_query or "", page, per_page, analysis)
        index_statistics.results.put(key, result)
    if log and result.query:
        took_ms = round((time.perf_counter() - started) * 1000)
        search_log.record(result.query, result.count, took_ms)
    return result


def _search(raw_query, page, per_page, analysis):
    backend = get_backend()
    query = analyze_query(
        raw_query, analysis.synonyms, analysis.products, analysis.vocabulary, analysis.lexicon
    )
    result = SearchPage(query=query.text, per_page=per_page, truncated=query.truncated)
    if not query:
        return result
    tokens, exact = _lookup(query, backend)
    rows = backend.candidates(tokens, CANDIDATES, exact=exact)
    ranked = rank(
        [Candidate.from_row(r) for r in rows],
        query,
        index_statistics.rarity(query, backend),
        index_statistics.unknown(query, backend),
    )
    # An answer must also be among the best matches: a document search stands behind but that
    # matches far less than the best one answers some other, narrower question.
    floor = ranked[0][0] * ANSWER_SCORE_SHARE if ranked else 0.0
    # Staff's best bet comes first, as an answer, whatever the ranking made of it.
    ranked = best_bets.apply(query, ranked)
    answers = [(s, c) for s, c, confident in ranked if confident and s >= floor]
    related = [(s, c) for s, c, confident in ranked if not (confident and s >= floor)][:RELATED]
    result.count = len(answers)
    result.page = min(max(1, page), result.num_pages)
    start = (result.page - 1) * per_page
    result.results = [_result(s, c, query) for s, c in answers[start : start + per_page]]
    result.related = [_result(s, c, query) for s, c in related]
    _add_remedies(result.results + result.related)
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
