"""The public page cache.

Pages that are the same for every anonymous reader (home, categories, articles) are kept whole,
headers and all, and a repeat request for them is answered from the cache before the rest of
the middleware, the URL resolver and the view run: a cached page costs about what a static file
costs. The package is only a cache: it knows no model. Views say what may be cached and for how
long; whoever wants to know when a page is read listens to ``page_served``.

- ``decorators``: ``@cache_public_page`` (a view opts in, and may bound its pages' lifetime)
  and ``tag_page`` (an opaque tag that ``page_served`` carries);
- ``middleware``: ``PageCacheMiddleware``, the page keys, ``page_served``;
- ``entries``: what is stored of a page, and the response replayed from it;
- ``versions``: content versions per scope, kept in the database: each page records the
  versions of what it showed, and a change (kb.signals) bumps only the scopes it touches, so an
  edit makes again only the pages that showed the changed record;
- ``recent``: the pages each process served lately, kept in its memory, so that a hit usually
  reads nothing at all.

Only GET and HEAD requests without a session cookie (staff see their edits at once), for a path
that a cached view answers (the search and the API never wait on the cache), are answered from
the cache, and only answers that are 200, set no cookie and carry nothing of one visitor (no
CSRF token: the feedback forms need none, see kb.csrf) are stored. Such pages get an ETag and
Last-Modified, so browsers and CDNs revalidate with a 304 instead of downloading the page
again, and a Cache-Control that lets a CDN keep them ``KB_CDN_MAX_AGE`` seconds and serve a
stale copy while it revalidates.

Redis being down is a cache miss (django-redis ignores the errors): pages are then served from
each process's recent pages or rendered from the database as if there were no cache; the
versions are in the database, so a change made meanwhile is never hidden by a page cached before.
"""

from .decorators import cache_public_page, tag_page
from .middleware import page_served
from .versions import bump_content_version, depends_on

__all__ = ["bump_content_version", "cache_public_page", "depends_on", "page_served", "tag_page"]
