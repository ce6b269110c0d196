"""What a query means: the terms a reader asked about, built on the analyzer's words.

A product named (by its name, its pinyin or a homophone slip), typed pinyin read as the words it
spells (huabei yuqi -> 花呗, 逾期), sub-words and bigrams for partial matches, and the synonyms'
expansions; each term weighted for kb.search.ranking.
"""

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pypinyin.contrib.tone_convert import to_normal

from kb.text import segment_for_search, tag

from .analyzer import (
    _TOKEN,
    CJK_RUN,
    CREDIT_WORDS,
    SEARCH_WORDS,
    STOPWORDS,
    normalize,
    query_words,
    unique,
    usual_reading,
)

# Longer text is cut: no question to a help centre needs more, and it bounds the work per search.
MAX_QUERY_LENGTH = 100
LONE_CHARACTER_WEIGHT = 0.5
MAX_SPAN_SYLLABLES = 6

_LATIN_RUN = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"[0-9]+")

# A word right after one of these is what the reader says is NOT the case (不是担保人, 从来没逾期):
# it must not make a document about that word the answer. Not 没 or 没有: 没到账, 没钱 and
# 没有分期按钮 are the problem itself.
NEGATORS = frozenset({"不是", "并非", "并不是", "从来没", "从来没有", "从没", "从未"})
# How the names of credit products end (房贷, 微粒贷, 美团月付, 京东白条, 信用卡): a word
# so ending, or a word and the ending the segmenter cut off (微粒 + 贷), names a product, which
# a document must name too to answer the question (kb.search.confidence).
PRODUCT_ENDINGS = ("贷", "呗", "月付", "后付", "白条", "借条", "金条", "信用卡")
# Endings that name a product only after a name (公积金贷款; 贷款 alone is any loan).
NAMED_ENDINGS = ("贷款",)
_NOUNISH = ("n", "j", "")

# A verb and 不了 (开不了, 还不了) says the reader cannot: what the texts write 无法.
GRAMMAR_SYNONYMS = (("不了", ("无法",)),)

# 明明…却…: what comes after 明明, up to the clause's end or the turn, is fine, not the problem.
GRANTED = "明明"
TURNS = frozenset({"却", "但", "但是", "可是", "可", "还是", "结果"})
CLAUSE_END = re.compile(r"[，。！？；,.!?;\s]")


