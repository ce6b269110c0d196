"""「你是不是要找」: when a search finds nothing, offer title words that sound like the query.

The query and the words of published titles are compared as pinyin, with an edit distance that
forgives a slip or two of typing (huabie -> huabei 花呗, 分期了 -> fenqile 分期乐).
"""

from kb.text import has_cjk

from .analyzer import usual_reading
from .statistics import index_statistics


def _distance(a, b):
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def did_you_mean(query_text, limit=3):
    key = "".join(usual_reading(part) if has_cjk(part) else part for part in query_text.split())
    if len(key) < 3:
        return []
    allowed = 1 if len(key) <= 6 else 2
    scored = []
    # Title words only (kept per index generation by the search statistics): a reader who
    # found nothing is offered what the help centre's titles say.
    for reading, word in index_statistics.title_vocabulary.items():
        if word == query_text:
            continue
        distance = _distance(key, reading)
        if distance <= allowed:
            scored.append((distance, word))
    return [word for _, word in sorted(scored)[:limit]]
