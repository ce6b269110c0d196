"""One backend per database: find candidate documents for a set of index tokens, and count the
documents having a token. SearchBackend is the interface both implement.

Both take only analyzer tokens (letters, digits and CJK characters; anything else is refused
before SQL is built), quote each one, and pass the expression as a query parameter, so user text
never reaches FTS5's MATCH or PostgreSQL's to_tsquery unescaped. Both return only documents of
articles readers may see (Article.objects.published(), compiled into their SQL), best first by
the database's own ranking; kb.search.ranking orders them finally, the same way on both.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple, Protocol

from django.db import connection
from django.utils import timezone

from kb.models import Article

from .fields import INDEX_COLUMNS

_SAFE_TOKEN = re.compile(r"^[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+$")


def safe_tokens(tokens):
    return [t for t in dict.fromkeys(tokens) if _SAFE_TOKEN.match(t)]


# A stand-in for "now" in the compiled condition of the published queryset (see _published).
_MARK = datetime(2000, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=2)
def _published_condition(vendor):
    """(sql, params) of Article.objects.published()'s condition, with None for each "now" in
    the params. Compiled once: building and compiling a queryset at every search would cost as
    much as a tenth of the search."""
    published = Article.objects.published(now=_MARK)
    sql, params = published.query.get_compiler(connection=connection).compile(published.query.where)
    mark = connection.ops.adapt_datetimefield_value(_MARK)
    return sql, [None if param == mark else param for param in params]


def _published():
    """(sql, params): who may see an article, as Article.objects.published() says it, over the
    ``kb_article`` table (joined without an alias), for this instant. A condition on the joined
    table, not a subquery, keeps the plans the backends chose."""
    sql, params = _published_condition(connection.vendor)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, [now if param is None else param for param in params]


# Everything ranking and results need, in one round trip (no model instances on the hot path).
_COLUMNS = """d.id, d.kind, d.title, d.context, d.body, d.title_pinyin, d.context_pinyin,
    kb_article.slug, kb_article.title, c.id, c.position, c.title"""
_JOINS = """JOIN kb_article ON kb_article.id = d.article_id
    LEFT JOIN kb_cause c ON c.id = d.cause_id"""


class Row(NamedTuple):
    """A candidate document with what ranking and results need of its article and cause."""

    id: int
    kind: str
    title: str
    context: str
    body: str
    title_pinyin: str
    context_pinyin: str
    article_slug: str
    article_title: str
    cause_id: int | None
    cause_position: int | None
    cause_title: str | None


class SearchBackend(Protocol):
    """What search needs of a database's full-text index; one implementation per database."""

    vendor: str  # django.db.connection.vendor of the database it serves
    # Up to this many matches of the chosen tokens, the database scores them all (see
    # kb.search.engine._lookup); beyond, candidates are the first found.
    EXACT_MATCHES: int
    # Below this many documents, every query token is used (see kb.search.engine._lookup).
    LARGE_INDEX: int

    def candidates(self, tokens: Iterable[str], limit: int, exact: bool = True) -> list[Row]:
        """Up to ``limit`` published documents having any of ``tokens``, best first: by the
        database's own ranking when ``exact``, else the first found."""
        ...

    def document_frequency(self, token: str) -> int:
        """How many documents have ``token`` (0 for a token the analyzer cannot produce)."""
        ...

    def refresh_statistics(self) -> None:
        """Bring the database's term and planner statistics up to date after a bulk change."""
        ...

    def index_inserted(self, article_ids: Iterable[int]) -> None:
        """Add the documents of ``article_ids``, just inserted, to the full-text index (the
        indexer inserts every document, kb.search.indexer._insert)."""
        ...


