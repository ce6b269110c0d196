"""Whether search stands behind a document as the answer to a query, or only offers it as
related reading (issue 12: no answer rather than a wrong one).

Decided from what the query says that the document does not, never from a raw score: the
query's content words (words that name things or actions, not times, numbers, adverbs and the
like, nor what the reader says is not the case) that are specific (rare in the index, or in no
document at all) and that the document does not have, nor a synonym of them. A document
lacking some answers only when it shares more with the query than the product's name: in a
short question more concepts than it lacks (every word is the question), in a story about as
many (incidental detail is expected). And a question about a credit product
(kb.search.query.PRODUCT_ENDINGS) is answered only by a document about that product: naming it
in its title or context, or, for a story, anywhere in its text.

What the whole content lacks weighs most. A name no document has (of a product, a company:
招联, 度小满) in a short question is a product the question is about, which no document is. A
word of consumer credit (kb/search/data/credit_words.txt) in a short question that no document
has (提额, 年费), or that the document's article lacks while another article has it (审核 of
分期乐借款审核要多久), is a topic the document does not cover: it answers only if it shares
more than it lacks besides the product's name. Everyday words absent from the content (a
story's lunch, payday, fridge) are only counted as missing. And a document that has a query's
word only in pieces while another has it whole in its title (提前 here and 还款 there, where
another article is about 提前还款) does not have it (kb.search.ranking).

Nor does a document have a word of credit no document has whole, whatever its pieces match
(最低 + 还款 of 最低还款), nor, in a short question, a noun the question qualifies by a word no
document has (取现 of 信用卡取现手续费: the article's 手续费 are 分期手续费). A question of 20
characters or more tells a story, however few of its words are content words. A short
question sharing no more than the product's name with a document, whose article lacks a word
of another article's titles (关闭 of 美团月付怎么关闭), is that other topic's question.
"""

from itertools import pairwise

from kb.text import segmenter

from .analyzer import CJK_RUN, CREDIT_WORDS, SEARCH_WORDS, STOPWORDS

# jieba's parts of speech of incidental words: time (t), number (m), quantity (q), adverb (d),
# adjective (a), idiom (i), set phrase (l), direction (f), pronoun (r), preposition (p),
# conjunction (c), particles (u, y, e, o).
INCIDENTAL_TAGS = frozenset("tmqdailfrpcuyeo")
# A word in at most about 6 % of the documents (idf >= 2.8) says something specific.
SPECIFIC_IDF = 2.8
# jieba's parts of speech of names: person (nr), organisation (nt), other proper noun (nz),
# abbreviation (j). A name no document has is likely a product the content does not cover
# (招联, 安逸花): the segmenter reads unknown brand names so. Not places (ns): jieba tags
# everyday words so (东西), nor its subtler kinds (nrt: 卡里).
NAME_TAGS = frozenset({"nr", "nt", "nz", "j"})
# Nor does the dictionary know a product's name: the segmenter joins its characters into a noun
# or an adjective of its own guess (度小满); it guesses verbs for everyday speech (给关, 欠着).
GUESSED_NAME_TAGS = ("n", "a", "j")
# A query with this many content words, or this many characters, tells a story: everyday
# words and verbs (一看, 降到) it has beside its question are incidental.
STORY_WORDS = 6
STORY_CHARACTERS = 20
# A document that lacks some of the query's specific words answers it only when it shares at
# least this many concepts with it (and more, see stands_behind).
ANSWER_SHARED = 2


def _content_word(term):
    """Whether a typed term says what the question is about (see the module docstring)."""
    if not term.typed or term.negated or term.latin or len(term.text) < 2:
        return False
    return term.text in CREDIT_WORDS or term.tag[:1] not in INCIDENTAL_TAGS


def _segmenting_slip(term):
    # 给关 of 借呗给关了, 太卡 of 网太卡: a function character glued to a word by the segmenter
    # is no word of its own (会员 is one: a dictionary word; 太卡 is one there, as a place).
    if term.text[0] not in STOPWORDS and term.text[-1] not in STOPWORDS:
        return False
    return term.tag.startswith("ns") or not segmenter(SEARCH_WORDS).has_word(term.text)


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
    # A product's name is one concept, however the segmenter cut it (360 + 借条, 京东 + 白条).
    for name in query.mentions:
        parts = {c for c in concepts if c in name}
        if len(parts) > 1:
            concepts = (concepts - parts) | {name}
    for phrase in _explained(query, matches):
        if any(phrase in c for c in concepts):
            continue  # 骚扰 of 骚扰电话, had already
        concepts = {c for c in concepts if c not in phrase}
        concepts.add(phrase)
    return concepts


