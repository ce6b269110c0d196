import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kb import seo, variants
from kb.markdown import render_markdown, render_markdown_inline

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def markdown(text):
    """Render Markdown source as sanitised HTML."""
    return render_markdown(text)


@register.filter
def markdown_inline(text):
    """Render a one-line Markdown text without its wrapping paragraph."""
    return render_markdown_inline(text)


@register.simple_tag
def jsonld(data):
    """A schema.org JSON-LD block. JSON-LD is data, not script, so a strict CSP allows it; <, >
    and & are escaped as json_script does, so text cannot close the element."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def variant_path(path):
    """A site path (``/search/``) in the page's script variant (``/zh-hant/search/``)."""
    return variants.variant_path(path)


@register.simple_tag(takes_context=True)
def breadcrumb_jsonld(context, crumbs):
    """The BreadcrumbList JSON-LD of the crumbs the breadcrumbs include shows."""
    return jsonld(seo.breadcrumb_jsonld(context["request"], crumbs))
