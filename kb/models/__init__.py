"""The models of the help centre, one module per concern (all with the app label ``kb``):

- ``categories``: Category (products and topics, their official route and safety note);
- ``content``: Article, Cause, Remedy (and what the importer last wrote of each);
- ``readers``: ArticleHits (views, search clicks) and Feedback (votes);
- ``serving``: what every app server shares to serve pages (ContentVersion, StoredUpload);
- ``revisions``: ArticleDraft (proposed changes to a live article) and ArticleSlug (old URLs);
- ``kb.search.models``: the search's own models (synonyms, index documents and state, the
  search log and its daily counts), kept next to the search code;
- ``kb.search.curation``: what staff decide about queries (best bets, out of scope).
"""

from kb.search.curation import BestBet, OutOfScopeQuery
from kb.search.models import (
    SearchDocument,
    SearchIndexState,
    SearchLog,
    SearchQueryDay,
    Synonym,
)

from .categories import Category
from .content import Article, Cause, ImportTracked, Remedy
from .readers import ArticleHits, Feedback
from .revisions import ArticleDraft, ArticleSlug
from .serving import ContentVersion, StoredUpload

__all__ = [
    "Article",
    "ArticleDraft",
    "ArticleHits",
    "ArticleSlug",
    "BestBet",
    "Category",
    "Cause",
    "ContentVersion",
    "Feedback",
    "ImportTracked",
    "OutOfScopeQuery",
    "Remedy",
    "SearchDocument",
    "SearchIndexState",
    "SearchLog",
    "SearchQueryDay",
    "StoredUpload",
    "Synonym",
]
