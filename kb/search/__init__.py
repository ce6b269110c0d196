"""Chinese search over causes and articles (see analyzer, backends, ranking, indexer)."""
