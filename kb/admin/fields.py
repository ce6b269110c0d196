"""The admin's text boxes: Markdown with a live preview for long texts, a small box for a
remedy's sentence or two, both keeping line endings as the importer writes them."""

from django import forms
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget


class TextField(forms.CharField):
    """Text as the importer writes it: browsers send textarea lines ending in CRLF, which would
    make every untouched paragraph look edited (a false import conflict, a noisy diff)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


TEXT_WIDGETS = {
    MarkdownxField: {"widget": AdminMarkdownxWidget, "form_class": TextField},
    models.TextField: {
        "form_class": TextField,
        "widget": forms.Textarea(attrs={"rows": 2, "cols": 60}),
    },
}
