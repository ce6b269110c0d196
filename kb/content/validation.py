"""Check a parsed article against the models before anything is written: every value goes
through the model field's own ``clean`` (length, slug, required), as the admin form would
check it, so a hostile or broken file is refused with ``file:line: reason`` on every database
instead of storing an 80,000-character title (SQLite) or failing with a DataError (PostgreSQL).
"""

from django.core.exceptions import ValidationError

from kb.models import Article, Cause, Remedy

from .errors import ContentError


def _check(model, name, value, path, line, what=""):
    field = model._meta.get_field(name)
    try:
        field.clean(value, None)
    except ValidationError as error:
        label = f"{what}{field.verbose_name}"
        raise ContentError(path, line, f"{label}：{' '.join(error.messages)}") from None


def validate_article(parsed):
    """Raise ContentError for the first value of ``parsed`` that its model field refuses."""
    path, line = parsed.source_file, parsed.source_line
    _check(Article, "source_file", parsed.source_file, path, line)
    _check(Article, "title", parsed.title, path, line)
    _check(Article, "question", parsed.question, path, line)
    _check(Article, "closing", parsed.closing, path, line)
    _check(Article, "source_key", parsed.source_key, path, line)
    _check(Article, "slug", parsed.source_key, path, line)
    for cause in parsed.causes:
        what = f"原因 {cause.position} 的"
        _check(Cause, "title", cause.title, path, cause.line, what)
        _check(Cause, "explanation", cause.explanation, path, cause.line, what)
        for text in cause.remedies:
            _check(Remedy, "text", text, path, cause.line, what + "解决办法")
    for text in parsed.advice:
        _check(Remedy, "text", text, path, parsed.source_line, "通用建议")
