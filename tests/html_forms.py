"""Read an HTML form the way a browser submits it, so admin tests post exactly what an editor's
browser would: every field, the inline formsets' management data, the nested prefixes."""

import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._textarea = None
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(
                attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline right after <textarea>.
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or [self._select["first"] or ""]
            self.data[self._select["name"]] = chosen
            self._select = None


def form_data(html, form_id):
    """{name: value} of the form as a browser would post it, without the empty templates that
    admin inlines keep for "add another" (their names contain __prefix__ or -empty-)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in reader.data.items()
        if "__prefix__" not in name and "-empty-" not in name
    }


def find_key(data, prefix, suffix, value):
    """The field name ``<prefix>-<n>-<suffix>`` whose value is ``value``, for picking the row of
    a given cause or remedy out of the posted data."""
    pattern = re.compile(rf"{re.escape(prefix)}\d+-{re.escape(suffix)}")
    for name, current in data.items():
        if pattern.fullmatch(name) and current == str(value):
            return name
    raise KeyError(f"{prefix}*-{suffix} = {value!r}")
