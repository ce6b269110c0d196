"""The one Markdown renderer: the editor preview (markdownx) and the public pages both use it.

Markdown is rendered, then sanitised with nh3 (an allow-list): no scripts, event handlers,
styles, iframes or ``javascript:`` URLs survive, and external links get ``rel="noopener
nofollow"``.
"""

import re

import markdown
import nh3
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


def render_markdown(text):
    """Markdown source -> sanitised HTML (a SafeString)."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    clean = _EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener nofollow"', clean)
    return mark_safe(clean)


def render_markdown_inline(text):
    """Like render_markdown, without the wrapping paragraph: for one-line texts in lists."""
    html = str(render_markdown(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)
