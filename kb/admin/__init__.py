"""Staff editing. One article is edited in one place: its causes inline, each with its remedies
nested inside, and the general advice below. Editors (group 编辑) write drafts; publishers
(group 发布) also publish, schedule and change what is live. Every save is a version of the
whole article (kb.history) that can be compared and restored; records edited since the last
import are marked, since the importer will leave them alone.

One module per concern: ``roles`` (who may change what), ``fields`` (the text boxes),
``inlines`` (causes, remedies, general advice and their formset), ``filters`` (the article
list's), ``articles`` (the article editor, its preview and history views) and the other models' admins:
``categories``, ``readers`` (feedback, daily views), ``synonyms`` and ``best_bets`` (best
bets, queries out of scope); ``imports`` (upload, preview, apply), ``queue`` (the search work
queue) and ``charts`` are the admin site's own pages (kb.admin_site). Django's autodiscovery
imports this package; importing the modules registers them."""

from . import articles, best_bets, categories, drafts, readers, synonyms  # noqa: F401 - each registers its admin