class SQLiteBackend:
    """SearchBackend over SQLite's FTS5 table ``kb_search_fts``."""

    vendor = "sqlite"
    # Up to this many matches, all are scored (bm25 reads each one's column sizes: ~2 µs).
    EXACT_MATCHES = 1500
    LARGE_INDEX = 2000

    # The columns' weights, in the FTS5 table's column order (kb.search.fields).
    _BM25 = "bm25(kb_search_fts, {})".format(", ".join(str(c.weight) for c in INDEX_COLUMNS))

    @staticmethod
    def _any(tokens):
        return "(" + " OR ".join('"{}"'.format(t.replace('"', '""')) for t in tokens) + ")"

    def _rows(self, cursor, ids, limit):
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        published, params = _published()
        # CROSS JOIN fixes SQLite's join order: documents by id first. Left to itself, the
        # planner may walk every published article through the status index instead.
        cursor.execute(
            f"SELECT {_COLUMNS} FROM kb_searchdocument d "
            f"CROSS JOIN kb_article ON kb_article.id = d.article_id "
            f"LEFT JOIN kb_cause c ON c.id = d.cause_id "
            f"WHERE d.id IN ({marks}) AND {published}",
            [*ids, *params],
        )
        by_id = {row[0]: Row(*row) for row in cursor.fetchall()}
        return [by_id[i] for i in ids if i in by_id][:limit]

    def candidates(self, tokens, limit, exact=True):
        """As SearchBackend.candidates: the best by bm25 when ``exact``."""
        tokens = safe_tokens(tokens)
        if not tokens:
            return []
        # Rank (or just find) inside the FTS table, then join only the few kept; drafts are
        # dropped after the cut, so the cut takes extra.
        order = f"ORDER BY {self._BM25}" if exact else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM kb_search_fts WHERE kb_search_fts MATCH %s {order} LIMIT %s",
                [self._any(tokens), limit * 2],
            )
            return self._rows(cursor, [r[0] for r in cursor.fetchall()], limit)

    def document_frequency(self, token):
        if not _SAFE_TOKEN.match(token):
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM kb_search_fts WHERE kb_search_fts MATCH %s",
                [self._any([token])],
            )
            return cursor.fetchone()[0]

    def refresh_statistics(self):
        """Nothing to do: FTS5 counts a term's documents from its posting list, cheaply."""

    def index_inserted(self, article_ids):
        """One INSERT ... SELECT into the FTS5 table. A trigger per row (as migration 0004 had)
        makes FTS5 flush its pending terms at every row, a segment each: three times the cost
        of the whole import's analysis (migration 0021)."""
        ids = sorted(set(article_ids))
        if not ids:
            return
        columns = ", ".join(column.name for column in INDEX_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO kb_search_fts(rowid, {columns}) SELECT id, {columns} "
                f"FROM kb_searchdocument WHERE article_id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )


class PostgresBackend:
    """SearchBackend over PostgreSQL's tsvector column ``kb_searchdocument.vector`` and the
    materialized view of its term frequencies ``kb_search_terms``."""

    vendor = "postgresql"
    # Up to this many matches, all are read and ordered; each costs a heap visit and a recheck
    # of its vector, far more than in FTS5.
    EXACT_MATCHES = 400
    LARGE_INDEX = 600

    def _rows(self, cursor, ids, limit):
        if not ids:
            return []
        published, params = _published()
        # The few documents first, then their articles by key: with statistics that lag a bulk
        # load, the planner would otherwise scan every published article (100 ms at 100k).
        cursor.execute(
            "WITH d AS MATERIALIZED (SELECT * FROM kb_searchdocument WHERE id = ANY(%s)) "
            f"SELECT {_COLUMNS} FROM d {_JOINS} WHERE {published}",
            [list(ids), *params],
        )
        by_id = {row[0]: Row(*row) for row in cursor.fetchall()}
        return [by_id[i] for i in ids if i in by_id][:limit]

    # Counting stops here: beyond it a token is simply common (see engine._lookup).
    FREQUENCY_CAP = 2000

    @staticmethod
    def _any(tokens):
        return " | ".join(f"'{t}'" for t in tokens)

    def candidates(self, tokens, limit, exact=True):
        """As SearchBackend.candidates. ts_rank would read (and decompress) the whole vector of
        every match; instead, when ``exact``, the matches' small title and context token
        columns are read and documents having a token there come first (title, then context);
        otherwise the first matches found are taken. kb.search.ranking orders them finally."""
        tokens = safe_tokens(tokens)
        if not tokens:
            return []
        with connection.cursor() as cursor:
            if not exact:
                cursor.execute(
                    "SELECT id FROM kb_searchdocument WHERE vector @@ to_tsquery('simple', %s) "
                    "LIMIT %s",
                    [self._any(tokens), limit * 2],
                )
                return self._rows(cursor, [r[0] for r in cursor.fetchall()], limit)
            cursor.execute(
                """SELECT id, title_tokens || ' ' || title_pinyin,
                          context_tokens || ' ' || context_pinyin
                FROM kb_searchdocument WHERE vector @@ to_tsquery('simple', %s) LIMIT %s""",
                [self._any(tokens), self.EXACT_MATCHES * 5],
            )
            wanted = set(tokens)

            def priority(row):
                return (
                    -len(wanted.intersection(row[1].split())),
                    -len(wanted.intersection(row[2].split())),
                    row[0],
                )

            best = sorted(cursor.fetchall(), key=priority)[: limit * 2]
            return self._rows(cursor, [row[0] for row in best], limit)

    def document_frequency(self, token):
        if not _SAFE_TOKEN.match(token):
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT ndoc FROM kb_search_terms WHERE word = %s", [token])
            row = cursor.fetchone()
            if row:
                return row[0]
            # Not in the statistics yet (new since their refresh, or in no document): count.
            cursor.execute(
                """SELECT count(*) FROM (SELECT 1 FROM kb_searchdocument
                WHERE vector @@ to_tsquery('simple', %s) LIMIT %s) AS capped""",
                [self._any([token]), self.FREQUENCY_CAP],
            )
            return cursor.fetchone()[0]

    def index_inserted(self, article_ids):
        """Nothing to do: the row's trigger wrote its vector as it was inserted (migration
        0004), and a BEFORE trigger costs PostgreSQL nothing more than the vector itself."""

    def refresh_statistics(self):
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW kb_search_terms")
            # Fresh planner statistics too: after a bulk load, stale ones pick slow plans.
            cursor.execute("ANALYZE kb_searchdocument, kb_article, kb_cause")


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def get_backend() -> SearchBackend:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise RuntimeError(f"search needs SQLite or PostgreSQL, not {connection.vendor}") from None
