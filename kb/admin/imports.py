"""Import source texts in the admin (/admin/kb/article/import/): upload, preview, apply.

Step 1 reads the uploaded files and runs the import as a dry run (kb.content.import_sources,
the code path of ``import_content``), so the preview shows exactly what would be stored: each
article's causes, remedies and general advice, new or changed against the database, conflicts
with staff edits, each file's encoding, or every file's error as ``file:line: reason``. The
files wait in the staff member's session (at most MAX_UPLOAD_BYTES; the session is shared by
every server, a temporary file would not be) under a random token the 导入 form sends back.

Step 2 (导入, 发布 and superusers only) applies them in one transaction and streams a progress
line every few articles (kb.content.iter_import), then links to the article list. The page
arrives as it is written, so a large batch shows how far it got instead of a hung page.
"""

import base64
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kb.content import ContentError, ContentErrors, Source, import_sources, iter_import

from .roles import can_publish

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_FILES = 20
SESSION_KEY = "kb-import"
PROGRESS_MARK = "<!--kb-import-progress-->"
PROGRESS_LINES = 20  # about this many progress lines per import
PREVIEW_PERMISSION = "kb.add_article"

STATES = {"new": _("新建"), "changed": _("有改动"), "unchanged": _("无改动"), "conflict": _("冲突")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return (
            [single(d, initial) for d in data]
            if isinstance(data, list | tuple)
            else [single(data, initial)]
        )


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("来源文本"),
        help_text=_("一个或多个 .txt 文件，格式同 content/；UTF-8、GB18030/GBK 或 UTF-16。"),
    )
    publish = forms.BooleanField(
        label=_("新文章直接发布"),
        required=False,
        help_text=_("不勾选则新文章导入为草稿。已有文章的状态不变。"),
    )

    def __init__(self, *args, may_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
        if sum(f.size for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件合计不能超过 %(mb)d MB。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return files


def _context(site, request, title, **extra):
    return {**site.each_context(request), "title": title, "opts": _article_opts(), **extra}


def _article_opts():
    from kb.models import Article

    return Article._meta


def _stored_sources(request, token):
    stored = request.session.get(SESSION_KEY)
    if not stored or not token or not secrets.compare_digest(stored["token"], token):
        return None, False
    sources = [Source(name, base64.b64decode(data)) for name, data in stored["files"]]
    return sources, stored["publish"]


def import_view(site, request):
    """Step 1: the upload form, and on POST the preview of what the import would do."""
    if not request.user.has_perm(PREVIEW_PERMISSION):
        raise PermissionDenied
    may_publish = can_publish(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    context = _context(site, request, _("导入来源文本"), form=form, may_apply=may_publish)
    if request.method == "POST" and form.is_valid():
        sources = [Source(f.name, f.read()) for f in form.cleaned_data["files"]]
        publish = bool(form.cleaned_data.get("publish"))
        try:
            report = import_sources(sources, dry_run=True, publish=publish)
        except ContentErrors as error:
            context["errors"] = [str(e) for e in error.errors]
        except ContentError as error:
            context["errors"] = [str(error)]
        else:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {
                "token": token,
                "publish": publish,
                "files": [[s.name, base64.b64encode(s.data).decode()] for s in sources],
            }
            context.update(
                report=report,
                token=token,
                publish=publish,
                changes=[(STATES[c.state], c) for c in report.articles_changed],
            )
    return TemplateResponse(request, "admin/kb/article/import.html", context)


def apply_view(site, request):
    """Step 2 (导入): apply the previewed files in one transaction, streaming the progress."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("admin:kb_article_import"))
    if not can_publish(request.user):
        raise PermissionDenied
    sources, publish = _stored_sources(request, request.POST.get("token"))
    if sources is None:
        messages.warning(request, _("预览已过期或已导入，请重新上传。"))
        return HttpResponseRedirect(reverse("admin:kb_article_import"))
    # Saved now: a streaming response's session is saved before its content is written.
    del request.session[SESSION_KEY]
    page = render_to_string(
        "admin/kb/article/import_progress.html",
        _context(site, request, _("正在导入")),
        request=request,
    )
    head, tail = page.split(PROGRESS_MARK)
    response = StreamingHttpResponse(
        _progress(head, tail, sources, publish, request), content_type="text/html; charset=utf-8"
    )
    response["X-Accel-Buffering"] = "no"  # nginx passes each line on as it comes
    return response


def _progress(head, tail, sources, publish, request):
    yield head
    steps = iter_import(sources, publish=publish)
    every = None
    try:
        while True:
            done, total = next(steps)
            every = every or max(1, total // PROGRESS_LINES)
            if done % every == 0 or done == total:
                yield format_html(
                    '<li><progress max="{}" value="{}">{}/{}</progress> 已处理 {} / {} 篇</li>\n',
                    total,
                    done,
                    done,
                    total,
                    done,
                    total,
                )
    except StopIteration as finished:
        report = finished.value
        yield render_to_string(
            "admin/kb/article/import_done.html",
            {"report": report, "publish": publish},
            request=request,
        )
    except (ContentError, DatabaseError) as error:  # the database moved on since the preview
        yield format_html(
            '</ol><p class="errornote">{}：{}</p><ol>', _("导入失败，未做任何改动"), error
        )
    yield tail
