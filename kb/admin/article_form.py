"""The article form: the slug filled in as pinyin, a schedule that needs 已发布, and a save
based on a stale page refused with what was saved since (a hidden field holds the version the
page was opened at; ArticleAdmin.get_form says which is current)."""

from datetime import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb import history
from kb.models import Article
from kb.text import pinyin_slug


def suggest_slug(title, article_pk=None):
    """A free pinyin slug for a title: 花呗额度降低的原因 -> huabei-edu-jiangdi-yuanyin."""
    base = pinyin_slug(title, max_length=90) or "article"
    return Article.objects.free_slug(base, exclude_pk=article_pk)


class ArticleAdminForm(forms.ModelForm):
    # The admin builds the fields (ArticleAdmin.fieldsets); this adds what they cannot know.

    # What the page was opened at (rendered by change_form.html): a save based on an older
    # version than ``current_version`` (set by ArticleAdmin.get_form) is refused.
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    current_version = None
    current_draft = None
    conflict = None  # what was saved since, when refused: {"who", "when", "changes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.current_version
        for field in self.fields.values():
            # The date and time boxes share one label, which names neither (axe: label).
            boxes = getattr(field.widget, "widgets", ())
            if len(boxes) == 2:
                for part, box in zip((_("日期"), _("时间")), boxes, strict=True):
                    box.attrs["aria-label"] = f"{field.label}（{part}）"
        if "slug" in self.fields:
            # Django's own prefill drops Chinese characters; ours turns the title into pinyin
            # (static/kb/admin-editor.js asks this URL), and an empty slug is filled on save.
            slug = self.fields["slug"]
            slug.required = False
            slug.help_text = _("文章网址的一部分，用拼音；留空则按标题自动生成。")
            slug.widget.attrs["data-suggest-url"] = reverse("admin:kb_article_slug")
            if self.instance.pk:
                slug.widget.attrs["data-article"] = self.instance.pk

    def clean(self):
        cleaned = super().clean()
        self._refuse_stale_page(cleaned.get("opened_version"))
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = suggest_slug(cleaned["title"], self.instance.pk)
        scheduled = cleaned.get("published_at")
        if (
            cleaned.get("status") == Article.Status.DRAFT
            and scheduled
            and scheduled > timezone.now()
        ):
            self.add_error(
                "published_at", _("定时发布需要把状态设为“已发布”；草稿不会在这个时间自动公开。")
            )
        return cleaned

    def _refuse_stale_page(self, opened):
        # A hand-made post without the field is not checked (nothing to compare with).
        if not self.current_version or not opened or opened == self.current_version:
            return
        draft = self.current_draft
        if draft is not None:
            self.conflict = {"who": history.display_name(draft.author), "when": draft.updated_at}
        else:
            try:
                moment = datetime.fromisoformat(opened)
            except ValueError:
                moment = self.instance.updated_at
            version, changes = history.changes_since(self.instance, moment)
            who = history.display_name(version.revision.user) if version else _("导入或其他程序")
            when = version.revision.date_created if version else self.instance.updated_at
            self.conflict = {"who": who, "when": when, "changes": changes}
        self.add_error(
            None,
            _(
                "没有保存：你打开这个页面之后，%(who)s 已经保存了这篇文章（改动见下方）。"
                "你填写的内容还在页面上；确认要用它覆盖对方的修改，请再保存一次。"
            )
            % {"who": self.conflict["who"]},
        )
        # Saving again is a decision taken with the diff in view: it is based on the new version.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = self.current_version
