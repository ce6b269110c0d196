"""Import of the source texts: clean (kb.text) -> parse (parser) -> sync to the database (sync)."""

from .errors import ContentError, ContentErrors
from .parser import parse_file, parse_source, parse_text
from .sync import ImportReport, Source, import_paths, import_sources, iter_import

__all__ = [
    "ContentError",
    "ContentErrors",
    "ImportReport",
    "Source",
    "import_paths",
    "import_sources",
    "iter_import",
    "parse_file",
    "parse_source",
    "parse_text",
]