@lru_cache(maxsize=1)
def syllables():
    """Every toneless pinyin syllable (about 400), for splitting typed pinyin."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {reading for value in pinyin_dict.values() for reading in value.split(",")}
    found = {to_normal(reading).replace("ü", "v") for reading in readings}
    return frozenset(s for s in found if s.isascii() and s.isalpha())


def split_pinyin(text):
    """'huabeihuankuan' -> ['hua', 'bei', 'huan', 'kuan'], or None when it is not pinyin.

    Longest syllable first, with backtracking (xian -> xian, not xi + an, unless needed).
    """
    known = syllables()

    @cache
    def split(i):
        if i == len(text):
            return ()
        for j in range(min(len(text), i + 6), i, -1):
            if text[i:j] in known:
                rest = split(j)
                if rest is not None:
                    return (text[i:j], *rest)
        return None

    result = split(0)
    return list(result) if result else None


@dataclass
class Term:
    """One thing the reader asked about, with the ways a document may contain it.

    ``text`` is matched in a document's words or as a substring; ``pinyin`` alternatives are
    matched against title pinyin; ``weight`` is lower for terms that came from a synonym.
    """

    text: str
    pinyin: list[str] = field(default_factory=list)
    weight: float = 1.0
    latin: bool = False
    parts: list[str] = field(default_factory=list)  # sub-words: 资金不足 -> 资金, 不足
    product: str | None = None  # the product this term names (分期乐, fenqile, 花被 -> 花呗)
    typed: bool = True  # False for a synonym's expansion
    tag: str = ""  # jieba's part of speech of a typed word ("" when unknown)
    negated: bool = False  # said not to be the case (see NEGATORS)

    @property
    def index_tokens(self):
        """Tokens to look the term up with in the index (any of them may match)."""
        tokens = [] if self.latin and len(self.pinyin) > 1 else [self.text]
        tokens += self.parts
        if not self.latin and len(self.text) > 1:
            tokens += [self.text[i : i + 2] for i in range(len(self.text) - 1)]
        return unique(tokens + self.pinyin)


@dataclass
class Query:
    raw: str
    text: str  # normalised and cut to MAX_QUERY_LENGTH
    terms: list[Term]
    truncated: bool = False
    # The products the reader named, as the documents' texts write them.
    products: frozenset = frozenset()
    # (phrase, expansion words) of each synonym the query contains.
    expanded: tuple = ()
    # The credit products the query names (see PRODUCT_ENDINGS), named products included.
    mentions: frozenset = frozenset()

    @property
    def highlight_words(self):
        found = unique(t.text for t in self.terms if not t.latin or len(t.pinyin) <= 1)
        # A lone character (还 of 还不了) would light up half the text; keep words when there are.
        longer = [w for w in found if len(w) > 1]
        return longer or found

    def __bool__(self):
        return bool(self.terms)


def _parts(word):
    if len(word) < 3:
        return []
    return unique(w for w in segment_for_search(word, SEARCH_WORDS) if len(w) > 1 and w != word)


def _latin_terms(run):
    """Terms for a run of Latin letters: a pinyin word (huabei), spaced syllables (hua), or an
    ordinary word (wifi)."""
    parts = split_pinyin(run)
    if parts and len(parts) > 1:
        # Typed without spaces (huabeihuankuan): the whole run, and each syllable, as pinyin.
        return [Term(text=run, pinyin=[run], latin=True)] + [
            Term(text=p, pinyin=[p], latin=True, weight=0.6) for p in parts
        ]
    return [Term(text=run, pinyin=[run], latin=True)]


def _cjk_term(word, tag="", negated=False):
    # Documents carry every reading of their titles' words; a query needs only the usual one.
    # A lone character (还 of 还完, 找) is a weak clue beside the words of the query.
    weight = LONE_CHARACTER_WEIGHT if len(word) == 1 else 1.0
    return Term(
        text=word,
        pinyin=[usual_reading(word)],
        weight=weight,
        parts=_parts(word),
        tag=tag,
        negated=negated,
    )


def _joined_endings(words):
    """The words with 月 + 付 (美团 + 月 + 付) read as the one ending 月付."""
    result = []
    for word in words:
        if result and result[-1] in ("月", "后") and word == "付":
            result[-1] += word
        else:
            result.append(word)
    return result


def product_mentions(words):
    """The credit products named among (word, part of speech, negated): see PRODUCT_ENDINGS."""
    parts = dict((word, part) for word, part, _ in words)
    found, previous = [], None
    for word in _joined_endings([w for w, _, _ in words]):
        part = parts.get(word, "n")
        if word in PRODUCT_ENDINGS or word in NAMED_ENDINGS:
            # An ending on its own ends the name before it (微粒 + 贷, 京东 + 白条, 公积金 +
            # 贷款); a whole one (白条, 信用卡) is a name by itself too.
            if previous is not None and (word in NAMED_ENDINGS or previous not in CREDIT_WORDS):
                previous += word
                found.append(previous)
            elif word in PRODUCT_ENDINGS and len(word) > 1:
                found.append(word)
            continue
        # A word so ending is a product's name, words of credit too (房贷, 车贷, 助学贷款).
        if (
            CJK_RUN.fullmatch(word)
            and (part[:1] in _NOUNISH or word in CREDIT_WORDS)
            and word.endswith(PRODUCT_ENDINGS + NAMED_ENDINGS)
            and word not in PRODUCT_ENDINGS + NAMED_ENDINGS
        ):
            found.append(word)
        # A name before an ending is a noun of two characters or more (not 笔 of 那笔白条), or a
        # number (360借条; jd of jd白条 is no part of the name 京东白条). A word of credit
        # (银行卡 of 用银行卡还白条) names no product, but a kind of loan (公积金贷款).
        if _DIGITS.fullmatch(word) or (
            part[:1] in _NOUNISH and CJK_RUN.fullmatch(word) and len(word) > 1
        ):
            previous = word
        else:
            previous = None
    # 京东 + 白条 gives 京东白条, and 白条 alone would too: keep the longest form of each.
    return {m for m in found if not any(m != o and o.endswith(m) for o in found)}


def _split_endings(tokens):
    """(token, part of speech) with the endings of products' names cut off the characters the
    segmenter glued them to: 付 after 月 (月 + 付开 of 美团月付开不了), so that 月 + 付 reads as
    the ending 月付, and a verb before a whole ending (用月付 of 用月付买 -> 用 + 月付)."""
    result = []
    for token, part in tokens:
        if result and result[-1][0] in ("月", "后") and token[:1] == "付" and len(token) > 1:
            result.append(("付", part))
            token = token[1:]
        elif len(token) > 2 and part[:1] == "v" and token[1:] in PRODUCT_ENDINGS:
            result.append((token[0], part))
            token, part = token[1:], "n"
        result.append((token, part))
    return result


def _credit_terms(tokens):
    """(token, part of speech) with the words of credit the segmenter cut in pieces read whole:
    最低 + 还款 is 最低还款, 到 + 账 is 到账 (kb/search/data/credit_words.txt)."""
    result, i = [], 0
    while i < len(tokens):
        for end in range(min(len(tokens), i + 3), i + 1, -1):
            joined = "".join(token for token, _ in tokens[i:end])
            if joined in CREDIT_WORDS:
                result.append((joined, "n"))
                i = end
                break
        else:
            result.append(tokens[i])
            i += 1
    return result


def tagged_words(text):
    """(word, part of speech, negated) of a query piece in reading order, as query_words cuts
    it, with what the reader says is not the case marked (NEGATORS, 明明…却…)."""
    result, negate_next, granted = [], False, False
    for token, part in _credit_terms(_split_endings(tag(text, SEARCH_WORDS))):
        if CLAUSE_END.fullmatch(token):
            negate_next = granted = False
            continue
        if token in NEGATORS:
            negate_next = True
            continue
        if token == GRANTED:
            granted = True
            continue
        if token in TURNS:
            granted = negate_next = False
        for word in _TOKEN.findall(token):
            if word in STOPWORDS:
                continue
            result.append((word, part, negate_next or granted))
            negate_next = False
    return result


def vocabulary_of(words):
    """Usual reading -> word, for the words typed pinyin may stand for (the first word of a
    reading wins: pass the domain's own words first). Single characters are left out: one
    syllable stands for too many."""
    result = {}
    for word in words:
        if len(word) > 1 and CJK_RUN.fullmatch(word):
            result.setdefault(usual_reading(word), word)
    return result


def _product_by_sound(term, readings):
    """The product a term names by sound: typed pinyin (fenqile) or a homophone slip (花被 for
    花呗). ``readings`` maps each all-Chinese product name to its usual reading."""
    if term.weight < 1.0 or not term.pinyin:  # a lone syllable of longer pinyin names nothing
        return None
    for name, reading in readings.items():
        if reading in term.pinyin:
            return name
    return None


@lru_cache(maxsize=16)
def _names_pattern(names):
    ordered = sorted(names, key=len, reverse=True)  # 花呗分期 before 花呗
    return re.compile("|".join(re.escape(name) for name in ordered))


def _pieces(text, names):
    """``text`` cut around the product names it contains: [(piece, is a product name)]. The
    segmenter would cut a name it does not know (京东白条) into words of its own."""
    if not names:
        return [(text, False)]
    pieces, position = [], 0
    for match in _names_pattern(tuple(sorted(names))).finditer(text):
        pieces.append((text[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    pieces.append((text[position:], False))
    return [(piece, named) for piece, named in pieces if piece]


def _syllables(latin_words):
    """(run index, syllable index, syllable, syllables in the run) of typed pinyin; None for a
    run that is not pinyin."""
    result = []
    for run_index, run in enumerate(latin_words):
        parts = split_pinyin(run)
        if not parts:
            result.append(None)
            continue
        result.extend((run_index, i, syllable, len(parts)) for i, syllable in enumerate(parts))
    return result


def _readable_span(span):
    """Whether a span of syllables may be read as one word: within one run (fenqile), or across
    the spaces between single syllables (fen qi le), but not across a space that ends a longer
    run (fenqi le is 分期了, not 分期乐)."""
    if None in span:
        return False
    return len({s[0] for s in span}) == 1 or all(s[3] == 1 for s in span)


def transliterate(latin_words, vocabulary):
    """The words that typed pinyin stands for: 'huabei yuqi bu neng' -> 花呗, 逾期, 不能 when the
    vocabulary knows them. Runs are cut into syllables (split_pinyin) and read left to right,
    longest known span of syllables first (see _readable_span).

    Returns (words, covered): the words found, and the syllables (run index, syllable index)
    they account for."""
    return _read_syllables(_syllables(latin_words), vocabulary)


def _read_syllables(syllables, vocabulary):
    found, covered, start = [], set(), 0
    while start < len(syllables):
        for end in range(min(len(syllables), start + MAX_SPAN_SYLLABLES), start + 1, -1):
            span = syllables[start:end]
            if not _readable_span(span):
                continue
            word = vocabulary.get("".join(s[2] for s in span))
            if word:
                found.append(word)
                covered.update((s[0], s[1]) for s in span)
                start = end
                break
        else:
            start += 1
    return found, covered


def _uncovered_syllable_terms(latin_words, syllables, covered):
    """The syllable terms typed words account for at every place they were typed: those go
    (but not a run typed whole, huabei, which is a term of its own)."""
    covered_texts, kept = set(), set()
    for entry in syllables:
        if entry is None:
            continue
        run_index, i, syllable, count = entry
        if count > 1:
            kept.add(latin_words[run_index])
        if (run_index, i) in covered:
            covered_texts.add(syllable)
        else:
            kept.add(syllable)
    return covered_texts - kept


def normalize_query(raw):
    """(text, truncated): the query as search reads it, normalised, its spaces folded, and cut
    to MAX_QUERY_LENGTH."""
    text = " ".join(normalize(raw).split())
    return text[:MAX_QUERY_LENGTH], len(text) > MAX_QUERY_LENGTH


def analyze_query(raw, synonyms=(), products=(), vocabulary=None, lexicon=None):
    """Turn what the reader typed into weighted terms. ``synonyms`` are (phrase, [expansions]);
    ``products`` the normalised names of the products (top-level categories), or a mapping of
    them to the form they have in the documents' texts; ``vocabulary`` the words typed pinyin
    may stand for (see vocabulary_of); ``lexicon`` the content's words, to correct slips of
    them (kb.search.lexicon)."""
    if not isinstance(products, dict):
        products = {name: name for name in products}
    text, truncated = normalize_query(raw)
    terms, mentions = [], set()
    for piece, is_product in _pieces(text, products):
        if is_product:
            terms.append(_cjk_term(piece))
            continue
        words = tagged_words(piece)
        if lexicon is not None:
            words = lexicon.correct_words(words)
        mentions |= product_mentions(words)
        for word, part, negated in words:
            if _LATIN_RUN.fullmatch(word):
                terms.extend(_latin_terms(word))
            elif CJK_RUN.fullmatch(word):
                terms.append(_cjk_term(word, part, negated))
            else:
                terms.append(Term(text=word, tag=part))
    latin_words = _LATIN_RUN.findall(text)
    # Spaced syllables (hua bei huan kuan): also try them joined, as one pinyin word.
    if len(latin_words) > 1:
        joined = "".join(latin_words)
        if split_pinyin(joined):
            terms.append(Term(text=joined, pinyin=[joined], latin=True, weight=0.6))
    # Typed pinyin also counts as the words it stands for, which are then found in any field
    # (a body has no pinyin) and expanded by the synonyms; the syllables those words account
    # for are no longer terms of their own (yu of yuqi is not 余).
    syllables = _syllables(latin_words)
    typed, covered = _read_syllables(syllables, vocabulary or {})
    if typed:
        gone = _uncovered_syllable_terms(latin_words, syllables, covered)
        terms = [t for t in terms if not (t.latin and t.text in gone)]
        terms.extend(_cjk_term(word) for word in typed)
    compact = text.replace(" ", "") + "".join(typed)
    expanded = []
    for phrase, expansions in (*synonyms, *GRAMMAR_SYNONYMS):
        if phrase and phrase in compact:
            words = [w for expansion in expansions for w in query_words(normalize(expansion))]
            expanded.append((phrase, tuple(words)))
            terms.extend(
                Term(
                    text=w,
                    pinyin=[usual_reading(w)] if CJK_RUN.fullmatch(w) else [],
                    weight=0.8,
                    typed=False,
                )
                for w in words
            )
    merged = {}
    for term in terms:  # one term per text: the strongest weight wins, typed before expanded
        kept = merged.get(term.text)
        if kept is None or (kept.weight, kept.typed) < (term.weight, term.typed):
            merged[term.text] = term
    # By sound only names written wholly in Chinese characters: 360借条 read aloud drops 360.
    readings = {name: usual_reading(name) for name in products if CJK_RUN.fullmatch(name)}
    named = set()
    for term in merged.values():
        term.product = term.text if term.text in products else _product_by_sound(term, readings)
        if term.product:
            named.add(products[term.product])
            term.negated = False  # 不是花呗的问题 still asks about 花呗
    return Query(
        raw=raw,
        text=text,
        terms=list(merged.values()),
        truncated=truncated,
        products=frozenset(named),
        expanded=tuple(expanded),
        mentions=frozenset(mentions | named),
    )
