"""Whether search stands behind a document as the answer to a query, or only offers it as
related reading (issue 12: no answer rather than a wrong one).

Decided from what the query says that the document does not, never from a raw score: the
query's content words (words that name things or actions, not times, numbers, adverbs and the
like, nor what the reader says is not the case) that are specific (rare in the index, or in no
document at all) and that the document does not have, nor a synonym of them. A document
lacking some answers only when it shares more with the query than the product's name: in a
short question more concepts than it lacks (every word is the question), in a story about as
many (incidental detail is expected). And a question about a credit product
(kb.search.query.PRODUCT_ENDINGS) is answered only by a document naming that product.
"""

from .analyzer import STOPWORDS

# jieba's parts of speech of incidental words: time (t), number (m), quantity (q), adverb (d),
# adjective (a), idiom (i), set phrase (l), direction (f), pronoun (r), preposition (p),
# conjunction (c), particles (u, y, e, o).
INCIDENTAL_TAGS = frozenset("tmqdailfrpcuyeo")
# A word in at most about 6 % of the documents (idf >= 2.8) says something specific.
SPECIFIC_IDF = 2.8
# A query with this many content words tells a story.
STORY_WORDS = 6
# A document that lacks some of the query's specific words answers it only when it shares at
# least this many concepts with it (and more, see stands_behind).
ANSWER_SHARED = 2


def _content_word(term):
    """Whether a typed term says what the question is about (see the module docstring)."""
    if not term.typed or term.negated or term.latin or len(term.text) < 2:
        return False
    return term.tag[:1] not in INCIDENTAL_TAGS


def _segmenting_slip(term):
    # 给关 of 借呗给关了, 太卡 of 网太卡: a function character glued to a word by the segmenter
    # is no word of its own.
    return term.text[0] in STOPWORDS or term.text[-1] in STOPWORDS


def content_words(query):
    return [t for t in query.terms if _content_word(t)]


def gaps(query, matches, rarity):
    """The specific content words of the query that a document does not have, nor a synonym
    of them: what the question says that the document does not. ``matches`` maps each term's
    text to how well the document has it (kb.search.ranking.score)."""
    explained = _explained(query, matches)
    return [
        term.text
        for term in content_words(query)
        if rarity[term.text] >= SPECIFIC_IDF
        and not matches.get(term.text)
        and not _segmenting_slip(term)
        and not any(term.text in phrase for phrase in explained)
    ]


def _explained(query, matches):
    """The synonym phrases of the query whose expansions a document has."""
    return {phrase for phrase, words in query.expanded if any(matches.get(w) for w in words)}


def shared(query, matches):
    """What the query and a document share, counted once per concept: each typed word the
    document has, and each synonym whose expansions it has (骚扰电话 -> 催收电话 is one)."""
    concepts = {
        t.text
        for t in query.terms
        if t.typed and len(t.text) > 1 and not t.negated and t.weight == 1 and matches.get(t.text)
    }
    for phrase in _explained(query, matches):
        concepts = {c for c in concepts if c not in phrase}
        concepts.add(phrase)
    return concepts


def stands_behind(query, matches, rarity, text):
    """Whether a document answers the query (see the module docstring); ``text`` is all of
    the document's text."""
    explained = _explained(query, matches)
    absent = [
        name
        for name in query.mentions
        if name not in text and not any(name in p or p in name for p in explained)
    ]
    if absent and len(absent) == len(query.mentions):
        return False  # another product's question
    missing = gaps(query, matches, rarity) + absent
    if not missing:
        return True
    have = shared(query, matches)
    # What the document shares must be more than the product's name: 京东白条怎么开通 is not
    # answered by an article about 京东白条's collection calls.
    about = [word for word in have if not any(word in name for name in query.mentions)]
    if not about or len(have) < ANSWER_SHARED:
        return False
    # A story tells more than its question; a short question is all question.
    return len(missing) <= len(have) + 1 if _story(query) else len(missing) < len(have)


def _story(query):
    return len(content_words(query)) >= STORY_WORDS
