"""When the public pages change without any save: a scheduled article goes live.

An article published with a date in the future appears when that time comes
(``Article.objects.published()``), and no signal announces it: the views that list articles
tell the page cache (kb.cache) to keep their pages no longer than that.
"""

from django.utils import timezone

from .models import Article


def seconds_to_next_publication():
    """Seconds until the next scheduled article goes live (at least 1), or None if none is."""
    now = timezone.now()
    upcoming = (
        Article.objects.scheduled(now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return None
    return max(1, int((upcoming - now).total_seconds()) + 1)
