"""The full-text index of each database, over SearchDocument's token columns.

SQLite: an external-content FTS5 table kept in sync by triggers (https://sqlite.org/fts5.html,
section 4.4.3). PostgreSQL: a weighted tsvector column (``simple`` config, so the analyzer's
tokens are taken as they are) filled by a trigger, with a GIN index.
"""

from django.db import migrations

COLUMNS = [
    "title_tokens", "context_tokens", "body_tokens", "ngram_tokens", "title_pinyin",
    "context_pinyin",
]
_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE kb_search_fts USING fts5({_cols}, content='kb_searchdocument',
        content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER kb_search_fts_ai AFTER INSERT ON kb_searchdocument BEGIN
        INSERT INTO kb_search_fts(rowid, {_cols}) VALUES (new.id, {_new}); END""",
    f"""CREATE TRIGGER kb_search_fts_ad AFTER DELETE ON kb_searchdocument BEGIN
        INSERT INTO kb_search_fts(kb_search_fts, rowid, {_cols}) VALUES ('delete', old.id, {_old});
        END""",
    f"""CREATE TRIGGER kb_search_fts_au AFTER UPDATE ON kb_searchdocument BEGIN
        INSERT INTO kb_search_fts(kb_search_fts, rowid, {_cols}) VALUES ('delete', old.id, {_old});
        INSERT INTO kb_search_fts(rowid, {_cols}) VALUES (new.id, {_new}); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS kb_search_fts_au",
    "DROP TRIGGER IF EXISTS kb_search_fts_ad",
    "DROP TRIGGER IF EXISTS kb_search_fts_ai",
    "DROP TABLE IF EXISTS kb_search_fts",
]

POSTGRES_FORWARD = [
    "ALTER TABLE kb_searchdocument ADD COLUMN vector tsvector",
    """CREATE FUNCTION kb_searchdocument_vector() RETURNS trigger AS $$
    BEGIN
        NEW.vector :=
            setweight(to_tsvector('simple', NEW.title_tokens || ' ' || NEW.title_pinyin), 'A') ||
            setweight(to_tsvector('simple', NEW.context_tokens || ' ' || NEW.context_pinyin), 'B') ||
            setweight(to_tsvector('simple', NEW.body_tokens), 'C') ||
            setweight(to_tsvector('simple', NEW.ngram_tokens), 'D');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER kb_searchdocument_vector_update BEFORE INSERT OR UPDATE
        ON kb_searchdocument FOR EACH ROW EXECUTE FUNCTION kb_searchdocument_vector()""",
    "CREATE INDEX kb_searchdocument_vector_gin ON kb_searchdocument USING gin (vector)",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS kb_searchdocument_vector_update ON kb_searchdocument",
    "DROP FUNCTION IF EXISTS kb_searchdocument_vector()",
    "DROP INDEX IF EXISTS kb_searchdocument_vector_gin",
    "ALTER TABLE kb_searchdocument DROP COLUMN IF EXISTS vector",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_REVERSE),
}


def _run(schema_editor, forward):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(
            f"search needs SQLite or PostgreSQL, not {schema_editor.connection.vendor}"
        )
    for sql in statements[0 if forward else 1]:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, forward=True)


def backwards(apps, schema_editor):
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
