"""The final ordering of candidate documents, and their snippets. Pure Python over the texts the
database returned, so SQLite and PostgreSQL rank alike.

A document scores, for each query term, the term's weight x its rarity (BM25's idf over the
whole index) x where the document has it: its own title, its context (for a cause: the
article's title and category), or its body (explanation and remedies), weighted as
kb.search.fields says. Partial matches (most of a word's bigrams) and pinyin matches count for
less; an exact phrase counts extra; and the share of the query a document covers scales the
total, so one rare word cannot beat all the others.

A product's name is a name, not words: 分期乐 is not partly found in 花呗分期. When the reader
names a product, documents of other products count for less (``OTHER_PRODUCT_FACTOR``).
"""

import math
from dataclasses import dataclass

from django.utils.html import escape

from .analyzer import CREDIT_WORDS
from .confidence import content_words, stands_behind, tells_story
from .fields import FIELD_WEIGHTS, PINYIN_WEIGHTS

PARTIAL_FACTOR = 0.7
PHRASE_BONUS = {"title": 8.0, "context": 3.0, "body": 5.0}
OTHER_PRODUCT_FACTOR = 0.5
NEGATED_FORMS = ("没有", "没", "未", "不是", "无")
# A cause with this share of its article's score answers before it (see _cause_first).
CAUSE_SHARE = 0.97


def idf(df, total):
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


@dataclass
class Candidate:
    """A document as the ranking sees it: normalised texts and title pinyin sets."""

    doc: object
    title: str
    context: str
    body: str
    title_pinyin: frozenset
    context_pinyin: frozenset

    @classmethod
    def from_row(cls, row):
        # The indexer stored the texts in simplified characters; lowercasing is all that is left
        # of normalize() here, and it keeps positions for the snippets.
        return cls(
            doc=row,
            title=row.title.lower(),
            context=row.context.lower(),
            body=row.body.lower(),
            title_pinyin=frozenset(row.title_pinyin.split()),
            context_pinyin=frozenset(row.context_pinyin.split()),
        )


def _bigrams(word):
    return [word[i : i + 2] for i in range(len(word) - 1)]


def term_match(term, candidate):
    """How well a candidate has a term: the best field weight it is found in (0 if nowhere)."""
    best = 0.0
    for field, weight in FIELD_WEIGHTS.items():
        text = getattr(candidate, field)
        if (not term.latin or len(term.pinyin) <= 1) and term.text in text:
            best = max(best, weight)
            continue
        if not term.latin and not term.product and len(term.text) > 2:
            # Not found whole: count the share of the word its sub-words cover (资金 of
            # 资金不足), or of its bigrams when most are there (a word the segmenter cut
            # differently).
            grams = _bigrams(term.text)
            share = sum(g in text for g in grams) / len(grams)
            share = share if share >= 0.5 else 0.0
            if term.parts:
                found = sum(len(p) for p in term.parts if p in text)
                share = max(share, min(1.0, found / len(term.text)))
            if share:
                best = max(best, weight * PARTIAL_FACTOR * share)
    for field, weight in PINYIN_WEIGHTS.items():
        readings = getattr(candidate, f"{field}_pinyin")
        if any(p in readings for p in term.pinyin):
            best = max(best, weight)
    return best


def _match(term, candidate):
    if not term.negated:
        return term_match(term, candidate)
    # 没有逾期: only a document that itself says the thing is missing (还款还没有到账) has it.
    text = f"{candidate.title} {candidate.body}"
    said = any(f"{negator}{term.text}" in text for negator in NEGATED_FORMS)
    return term_match(term, candidate) if said else 0.0


def score(candidate, query, rarity, matches=None):
    """The candidate's score; ``matches`` (a dict), when given, receives each term's match."""
    total, covered, possible = 0.0, 0.0, 0.0
    for term in query.terms:
        weight = term.weight * rarity[term.text]
        match = _match(term, candidate)
        if matches is not None:
            matches[term.text] = match
        if term.negated:
            continue  # neither for nor against a document
        possible += weight
        if match:
            covered += weight
            total += weight * match
    compact = query.text.replace(" ", "")
    if len(compact) >= 3:
        for field, bonus in PHRASE_BONUS.items():
            if compact in getattr(candidate, field):
                total += bonus
                break
    coverage = covered / possible if possible else 0.0
    total *= 0.4 + 0.6 * coverage
    if query.products and not any(
        name in candidate.context or name in candidate.title for name in query.products
    ):
        total *= OTHER_PRODUCT_FACTOR
    return total


def _in_pieces(term, candidate, text, titles):
    """Whether a candidate has a typed word only in pieces while another document has it whole
    in its title: 提前 here and 还款 there is not 提前还款, the topic of that other document."""
    if not term.typed or term.negated or term.latin or len(term.text) < 3 or term.text in text:
        return False
    if not any(term.text in title for title in titles):
        return False
    readings = candidate.title_pinyin | candidate.context_pinyin
    return not any(p in readings for p in term.pinyin)


