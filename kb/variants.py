"""简体 / 繁體: every public page in both scripts.

The pages are written and stored in simplified Chinese. The traditional variant lives under the
``/zh-hant/`` URL prefix (Django's ``i18n_patterns`` with the language ``zh-hant``), so the
variant is part of every URL: caches key on it, links and ``reverse()`` keep it, and any view
added to ``kb.urls`` gets both variants for free. ``TraditionalScriptMiddleware`` converts the
rendered HTML (and the Atom feed) of a ``zh-hant`` response with OpenCC ``s2tw``: character by
character into Taiwan's standard glyphs, words unchanged (``kb.text.to_traditional``).
"""

import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation

from .seo import absolute_url
from .text import to_traditional

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"

# The language codes of Django's settings, as BCP 47 tags for lang and hreflang attributes.
HTML_LANG = {SIMPLIFIED: "zh-Hans", TRADITIONAL: "zh-Hant"}
OG_LOCALE = {SIMPLIFIED: "zh_CN", TRADITIONAL: "zh_TW"}
LABEL = {SIMPLIFIED: "简体", TRADITIONAL: "繁體"}

CONVERTED_TYPES = ("text/html", "application/atom+xml")

# Text between these comments stays as written (e.g. the label 简体 of the variant switch).
KEEP_START = "<!--keep-script-->"
KEEP_END = "<!--/keep-script-->"
_KEPT = re.compile(f"({re.escape(KEEP_START)}.*?{re.escape(KEEP_END)})", re.DOTALL)


def current_variant():
    return TRADITIONAL if translation.get_language() == TRADITIONAL else SIMPLIFIED


def url_variant(request):
    """The script a request's page is in, from its URL alone (the page cache asks before
    LocaleMiddleware runs): ``zh-hant`` under the /zh-hant/ prefix, else the default."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def to_traditional_markup(markup):
    """Convert a rendered page to traditional characters, leaving the kept parts alone. Markup
    and URLs are ASCII (slugs, percent-encoding), so only the text changes."""
    parts = _KEPT.split(markup)
    return "".join(part if part.startswith(KEEP_START) else to_traditional(part) for part in parts)


def variant_urls(request):
    """The same page in each variant: {"zh-hans": "https://host/...", "zh-hant": "..."}."""
    path = request.get_full_path()
    return {
        code: absolute_url(request, translate_url(path, code)) for code, _ in settings.LANGUAGES
    }


def in_variant(variant, path):
    """A site path (``/articles/x/#cause-2``) in ``variant`` (``/zh-hant/articles/x/#cause-2``)."""
    return f"/{TRADITIONAL}{path}" if variant == TRADITIONAL else path


def traditional_suggestion(suggestion):
    """A search suggestion (``kb.search.engine.suggest``) as a /zh-hant/ page shows it: its text
    converted like the page, its link within the variant."""
    return {
        **suggestion,
        "title": to_traditional(suggestion["title"]),
        "article": to_traditional(suggestion["article"]),
        "url": in_variant(TRADITIONAL, suggestion["url"]),
    }


def variant_path(path):
    """A site path (``/search/``) in the current variant (``/zh-hant/search/``)."""
    return in_variant(current_variant(), path)


class TraditionalScriptMiddleware:
    """Serve ``zh-hant`` responses in traditional characters. Sits inside LocaleMiddleware (which
    activates the language from the URL prefix) and CommonMiddleware (which then sets the
    Content-Length of the converted body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if (
            getattr(request, "LANGUAGE_CODE", None) == TRADITIONAL
            and content_type in CONVERTED_TYPES
            and not response.streaming
            and response.status_code != 304
        ):
            charset = response.charset
            response.content = to_traditional_markup(response.content.decode(charset)).encode(
                charset
            )
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


class ScriptVariantLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without ``Vary: Accept-Language`` on the public pages: their
    script comes from the URL alone (no prefix: simplified), so a cache keyed on the URL is
    right and need not keep one copy per browser language."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.app_name == "kb" and response.has_header("Vary"):
            vary = [
                header.strip()
                for header in response["Vary"].split(",")
                if header.strip().lower() != "accept-language"
            ]
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
        return response
