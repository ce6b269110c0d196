"""An article's rows inside its editor: causes, each with its remedies nested inside, and the
general advice (remedies of the whole article). Ordered by position, marked when edited since
the last import. An editor's changes to a published article's rows go to its draft with the
article (kb.admin.drafts)."""

import nested_admin
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kb.models import Cause, Remedy
from kb.numbers import parse_int

from .fields import TEXT_WIDGETS

# Positions are at most this; values above are free for moving rows during a save.
MAX_POSITION = 999
PARKING_POSITION = 30000


NOT_OWN_ROW = _(
    "提交的内容中有一行不属于这篇文章（或不在这个原因下），什么都没有保存。"
    "请重新打开这篇文章再修改。"
)


class OwnRowField(forms.ModelChoiceField):
    """A row's hidden id: a plain number naming one of the formset's own rows."""

    default_error_messages = {"invalid_choice": NOT_OWN_ROW}

    def to_python(self, value):
        if value not in self.empty_values and parse_int(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class OwnRowsFormSet(nested_admin.formsets.NestedInlineFormSet):
    """Only the rows of the form's own article, or cause, can be changed or deleted here.

    nested_admin looks posted ids up among every row of the model (so that rows can be dragged
    from one parent to another, which this admin does not offer), and Django's hidden id field
    accepts any row too: a hand-made post could move, rewrite or delete another article's cause
    or remedy. Here a posted id must name a row of this formset's queryset, the article's causes,
    the cause's remedies or the article's general advice; anything else refuses the whole save.
    """

    def get_queryset(self):
        # Django's own: the formset's queryset (rows of self.instance), not nested_admin's.
        return BaseModelFormSet.get_queryset(self)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table row's boxes have no <label>, only the column header: name each for screen
        # readers (axe: label), the delete box included.
        for field in form.fields.values():
            if not field.widget.is_hidden and field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))
        name = self.model._meta.pk.name
        shown = form.fields[name]
        form.fields[name] = OwnRowField(
            self.get_queryset(), initial=shown.initial, required=False, widget=shown.widget
        )

    def clean(self):
        # A row shown on the page whose id is not one of ours has no instance (and rows marked
        # for deletion are never validated by Django); an added row may carry no id but ours.
        # Said once for the formset: the id is hidden, so its own error would not show.
        name = self.model._meta.pk.name
        if any(form.instance.pk is None for form in self.initial_forms) or any(
            name in form.errors for form in self.forms
        ):
            raise ValidationError(NOT_OWN_ROW)
        super().clean()


class PositionedFormSet(OwnRowsFormSet):
    """Rows ordered by ``position``: positions must differ on the page, and reordering saves
    even though the database allows each position only once per article or cause."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Left empty, a row is numbered after the others (the editor's script fills it in too).
        form.fields["position"].required = False

    def clean(self):
        # Before Django's own duplicate check, which names the field in English ("position").
        seen = set()
        # Rows not on the page keep their positions: someone may have added one since it was
        # opened, and the database refuses a second row there.
        on_page = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        taken = set(self.get_queryset().exclude(pk__in=on_page).values_list("position", flat=True))
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            position = form.cleaned_data.get("position")
            if position is None:
                continue
            if not 1 <= position <= MAX_POSITION:
                form.add_error(
                    "position", _("序号应在 1 到 %(max)s 之间。") % {"max": MAX_POSITION}
                )
            elif position in taken:
                form.add_error(
                    "position",
                    _("序号 %(n)s 已被另一行占用（可能有人刚刚修改了这篇文章），请重新打开页面。")
                    % {"n": position},
                )
            elif position in seen:
                form.add_error("position", _("序号 %(n)s 重复了。") % {"n": position})
            seen.add(position)
        self._number_unnumbered_rows(seen | taken)
        # Then rows of other articles (refused on their own) and Django's duplicate check, which
        # skips the rows marked here.
        super().clean()
        if any(form.errors.get("position") for form in self.forms):
            raise ValidationError(_("请为每一行填写不同的序号。"))

    def _number_unnumbered_rows(self, used):
        for form in self.forms:
            if (
                hasattr(form, "cleaned_data")
                and form.has_changed()
                and not self._should_delete_form(form)
                and form.cleaned_data.get("position") is None
            ):
                position = max(used, default=0) + 1
                form.cleaned_data["position"] = form.instance.position = position
                used.add(position)

    def save(self, commit=True):
        if self._parent_deleted():
            # The cascade removed these rows with their cause; nested_admin would otherwise
            # save them again as new rows of a cause that no longer exists.
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            return []
        if commit:
            self._park_moved_rows()
        return super().save(commit)

    def _parent_deleted(self):
        parent_form = getattr(self, "parent_form", None)  # set by nested_admin on nested sets
        return parent_form is not None and getattr(parent_form, "cleaned_data", {}).get("DELETE")

    def _park_moved_rows(self):
        # Swapping 1 and 2 would hit the unique constraint half-way; rows that move or go are
        # first set aside on free positions, then saved (or deleted) as the editor asked.
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk
            and ("position" in form.changed_data or self._should_delete_form(form))
        ]
        for offset, pk in enumerate(moving):
            self.model.objects.filter(pk=pk).update(position=PARKING_POSITION + offset)


@admin.display(description=_("导入状态"))
def import_state(record):
    """Why a later import will or will not touch this record, in an editor's words."""
    if record.pk is None:
        return "-"
    if not record.import_digest:
        return _("工作人员创建，导入不会改动")
    if record.edited_since_import:
        return format_html('<strong class="kb-conflict">{}</strong>', _("导入后已修改，导入时保留"))
    return _("与上次导入一致")


class ContentInline:
    """What the cause, remedy and advice rows share."""

    formset = PositionedFormSet
    extra = 0
    view_on_site = False  # a draft's anchors would 404; the article's 预览 shows the page
    readonly_fields = ["import_state"]
    formfield_overrides = TEXT_WIDGETS

    @admin.display(description=_("导入状态"))
    def import_state(self, obj):
        return import_state(obj)


class RemedyInline(ContentInline, nested_admin.NestedTabularInline):
    model = Remedy
    fk_name = "cause"
    fields = ["position", "text", "import_state"]
    verbose_name = _("怎么办")
    verbose_name_plural = _("怎么办（解决办法）")


class CauseInline(ContentInline, nested_admin.NestedStackedInline):
    model = Cause
    fields = [
        ("position", "title"),
        "explanation",
        ("question", "troubleshoot_order"),
        "import_state",
    ]
    inlines = [RemedyInline]


class AdviceInline(ContentInline, nested_admin.NestedTabularInline):
    """The remedies that belong to the whole article (cause left empty)."""

    model = Remedy
    fk_name = "article"
    fields = ["position", "text", "import_state"]
    verbose_name = _("通用建议")
    verbose_name_plural = _("通用建议")

    def get_queryset(self, request):
        return super().get_queryset(request).general_advice()
