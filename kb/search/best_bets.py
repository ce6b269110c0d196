"""Best bets in search: when the reader's query equals or contains a best bet's phrase (both
compared as curation.match_key writes them), its article or cause is the first result, whatever
ranking thinks, and the search counts as answered. The longest matching phrase wins.

The bets are read from the database when a search is worked out (one small query); a save or
delete moves the index generation on (kb.search.signals), so no worker answers from results it
cached before the change (kb.search.results).
"""

from django.db.models import CharField, F, Value
from django.db.models.functions import Length

from kb.models import Article

from .backends import Row
from .curation import BestBet, match_key
from .models import SearchDocument
from .ranking import Candidate


def _matching(query_text):
    """The enabled bets whose phrase the query contains, the longest (the one that applies)
    first; None when the query has nothing to match."""
    key = match_key(query_text)
    if not key:
        return None
    return (
        BestBet.objects.filter(enabled=True)
        .alias(query=Value(key, output_field=CharField()))
        .filter(query__contains=F("key"))
        .order_by(Length("key").desc(), "pk")
    )


def best_bet_for(query_text):
    """(article id, cause id or None) of the best bet for a query, or None: the enabled bet
    with the longest phrase the query contains, found by the database in one query."""
    bets = _matching(query_text)
    return None if bets is None else bets.values_list("article_id", "cause_id").first()


def best_bet_saved_at(query_text):
    """When the best bet that answers a query was last saved (the work queue counts from
    then), or None."""
    bets = _matching(query_text)
    return None if bets is None else bets.values_list("updated_at", flat=True).first()


def _document(article_id, cause_id):
    """The bet's search document as the backends return rows, if readers may see it."""
    documents = SearchDocument.objects.filter(
        article_id=article_id,
        article__in=Article.objects.published(),
        **({"cause_id": cause_id} if cause_id else {"cause__isnull": True}),
    )
    values = documents.values_list(
        "id",
        "kind",
        "title",
        "context",
        "body",
        "title_pinyin",
        "context_pinyin",
        "article__slug",
        "article__title",
        "cause_id",
        "cause__position",
        "cause__title",
    ).first()
    return Row(*values) if values else None


def apply(query, ranked):
    """``ranked`` ([(score, Candidate, confident)], best first) with the query's best bet
    first, as an answer: staff stand behind it."""
    bet = best_bet_for(query.text)
    row = _document(*bet) if bet else None
    if row is None:
        return ranked
    top = ranked[0][0] if ranked else 0.0
    rest = [entry for entry in ranked if entry[1].doc.id != row.id]
    return [(top + 1.0, Candidate.from_row(row), True), *rest]
