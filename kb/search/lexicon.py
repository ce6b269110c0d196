"""The content's own words, and the slips readers make typing them: same- and similar-sounding
characters (余颚 for 余额, 崔收 for 催收; tones dropped, zh/z, ch/c, sh/s, n/l, in/ing, en/eng
confused) and one character missing, extra or replaced in longer words (通迅录 for 通讯录).

Built per index generation from the documents' own tokens (kb.search.statistics), so the words
of a new article are covered without a code change. A query word is corrected only when the
content does not have it as typed; a word of the dictionary (进账, 借过) only to a word of credit
(预期 -> 逾期) or to one that sounds the same, tones and all (身分证 -> 身份证): otherwise it is
the reader's own word, not a slip. A slip the segmenter cut across words (时网 + 落 of 时网落,
付年 + 令 of 月付年令) is found in the characters of the words the dictionary does not know.
"""

from collections import Counter
from functools import lru_cache

import pypinyin

from kb.text import segmenter

from .analyzer import CJK_RUN, CREDIT_WORDS, SEARCH_WORDS

# Initials and finals readers (and input methods) confuse; each maps to one form.
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FINALS = (("ing", "in"), ("eng", "en"))
# Edits are trusted in words of this many characters or more: in shorter ones, one character
# is half the word.
EDIT_LENGTH = 3
# Longest run of the query's words read as one slipped word (违约今 -> 违约金).
MAX_JOINED = 4


def _fuzzy(syllable):
    for typed, heard in _INITIALS:
        if syllable.startswith(typed):
            syllable = heard + syllable[len(typed) :]
            break
    for typed, heard in _FINALS:
        if syllable.endswith(typed):
            syllable = syllable[: -len(typed)] + heard
            break
    return syllable


@lru_cache(maxsize=65536)
def sound_key(word):
    """How a word sounds, with tones and the usual confusions dropped: 崔收 and 催收 -> 'cui sou'."""
    return " ".join(_fuzzy(s) for s in pypinyin.lazy_pinyin(word, errors="ignore"))


@lru_cache(maxsize=65536)
def _tones(word):
    return pypinyin.lazy_pinyin(word, style=pypinyin.Style.TONE3, errors="ignore")


def _dictionary_word(word):
    return len(word) > 1 and segmenter(SEARCH_WORDS).has_word(word)


def _deletions(word):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Lexicon:
    """The content's words (with how many documents have each) and their slip keys."""

    def __init__(self, counts=()):
        self.counts = Counter(dict(counts))
        self.by_sound, self.by_deletion = {}, {}
        for word in sorted(self.counts, key=lambda w: -self.counts[w]):  # commonest first
            self.by_sound.setdefault(sound_key(word), word)
            if len(word) >= EDIT_LENGTH:
                for key in _deletions(word):
                    self.by_deletion.setdefault(key, word)

    def __contains__(self, word):
        return word in self.counts

    def correct(self, word, edits=True):
        """The content word ``word`` is a slip of, or None (also for a word the content has).
        Without ``edits``, only by sound."""
        if word in self.counts or len(word) < 2 or not CJK_RUN.fullmatch(word):
            return None
        found = self.by_sound.get(sound_key(word))
        if found and _dictionary_word(word):
            # A word of its own: a slip only of a word of credit, or of a homophone.
            return found if found in CREDIT_WORDS or _tones(found) == _tones(word) else None
        if found or not edits or len(word) < EDIT_LENGTH:
            return found
        found = self.by_deletion.get(word)  # one character missing
        for i in range(len(word) - 1):  # or two swapped
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            found = found or (swapped if swapped in self.counts else None)
        return found

    def correct_words(self, words):
        """[(word, part of speech, negated)] with slips replaced by the content's words; a slip
        the segmenter cut in pieces (违约 + 今) is read whole, by its sound."""
        result, i = [], 0
        while i < len(words):
            for end in range(min(len(words), i + MAX_JOINED), i, -1):
                pieces = [w for w, _, _ in words[i:end]]
                joined = "".join(pieces)
                if end - i > 1 and (len(joined) > MAX_JOINED or all(p in self for p in pieces)):
                    continue
                fixed = self.correct(joined, edits=end - i == 1)
                if fixed:
                    result.append((fixed, words[i][1], words[i][2]))
                    i = end
                    break
            else:
                result.append(words[i])
                i += 1
        return self._recut(result)

    def _loose(self, word):
        """Whether a query word is no word the content, credit or the dictionary knows: its
        characters may belong to a slipped word cut across words (时网 + 落)."""
        return (
            CJK_RUN.fullmatch(word) is not None
            and word not in self
            and word not in CREDIT_WORDS
            and not _dictionary_word(word)
        )

    def _recut(self, words):
        """The words with the content words found in the characters of each run of loose words
        (see _loose): 时网 + 落 -> 时 + 网络, 用美团 -> 用 + 美团."""
        result, run = [], []
        for entry in [*words, None]:
            if entry is not None and self._loose(entry[0]):
                run.append(entry)
                continue
            result.extend(self._recut_run(run) if any(len(w) > 1 for w, _, _ in run) else run)
            run = []
            if entry is not None:
                result.append(entry)
        return result

    def _recut_run(self, run):
        chars, owner = "", []
        for index, (word, _, _) in enumerate(run):
            chars += word
            owner += [index] * len(word)
        found, k = [], 0
        while k < len(chars):
            for n in range(min(MAX_JOINED, len(chars) - k), 1, -1):
                piece = chars[k : k + n]
                # A window within one typed word is that word; it must reach across words or
                # into a longer one (用美团).
                if piece == run[owner[k]][0]:
                    continue
                fixed = piece if piece in self else self.correct(piece, edits=False)
                if fixed:
                    found.append((k, k + n, fixed))
                    k += n
                    break
            else:
                k += 1
        if not found:
            return run
        result, k = [], 0
        for start, stop, fixed in found:
            result.extend(self._leftover(run, owner, chars, k, start))
            _, part, negated = run[owner[start]]
            result.append((fixed, part, negated))
            k = stop
        result.extend(self._leftover(run, owner, chars, k, len(chars)))
        return result

    @staticmethod
    def _leftover(run, owner, chars, start, stop):
        """The characters between found words: the typed words still whole, else characters."""
        result, k = [], start
        while k < stop:
            word, part, negated = run[owner[k]]
            whole = chars[k : k + len(word)] == word and (k == 0 or owner[k - 1] != owner[k])
            if whole and k + len(word) <= stop:
                result.append((word, part, negated))
                k += len(word)
            else:
                result.append((chars[k], part, negated))
                k += 1
        return result
