from django import template

from kb.markdown import render_markdown, render_markdown_inline

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown source as sanitised HTML."""
    return render_markdown(text)


@register.filter
def markdown_inline(text):
    """Render a one-line Markdown text without its wrapping paragraph."""
    return render_markdown_inline(text)
