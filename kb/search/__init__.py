"""Chinese search over causes and articles, as a small library.

analyzer (text -> words and tokens, for documents and queries alike) -> query (what a query
means: products, typed pinyin, synonyms) -> backends (candidates from SQLite FTS5 or PostgreSQL
tsvector, behind the SearchBackend protocol) -> ranking (the final order and snippets, weighted
as fields says) -> engine (search and suggest). statistics keeps what the index knows as a whole
per index generation; indexer and signals keep the index in step with the content; models holds
the search's own models; did_you_mean offers title words when nothing was found.
"""