def _credit_words_elsewhere(having, slug):
    """The query's words of credit (or others) that the candidate's article does not have but
    another does: 分期乐借款审核要多久 asks about 审核, the topic of some other product's
    article.
    ``having`` maps each such word to the articles (slugs) whose candidates have it: the
    article's text as far as the candidates show it (a document without any of the query's
    words is no candidate)."""
    return [word for word, slugs in having.items() if slugs and slug not in slugs]


def _articles_having(query, candidates, words):
    having = {word: set() for word in words}
    for candidate in candidates if words else ():
        for word in words:
            if word in candidate.title or word in candidate.body or word in candidate.context:
                having[word].add(candidate.doc.article_slug)
    return having


def _credit_words(query):
    return [t.text for t in query.terms if t.typed and not t.negated and t.text in CREDIT_WORDS]


def _title_words(query, candidates):
    """The query's other content words some document has in its title: 关闭 of 美团月付怎么关闭,
    a word of the 借呗 article's title."""
    return [
        t.text
        for t in content_words(query)
        if t.text not in CREDIT_WORDS
        and not t.product
        and not any(t.text in name for name in query.mentions)
        and any(t.text in c.title for c in candidates)
    ]


def rank(candidates, query, rarity, unknown=frozenset()):
    """(score, candidate, confident) best first; ties go to the whole article, then to
    document order. ``confident``: whether search stands behind the candidate as an answer
    (kb.search.confidence); ``unknown``: the query's words no document has."""
    scored, titles = [], [c.title for c in candidates]
    short = not tells_story(query)  # a story's incidental words may be anyone's
    having = _articles_having(query, candidates, _credit_words(query)) if short else {}
    titled = _articles_having(query, candidates, _title_words(query, candidates)) if short else {}
    for candidate in candidates:
        matches = {}
        value = score(candidate, query, rarity, matches)
        if value > 0:
            text = f"{candidate.title} {candidate.context} {candidate.body}"
            about = f"{candidate.title} {candidate.context}"
            pieces = [t.text for t in query.terms if _in_pieces(t, candidate, text, titles)]
            pieces += _credit_words_elsewhere(having, candidate.doc.article_slug)
            matches.update(dict.fromkeys(pieces, 0.0))
            # Words of some document's title this article has nowhere, while another has them.
            lacks = _credit_words_elsewhere(titled, candidate.doc.article_slug)
            confident = stands_behind(
                query, matches, rarity, text, about, unknown, pieces, lacks=lacks
            )
            scored.append((value, candidate, confident))
    scored.sort(key=lambda sc: (-round(sc[0], 6), sc[1].doc.kind != "article", sc[1].doc.id))
    return _cause_first(scored)


def _cause_first(scored):
    """A cause that has nearly all its article has of the query answers it more precisely than
    the whole article (and shows its remedies right under it): it goes first."""
    if not scored or scored[0][1].doc.kind != "article" or not scored[0][2]:
        return scored
    top, article = scored[0][0], scored[0][1].doc.article_slug
    for i, (value, candidate, confident) in enumerate(scored[1:], start=1):
        if value < top * CAUSE_SHARE:
            break
        if confident and candidate.doc.article_slug == article:
            return [scored[i], *scored[:i], *scored[i + 1 :]]
    return scored


SNIPPET_CHARS = 90


def snippet(candidate, query):
    """HTML-escaped text around the best match, with <mark> around the matched words."""
    words = sorted(query.highlight_words, key=len, reverse=True)
    for field in ("body", "title"):
        original, normalised = getattr(candidate.doc, field), getattr(candidate, field)
        spans = _find_spans(normalised, words)
        if spans:
            return _render(original, spans)
    body = candidate.doc.body or candidate.doc.title
    return escape(body[:SNIPPET_CHARS] + ("…" if len(body) > SNIPPET_CHARS else ""))


def _find_spans(text, words):
    """Non-overlapping (start, end) of the words in text, longest words first."""
    taken = [False] * len(text)
    spans = []
    for word in words:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not any(taken[start:end]):
                spans.append((start, end))
                taken[start:end] = [True] * len(word)
            start = text.find(word, end)
    return sorted(spans)


def _render(text, spans):
    # A window that holds as many matches as fit, starting a little before the first one.
    best_start, best_count = spans[0][0], 0
    for start, _ in spans:
        count = sum(1 for s, e in spans if start <= s and e <= start + SNIPPET_CHARS)
        if count > best_count:
            best_start, best_count = start, count
    sentence_start = max(text.rfind(mark, 0, best_start) for mark in ("。", "！", "？", "\n"))
    window_start = sentence_start + 1 if best_start - sentence_start <= 30 else best_start - 10
    window_start = max(0, window_start)
    window_end = min(len(text), window_start + SNIPPET_CHARS)
    parts, cursor = [], window_start
    for start, end in spans:
        if start < window_start or end > window_end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:window_end]))
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    return prefix + "".join(parts).replace("\n", " ").strip() + suffix
