"""PostgreSQL only: document frequencies of the index's terms, for ranking (idf) and for picking
the most selective terms of a query. Counting them on demand would read whole posting lists;
this view is refreshed when the index is rebuilt or content imported (kb.search.indexer), and a
term it does not know yet is counted on demand. SQLite's FTS5 counts cheaply without it."""

from django.db import migrations

FORWARD = [
    """CREATE MATERIALIZED VIEW kb_search_terms AS
        SELECT word, ndoc FROM ts_stat('SELECT vector FROM kb_searchdocument')""",
    "CREATE UNIQUE INDEX kb_search_terms_word ON kb_search_terms (word)",
]
REVERSE = ["DROP MATERIALIZED VIEW IF EXISTS kb_search_terms"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("kb", "0009_feedback_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
