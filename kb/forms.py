from django import forms

from kb.search.query import MAX_QUERY_LENGTH

from .numbers import parse_int


class SearchForm(forms.Form):
    """The reader's search. Lenient on purpose: bad page numbers fall back to 1, long queries are
    cut (with a notice), characters that cannot be searched are ignored."""

    q = forms.CharField(required=False, strip=True)
    page = forms.CharField(required=False)

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "")

    def clean_page(self):
        return parse_int(self.cleaned_data["page"], minimum=1, maximum=99_999) or 1

    @property
    def query(self):
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH] if self.is_valid() else ""

    @property
    def was_cut(self):
        return self.is_valid() and len(self.cleaned_data["q"]) > MAX_QUERY_LENGTH

    @property
    def page_number(self):
        return self.cleaned_data["page"] if self.is_valid() else 1
