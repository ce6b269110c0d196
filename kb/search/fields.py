"""The fields of a search document and their weights, defined once.

The final ranking (kb.search.ranking) scores a term by the best field a document has it in;
SQLite's FTS5 ranks candidates with bm25() over the index columns with the same weights; the
PostgreSQL index labels the columns A-D by field (migration 0004, frozen history), in the order
of these weights: tests/test_search.py checks that the database's trigger agrees.
"""

from typing import NamedTuple

# Where a document has a term: its own title, its context (for a cause: the article's title and
# category), or its body (explanation and remedies).
FIELD_WEIGHTS = {"title": 10.0, "context": 8.0, "body": 2.0}
# Found only by sound, in a field's pinyin (titles and contexts carry it; bodies do not).
PINYIN_WEIGHTS = {"title": 6.0, "context": 4.8}
# Overlapping bigrams are a recall net for words the segmenter cut differently: a weak clue.
NGRAM_WEIGHT = 0.5


class IndexColumn(NamedTuple):
    name: str  # a token column of SearchDocument
    field: str  # title, context, body or ngram
    weight: float


# SearchDocument's token columns in the FTS5 table's column order (migration 0004).
INDEX_COLUMNS = (
    IndexColumn("title_tokens", "title", FIELD_WEIGHTS["title"]),
    IndexColumn("context_tokens", "context", FIELD_WEIGHTS["context"]),
    IndexColumn("body_tokens", "body", FIELD_WEIGHTS["body"]),
    IndexColumn("ngram_tokens", "ngram", NGRAM_WEIGHT),
    IndexColumn("title_pinyin", "title", PINYIN_WEIGHTS["title"]),
    IndexColumn("context_pinyin", "context", PINYIN_WEIGHTS["context"]),
)
