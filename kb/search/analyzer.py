"""The one analyzer: the same steps turn document texts and queries into words and tokens.

normalize (NFKC, lowercase, pinyin glosses removed, traditional -> simplified) -> segment with
rjieba (search mode for the index, precise mode for queries; domain dictionary, stopwords
dropped) -> overlapping CJK bigrams as a recall net -> pinyin of titles (joined syllables for
every reading of polyphonic characters, initials, syllables). What a query means (products,
typed pinyin, synonyms) is kb.search.query's business, on top of these steps.

Bump ANALYZER_VERSION whenever the tokens it produces change: the index is then rebuilt.
"""

import itertools
import operator
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pypinyin

from kb.text import (
    CJK,
    DOMAIN_WORDS,
    read_word_list,
    remove_pinyin_artefacts,
    segment,
    segment_for_search,
    to_simplified,
)

ANALYZER_VERSION = 4

DATA = Path(__file__).parent / "data"
# Compounds of the domain, so that 提前还款 is one term as well as 提前 + 还款.
SEARCH_WORDS = read_word_list(DATA / "search_words.txt")
STOPWORDS = frozenset(read_word_list(DATA / "stopwords.txt"))
# General vocabulary of consumer credit (kb.search.confidence, kb.search.query).
CREDIT_WORDS = frozenset(read_word_list(DATA / "credit_words.txt"))

CJK_RUN = re.compile(f"[{CJK}]+")
_TOKEN = re.compile(rf"[{CJK}]+|[a-z0-9]+")
MAX_READING_COMBOS = 8


def normalize(text):
    """Canonical search text: NFKC, lowercase, pinyin glosses removed, simplified characters."""
    text = unicodedata.normalize("NFKC", text or "").replace("\x00", " ")
    return to_simplified(remove_pinyin_artefacts(text)).lower()


@lru_cache(maxsize=4096)
def _word_parts(token):
    """The words inside a token that is not all letters and digits: none in a punctuation mark
    or a space, the runs of an odd mix. Remembered: a few dozen marks make most of them."""
    return tuple(_TOKEN.findall(token))


def words(text):
    """Index/query words of normalised text: rjieba search mode, without stopwords or
    punctuation; Latin and digit runs are words too."""
    # One comprehension over a hundred thousand tokens an import: nearly every token is a word
    # or a punctuation mark, and a plain loop's calls cost as much as the segmentation.
    return [
        word
        for token in segment_for_search(text, SEARCH_WORDS)
        for word in ((token,) if token.isalnum() else _word_parts(token))
        if word not in STOPWORDS
    ]


def query_words(text):
    """The words of a query in reading order (rjieba precise mode): one term per concept, so
    紧急联系人 counts once, not also as 紧急, 联系 and 联系人."""
    result = []
    for token in segment(text, SEARCH_WORDS):
        for part in _TOKEN.findall(token):
            if part not in STOPWORDS:
                result.append(part)
    return result


@lru_cache(maxsize=65536)
def usual_reading(word):
    """The joined pinyin of a word as usually read (phrase-aware): 还款 -> huankuan."""
    return "".join(pypinyin.lazy_pinyin(word, style=pypinyin.Style.NORMAL, errors="ignore"))


def ngrams(text, singles=True):
    """Overlapping CJK bigrams, and single characters unless ``singles`` is false, of
    normalised text. (Documents index single characters of their titles only: a one-character
    query is rare, and a body's characters would double the index.)"""
    result = []
    for run in CJK_RUN.findall(text):
        if singles:
            result.extend(run)
        result.extend(map(operator.add, run, run[1:]))  # run[i : i + 2] for every i
    return result


@lru_cache(maxsize=8192)
def char_readings(char):
    """Every toneless reading of a character: 还 -> ('huan', 'hai', 'fu')."""
    readings = pypinyin.pinyin(char, heteronym=True, style=pypinyin.Style.NORMAL, errors="ignore")
    return tuple(dict.fromkeys(readings[0])) if readings else ()


@lru_cache(maxsize=65536)
def initials(word):
    return "".join(r[0] for r in pypinyin.lazy_pinyin(word, errors="ignore") if r)


@lru_cache(maxsize=65536)
def word_readings(word):
    """Joined pinyin of a word for its usual reading and, within a bound, every other reading
    of its polyphonic characters: 还款 -> huankuan, haikuan, ..."""
    usual = usual_reading(word)
    per_char = [char_readings(ch) or (ch,) for ch in word if "\u3400" <= ch <= "\u9fff"]
    combos = (
        "".join(c) for c in itertools.islice(itertools.product(*per_char), MAX_READING_COMBOS)
    )
    return tuple(dict.fromkeys([usual, *combos]))


@lru_cache(maxsize=65536)
def word_pinyin_tokens(word):
    """Pinyin tokens of one word: its joined readings, its initials, and each character's
    syllables. Remembered: the titles of a thousand articles share a few hundred words."""
    tokens = list(word_readings(word))
    if len(word) > 1:
        tokens.append(initials(word))
    for ch in word:
        tokens.extend(char_readings(ch))
    return tuple(tokens)


def pinyin_tokens(text):
    """Pinyin tokens of a title: joined readings and initials of each word, and syllables."""
    tokens = []
    for word in segment(text, SEARCH_WORDS):
        if CJK_RUN.fullmatch(word) and word not in STOPWORDS:
            tokens.extend(word_pinyin_tokens(word))
    return tokens


def unique(tokens):
    """The tokens in first-seen order, each once, without empty ones."""
    result = dict.fromkeys(tokens)
    result.pop("", None)
    return list(result)


__all__ = [
    "ANALYZER_VERSION",
    "CJK_RUN",
    "CREDIT_WORDS",
    "DOMAIN_WORDS",
    "SEARCH_WORDS",
    "STOPWORDS",
    "ngrams",
    "normalize",
    "pinyin_tokens",
    "query_words",
    "unique",
    "usual_reading",
    "words",
]
