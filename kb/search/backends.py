"""One backend per database: find candidate documents for a set of index tokens.

Both take only analyzer tokens (letters, digits and CJK characters; anything else is refused
before SQL is built), quote each one, and pass the expression as a query parameter, so user text
never reaches FTS5's MATCH or PostgreSQL's to_tsquery unescaped. Both return published documents
only, best first by the database's own ranking; kb.search.ranking orders them finally, the same
way on both.
"""

import re

from django.db import connection
from django.utils import timezone

_SAFE_TOKEN = re.compile(r"^[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+$")


def safe_tokens(tokens):
    return [t for t in dict.fromkeys(tokens) if _SAFE_TOKEN.match(t)]


_PUBLISHED = """a.status = 'published' AND (a.published_at IS NULL OR a.published_at <= %s)"""


class SQLiteBackend:
    vendor = "sqlite"

    @staticmethod
    def _match(tokens):
        return " OR ".join('"{}"'.format(t.replace('"', '""')) for t in tokens)

    def candidates(self, tokens, limit):
        tokens = safe_tokens(tokens)
        if not tokens:
            return []
        # Column weights follow the ranking: own title > article context > body > n-grams.
        sql = f"""
            SELECT d.id FROM kb_search_fts
            JOIN kb_searchdocument d ON d.id = kb_search_fts.rowid
            JOIN kb_article a ON a.id = d.article_id
            WHERE kb_search_fts MATCH %s AND {_PUBLISHED}
            ORDER BY bm25(kb_search_fts, 10.0, 5.0, 2.0, 0.5, 6.0, 3.0)
            LIMIT %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(tokens), timezone.now(), limit])
            return [row[0] for row in cursor.fetchall()]

    def document_frequency(self, token):
        if not _SAFE_TOKEN.match(token):
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM kb_search_fts WHERE kb_search_fts MATCH %s",
                [self._match([token])],
            )
            return cursor.fetchone()[0]


class PostgresBackend:
    vendor = "postgresql"

    @staticmethod
    def _tsquery(tokens):
        return " | ".join(f"'{t}'" for t in tokens)

    def candidates(self, tokens, limit):
        tokens = safe_tokens(tokens)
        if not tokens:
            return []
        sql = f"""
            SELECT d.id FROM kb_searchdocument d
            JOIN kb_article a ON a.id = d.article_id,
            to_tsquery('simple', %s) AS q
            WHERE d.vector @@ q AND {_PUBLISHED}
            ORDER BY ts_rank(d.vector, q) DESC, d.id
            LIMIT %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._tsquery(tokens), timezone.now(), limit])
            return [row[0] for row in cursor.fetchall()]

    def document_frequency(self, token):
        if not _SAFE_TOKEN.match(token):
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM kb_searchdocument WHERE vector @@ to_tsquery('simple', %s)",
                [self._tsquery([token])],
            )
            return cursor.fetchone()[0]


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def get_backend():
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise RuntimeError(f"search needs SQLite or PostgreSQL, not {connection.vendor}") from None
