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


class ContentError(Exception):
    """A source text that cannot be imported; the message names the file and line."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


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
_SENTENCE = re.compile(r"[^。！？]+(?:[。！？]+[”」』）]*|$)")

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

# A remedy is a sentence with a clause that tells the reader what to do: an optional connective,
# an optional subject (the texts call the reader 用户), an optional adverb, then a modal of advice.
_ADVICE_CLAUSE = re.compile(
    r"^(?:另外|这时候|这时|此时|那么|因此|所以|当然|此外)?"
    r"(?:用户|您|你|紧急联系人|借款人)?"
    r"(?:就|也|都|只|还|则|一定|先)?"
    r"(?:请|建议|务必|必须|应该|应当|最好|尽量|只能|只需要?|需要确保|确保|可以|不需要|无需|不必)"
)
_SOLUTION_PHRASE = re.compile(r"(?:才是|就是)(?:解决|处理)[^，。]{0,8}(?:办法|方法)")
_CLAUSE_SPLIT = re.compile(r"[，；：、]")


def split_sentences(paragraph):
    return [s.strip() for s in _SENTENCE.findall(paragraph) if s.strip()]


def is_actionable(sentence):
    """Whether a sentence tells the reader what to do (a remedy) rather than explains."""
    if "以上" in sentence:  # "与以上原因有关": a sentence that sums up, not advice
        return False
    if _SOLUTION_PHRASE.search(sentence):
        return True
    return any(_ADVICE_CLAUSE.match(clause.strip()) for clause in _CLAUSE_SPLIT.split(sentence))


def split_advice(paragraphs):
    """(explanation paragraphs without the remedies, remedy sentences in order)."""
    explanation, remedies = [], []
    for paragraph in paragraphs:
        kept = []
        for sentence in split_sentences(paragraph):
            (remedies if is_actionable(sentence) else kept).append(sentence)
        if kept:
            explanation.append("".join(kept))
    return explanation, remedies


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


def _decode(data, path):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentError(path, line, "not valid UTF-8 text") from None


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


def parse_file(path, display_path=None):
    path = Path(path)
    shown = display_path or path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(shown, 0, f"cannot read: {error.strerror}") from None
    return parse_text(_decode(data, shown), shown)
