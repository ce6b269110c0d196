"""Chinese text utilities shared by the importer and the search analyzer.

The source texts were scraped with pinyin glosses after some characters (``無(wú)法``), in
traditional characters and with ASCII punctuation. ``clean_text`` turns such text into the
canonical form we store: simplified characters, no glosses, Chinese punctuation.
"""

import re
import threading
from functools import lru_cache
from pathlib import Path

import opencc
import pypinyin
import rjieba

# CJK Unified Ideographs and Extension A; enough for the texts of a Chinese help centre.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_CJK_CHAR = re.compile(f"[{CJK}]")

# A pinyin gloss is a parenthesised run of Latin letters (tone marks included, as precomposed
# letters or combining marks) written straight after a Chinese character: 無(wú), 還(huán).
_PINYIN_GLOSS = re.compile(
    rf"(?<=[{CJK}])[(（]\s*[a-zA-Z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]{{1,8}}\d?\s*[)）]"
)

# ASCII punctuation that becomes full-width when it touches Chinese text.
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_ASCII_PUNCT = re.compile("[,:;?!]")
_ASCII_PUNCT_IN_CHINESE = re.compile(rf"(?<=[{CJK}])\s*([,:;?!])|([,:;?!])\s*(?=[{CJK}])")


def read_word_list(path):
    """The words of a word-list file: one a line, blank lines and ``#`` comments skipped, in the
    file's order."""
    with open(path, encoding="utf-8") as handle:
        lines = (line.strip() for line in handle)
        return tuple(line for line in lines if line and not line.startswith("#"))


# Words of the help centre's domain that a general dictionary splits or does not know (see the
# file's header).
DOMAIN_WORDS = read_word_list(Path(__file__).parent / "data" / "domain_words.txt")

# Readings that pypinyin's phrase list gets wrong for our domain (还 in 还款 is huan, not hai).
PINYIN_PHRASES = {
    "还款": [["huán"], ["kuǎn"]],
    "还钱": [["huán"], ["qián"]],
    "还清": [["huán"], ["qīng"]],
    "还不了": [["huán"], ["bù"], ["liǎo"]],
    "还不上": [["huán"], ["bù"], ["shàng"]],
    "待还款": [["dài"], ["huán"], ["kuǎn"]],
    "花呗": [["huā"], ["bei"]],
}
pypinyin.load_phrases_dict(PINYIN_PHRASES)


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2tw():
    return opencc.OpenCC("s2tw")


# An OpenCC converter is not documented as thread-safe; gunicorn runs threaded workers.
_converter_lock = threading.Lock()


def to_simplified(text):
    """Traditional -> simplified characters (OpenCC ``t2s``)."""
    if not text:
        return text
    with _converter_lock:
        return _t2s().convert(text)


def to_traditional(text):
    """Simplified -> traditional characters in Taiwan's standard glyphs (OpenCC ``s2tw``), for
    the 繁體 variant of the public pages. Characters only, no phrase table: ``s2twp`` swaps
    words too, and turned 注销 (close an account) into 登出 (log out)."""
    if not text:
        return text
    with _converter_lock:
        return _s2tw().convert(text)


def remove_pinyin_artefacts(text):
    """``無(wú)法`` -> ``無法``: drop pinyin glosses that follow a Chinese character."""
    if "(" not in text and "（" not in text:  # most lines: no gloss, and no look-behind at each
        return text
    return _PINYIN_GLOSS.sub("", text)


# A pair of straight double quotes on one line with Chinese inside or beside it: “...”.
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')


def _chinese_quotes(match):
    inner = match.group(0)
    around = match.string[max(0, match.start() - 1) : match.end() + 1]
    return f"“{match.group(1)}”" if has_cjk(around) else inner


def normalize_punctuation(text):
    """Turn ASCII ``,:;?!`` that touch Chinese characters into their full-width forms, and
    straight double quotes around or beside Chinese text into Chinese ones (“...”)."""
    # Each substitution only where its mark occurs: the patterns look around every character.
    if _ASCII_PUNCT.search(text):
        text = _ASCII_PUNCT_IN_CHINESE.sub(lambda m: _FULL_WIDTH[m.group(1) or m.group(2)], text)
    if '"' in text:
        text = _STRAIGHT_QUOTES.sub(_chinese_quotes, text)
    return text


def clean_text(text):
    """Canonical form of imported text: no pinyin glosses, simplified, Chinese punctuation."""
    return normalize_punctuation(to_simplified(remove_pinyin_artefacts(text))).strip()


def has_cjk(text):
    return bool(_CJK_CHAR.search(text))


@lru_cache(maxsize=4)
def segmenter(extra_words=()):
    """An rjieba segmenter with the domain dictionary (and ``extra_words``) loaded, built once
    per process and word list."""
    jieba = rjieba.Jieba()
    for word in (*DOMAIN_WORDS, *extra_words):
        jieba.add_word(word, None, None)
    return jieba


# rjieba's segmenter is not documented as thread-safe; gunicorn runs threaded workers.
_segment_lock = threading.Lock()


def segment(text, extra_words=()):
    """Words of ``text`` in reading order (rjieba precise mode)."""
    jieba = segmenter(tuple(extra_words))
    with _segment_lock:
        return jieba.cut(text)


def tag(text, extra_words=()):
    """(word, part of speech) of ``text`` in reading order (rjieba precise mode; the tags are
    jieba's: n noun, v verb, t time, m number, d adverb, ...; empty for added words)."""
    jieba = segmenter(tuple(extra_words))
    with _segment_lock:
        return jieba.tag(text)


def segment_for_search(text, extra_words=()):
    """Words and their sub-words (rjieba search mode), for indexing and queries."""
    jieba = segmenter(tuple(extra_words))
    with _segment_lock:
        return jieba.cut_for_search(text)


@lru_cache(maxsize=8192)
def word_pinyin(word):
    """Toneless pinyin of a word, one syllable per character: 还款 -> ('huan', 'kuan').
    Remembered: an import of a thousand articles asks for the same few hundred words."""
    return tuple(pypinyin.lazy_pinyin(word, style=pypinyin.Style.NORMAL, errors="ignore"))


# Function words that carry no meaning in a slug.
_SLUG_STOPWORDS = set("的了后给将时在被把和与及或吗呢啊么就也都")
_MAX_SLUG_WORDS = 8


def pinyin_slug(text, max_length=80):
    """A readable ASCII slug: 花呗分期后无法还款 -> ``huabei-fenqi-wufa-huankuan``.

    Words become joined pinyin, function words are dropped, and Latin letters and digits are kept.
    Returns an empty string only when ``text`` has nothing sluggable; callers supply a fallback.
    """
    parts = []
    for word in segment(text):
        word = word.strip().lower()
        if not word or word in _SLUG_STOPWORDS:
            continue
        part = "".join(word_pinyin(word)) if has_cjk(word) else re.sub(r"[^a-z0-9]+", "", word)
        if part:
            parts.append(part)
        if len(parts) == _MAX_SLUG_WORDS:
            break
    slug = "-".join(parts)
    while len(slug) > max_length and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:max_length]
