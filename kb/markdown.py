"""The one Markdown renderer: the editor preview (markdownx) and the public pages both use it.

Markdown is rendered, then sanitised with nh3 (an allow-list): no scripts, event handlers,
styles, iframes or ``javascript:`` URLs survive, and external links get ``rel="noopener
nofollow"``.
"""

import functools
import html
import re
import threading

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# nh3 normalises its output (double-quoted attributes, href first on <a> as written here), so a
# pattern over the *sanitised* HTML is reliable. Internal links stay followable for crawlers.
_EXTERNAL_LINK = re.compile(r'<a href="((?:https?:)?//[^"]*)"')


_local = threading.local()


def _converter():
    # Building a Markdown instance loads its extensions (milliseconds); reuse one per thread.
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return _local.md


# Building a cleaner compiles the allow-list; one shared, immutable cleaner serves every call.
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=None,
)


# A page shows dozens of short texts (summary, causes, remedies) at a quarter of a millisecond
# each; the same texts come back on every render, so each process remembers the latest ones
# (short ones only: the memory stays bounded whatever an editor previews).
_REMEMBERED_TEXTS = 4096
_REMEMBERED_LENGTH = 4000


def render_markdown(text):
    """Markdown source -> sanitised HTML (a SafeString)."""
    text = text or ""
    html = _remembered(text) if len(text) <= _REMEMBERED_LENGTH else _render(text)
    return mark_safe(html)  # sanitised by nh3 in _render


def _render(text):
    html = _converter().reset().convert(text)
    return _EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener nofollow"', _cleaner.clean(html))


_remembered = functools.lru_cache(maxsize=_REMEMBERED_TEXTS)(_render)


def render_markdown_inline(text):
    """Like render_markdown, without the wrapping paragraph: for one-line texts in lists."""
    html = str(render_markdown(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)


# Characters that can make Markdown or HTML; text without them reads the same rendered.
_MARKUP = re.compile(r"[*_`#\[\]<>!|~&\\]|^\s*(?:[-+]|\d+\.)\s", re.MULTILINE)


def plain_text(markdown_source, *, one_line=False):
    """What a reader sees of a Markdown text, as plain text (not HTML: "<" is "<"; escape it
    where markup goes): for the search index, descriptions, JSON-LD. ``one_line`` folds every run
    of white space, line breaks included, into one space."""
    if not markdown_source:
        return ""
    if _MARKUP.search(markdown_source):
        text = html.unescape(strip_tags(render_markdown(markdown_source)))
    else:
        text = markdown_source
    return " ".join(text.split()) if one_line else text.strip()