def _name(term):
    """Whether a word no document has reads as the name of a product, or of its company."""
    if term.text in CREDIT_WORDS:
        return False
    if term.tag in NAME_TAGS:
        return True
    return term.tag.startswith(GUESSED_NAME_TAGS) and not segmenter(SEARCH_WORDS).has_word(
        term.text
    )


def _unknown(query, matches, unknown, words):
    """The query's typed words that pass ``words`` (a test) and that no document has, nor a
    synonym of them."""
    explained = _explained(query, matches)
    return [
        term.text
        for term in query.terms
        if term.typed
        and not term.negated
        and not term.latin
        and len(term.text) > 1
        and term.text in unknown
        and not matches.get(term.text)
        and not _segmenting_slip(term)
        and not any(term.text in phrase for phrase in explained)
        and words(term)
    ]


def stands_behind(
    query, matches, rarity, text, about_text=None, unknown=frozenset(), elsewhere=(), lacks=()
):
    """Whether a document answers the query (see the module docstring); ``text`` is all of
    the document's text, ``about_text`` its title and context (what it is about), ``unknown``
    the query's words no document has, ``elsewhere`` its words the document has only in
    pieces while another has them whole in its title, ``lacks`` its other words the
    document's article has nowhere while another article has them, which a document sharing
    no more than the product's name does not answer (kb.search.ranking)."""
    explained = _explained(query, matches)
    story = tells_story(query)
    mentions = set(query.mentions)
    if not story:  # in a story a name may be incidental (同事小王)
        mentions.update(_unknown(query, matches, unknown, _name))
    # A word of credit no document has whole is no document's, whatever its pieces match
    # (最低 and 还款 are not 最低还款).
    whole = {w: 0.0 if w in unknown and w in CREDIT_WORDS else m for w, m in matches.items()}
    topics = _unknown(query, whole, unknown, lambda t: t.text in CREDIT_WORDS)
    matches = whole
    if not story:  # a story's words stand side by side by chance (一看 + 额度)
        matches = {**whole, **dict.fromkeys(_qualified(query, whole, text, unknown), 0.0)}

    def absent_from(where):
        return [
            name
            for name in mentions
            if name not in where and not any(name in p or p in name for p in explained)
        ]

    # Another product's question: a short one must name a product the document is about.
    named_in = text if about_text is None or story else about_text
    if mentions and len(absent_from(named_in)) == len(mentions):
        return False
    missing = gaps(query, matches, rarity)
    for word in [*absent_from(text), *elsewhere, *topics]:
        if word not in missing:
            missing.append(word)
    have = shared(query, matches)
    # What the document shares must be more than the product's name: 京东白条怎么开通 is not
    # answered by an article about 京东白条's collection calls, nor 美团月付怎么关闭 by the
    # one on 开通 (关闭 is in another article's title).
    about = [word for word in have if not any(word in name for name in query.mentions)]
    if not missing:
        return bool(about) or not lacks
    if not about or len(have) < ANSWER_SHARED:
        return False
    # A story tells more than its question; a short question is all question, and one about a
    # topic the document does not cover (no document does, or another has it as its title)
    # must share more than it lacks besides the product's name.
    if story:
        return len(missing) <= len(have) + 1
    return len(missing) < len(about if topics or elsewhere else have)


def _qualified(query, matches, text, unknown):
    """The query's nouns a document has only as another kind of the thing: the word before
    one, which no document has, says which kind (取现 of 取现手续费, where the document's
    手续费 are 分期手续费). Not a product's name: 想用 + 美团 is no kind of 美团."""
    compact = query.text.replace(" ", "")
    typed = [t for t in query.terms if t.typed and not t.latin]
    return [
        after.text
        for before, after in pairwise(typed)
        if _content_word(before)
        and before.text in unknown
        and not before.product
        and not any(before.text in name for name in query.mentions)
        and matches.get(after.text)
        and not any(after.text in name for name in query.mentions)
        and after.tag[:1] == "n"
        and f"{before.text}{after.text}" in compact
        and f"{before.text}{after.text}" not in text
    ]


def tells_story(query):
    if len(content_words(query)) >= STORY_WORDS:
        return True
    return len("".join(CJK_RUN.findall(query.text))) >= STORY_CHARACTERS
