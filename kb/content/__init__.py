"""Import of the source texts: clean (kb.text) -> parse (parser) -> sync to the database (sync)."""

from .parser import ContentError, parse_file, parse_text
from .sync import ImportReport, import_paths

__all__ = ["ContentError", "ImportReport", "import_paths", "parse_file", "parse_text"]
