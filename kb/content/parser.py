"""Parse the source texts into articles, causes and remedies.

The format (docs/architecture.md, "Source-text format"): a question line ending in a colon and
followed by ``1、...``; numbered causes ``N、标题``; paragraphs under each cause; a closing
paragraph after the last cause.
Each cause's paragraphs split into its explanation and its remedies (the actionable sentences);
the closing paragraph splits into the article's closing words (shown after the causes) and its
general advice. The answer-first summary is staff's (``Article.causes_summary`` when empty).
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.text import clean_text, pinyin_slug

from .advice import split_advice
from .encodings import decode_source
from .errors import ContentError


@dataclass
class ParsedCause:
    position: int
    title: str
    explanation: str
    remedies: list[str]
    line: int


@dataclass
class ParsedArticle:
    source_key: str
    title: str
    question: str
    closing: str
    advice: list[str]
    causes: list[ParsedCause]
    source_file: str
    source_line: int
    source_raw: str
    source_fingerprint: str = field(init=False)

    def __post_init__(self):
        self.source_fingerprint = hashlib.sha256(self.source_raw.encode()).hexdigest()


_CAUSE_LINE = re.compile(r"^\s*(\d{1,3})\s*[、.．]\s*(\S.*?)\s*$")
# The question line ends "...，通常是以下原因造成的：" or "...的原因如下："; the title keeps the
# problem itself and names it as causes: 花呗分期后无法还款的原因.
_QUESTION_TAILS = (
    re.compile(
        r"[，,]?\s*(?:通常|一般|主要|可能|往往)?(?:是|有|由)?(?:以下|下面|下列|如下)"
        r"(?:几个|几种|这些|两个|两种|[一二三四五六七八九十\d]+[个种条])?"
        r"(?:原因|情况|方面)?(?:造成|导致|引起|所致)?的?$"
    ),
    re.compile(r"的?(?:原因|情况)(?:主要)?(?:如下|有(?:以下|下面)?(?:几个|几种|这些)?)?$"),
)


def title_from_question(question):
    core = question.rstrip("：:").strip()
    for tail in _QUESTION_TAILS:
        core = tail.sub("", core).strip("，, ")
    return (core + "的原因") if core and not core.endswith("原因") else core


@dataclass
class _Block:
    question: str
    line: int
    raw_lines: list[str]
    causes: list[tuple[int, int, str, list[str]]] = field(default_factory=list)


def parse_text(text, path="<text>"):
    """Parse one source text (one or more articles) into ``ParsedArticle``s."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentError(path, line, "contains a NUL character")
    raw_lines = text.splitlines()
    cleaned = [clean_text(line) for line in raw_lines]

    def next_content_line(index):
        for j in range(index + 1, len(cleaned)):
            if cleaned[j]:
                return cleaned[j]
        return ""

    blocks = []
    for index, line in enumerate(cleaned):
        number = index + 1
        if not line:
            if blocks:
                blocks[-1].raw_lines.append(raw_lines[index])
            continue
        cause = _CAUSE_LINE.match(line)
        if line.endswith(("：", ":")) and not cause and _CAUSE_LINE.match(next_content_line(index)):
            blocks.append(_Block(question=line, line=number, raw_lines=[raw_lines[index]]))
            continue
        if not blocks:
            raise ContentError(
                path,
                number,
                "text before the first question line (a line ending in a colon "
                "and followed by '1、...')",
            )
        block = blocks[-1]
        block.raw_lines.append(raw_lines[index])
        if cause:
            expected = len(block.causes) + 1
            if int(cause.group(1)) != expected:
                raise ContentError(
                    path, number, f"cause number {cause.group(1)} out of order, expected {expected}"
                )
            block.causes.append((expected, number, cause.group(2), []))
        else:
            block.causes[-1][3].append(line)

    if not blocks:
        raise ContentError(path, 1 if text.strip() else 0, "no article found (empty file?)")
    return [_article_from_block(block, path) for block in blocks]


def _article_from_block(block, path):
    paragraphs_of_last = block.causes[-1][3]
    closing = paragraphs_of_last.pop() if len(paragraphs_of_last) > 1 else ""
    causes = []
    for position, line, title, paragraphs in block.causes:
        if not paragraphs:
            raise ContentError(path, line, f"cause {position} has no text under its title")
        explanation, remedies = split_advice(paragraphs)
        causes.append(
            ParsedCause(
                position=position,
                title=title.rstrip("。：:"),
                explanation="\n\n".join(explanation),
                remedies=remedies,
                line=line,
            )
        )
    closing_parts, advice = split_advice([closing]) if closing else ([], [])
    title = title_from_question(block.question)
    if not title:
        raise ContentError(path, block.line, "the question line has no words to make a title")
    source_key = pinyin_slug(title.removesuffix("的原因")) or pinyin_slug(title)
    if not source_key:
        source_key = "article-" + hashlib.sha256(title.encode()).hexdigest()[:8]
    return ParsedArticle(
        source_key=source_key,
        title=title,
        question=block.question,
        closing="".join(closing_parts),
        advice=advice,
        causes=causes,
        source_file=str(path),
        source_line=block.line,
        source_raw="\n".join(block.raw_lines).strip("\n"),
    )


def parse_source(data, path):
    """(articles, encoding name) of a source file's bytes, in any encoding decode_source reads."""
    text, encoding = decode_source(data, path)
    return parse_text(text, path), encoding


def parse_file(path, display_path=None):
    path = Path(path)
    shown = display_path or path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(shown, 0, f"cannot read: {error.strerror}") from None
    return parse_source(data, shown)[0]
