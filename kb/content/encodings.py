"""Read a source text's bytes in the encodings scraped Chinese text arrives in: UTF-8 (with or
without a byte-order mark), UTF-16 (with a mark, or without one when the bytes read as text) and
GB18030 (a superset of GBK and GB2312). Anything else is refused with ``file:line: reason``.

GB18030 decodes most byte strings without error, so a text read as GB18030 must also look like
text: a Latin-1 or Big5 file would come out as a run of rare characters and symbols.
"""

import codecs
import re

from .errors import ContentError

UTF8, UTF8_BOM, UTF16, GB18030 = "UTF-8", "UTF-8（带 BOM）", "UTF-16", "GB18030/GBK"

# Common Chinese characters, ASCII, CJK punctuation and full-width forms.
_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s]")
_MIN_PLAUSIBLE_SHARE = 0.95


def _utf16_without_bom(data):
    """The text of UTF-16 (little- or big-endian) bytes without a mark, if they read as text."""
    if len(data) < 2 or len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if ("\n" in text.strip("\n") or len(text) < 200) and _looks_like_text(text):
            return text
    return None


def _line_of(data, position):
    return data[:position].count(b"\n") + 1


def decode_source(data, path):
    """(text, encoding name) of a source file's bytes; ContentError if it is none of the above."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, data, 3), UTF8_BOM
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path, data, 0), UTF16
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError as error:
        utf8_error = error
    plain_utf16 = _utf16_without_bom(data)
    if plain_utf16 is not None:
        return plain_utf16, UTF16
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_text(text):
        return text, GB18030
    line = _line_of(data, utf8_error.start)
    raise ContentError(path, line, "not valid UTF-8, UTF-16 or GB18030/GBK text (save it as UTF-8)")


def _strict(body, encoding, path, data, offset):
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        line = _line_of(data, offset + error.start) if "8" in encoding else 0
        raise ContentError(path, line, f"not valid {encoding.upper()} text") from None


def _looks_like_text(text):
    sample = text[:20000]
    if not sample:
        return True
    return len(_PLAUSIBLE.findall(sample)) / len(sample) >= _MIN_PLAUSIBLE_SHARE
