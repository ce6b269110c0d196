"""What search engines and link previews read: absolute URLs, breadcrumbs, schema.org JSON-LD,
sitemaps, feed.

Every absolute URL the site writes comes from ``absolute_url``: on ``KB_SITE_URL`` when it is
set, so a request's Host header (``HELP.example.com:1337``, a final dot) cannot make pages,
the sitemap or the feed name URLs of their own. JSON-LD follows https://schema.org/FAQPage and
https://schema.org/BreadcrumbList.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .cache import cache_public_page
from .markdown import plain_text
from .models import Article, Category
from .numbers import parse_int

SITE_NAME = "帮助中心"


def absolute_url(request, path):
    """``path`` (``/articles/x/``) as an absolute URL: under KB_SITE_URL when it is set, else on
    the scheme and host the request came with."""
    if settings.KB_SITE_URL:
        return f"{settings.KB_SITE_URL}{iri_to_uri(path)}"
    return request.build_absolute_uri(path)


@dataclass
class Crumb:
    name: str
    url: str = ""  # empty: the current page


def breadcrumbs(category=None, article=None, current=None):
    """首页 › product › topic [› article] [› current]: the last crumb is the page itself."""
    crumbs = [Crumb("首页", reverse("kb:home"))]
    if category is not None:
        crumbs += [Crumb(c.name, c.get_absolute_url()) for c in category.path]
    if article is not None:
        crumbs.append(Crumb(article.title, article.get_absolute_url()))
    if current:
        crumbs.append(Crumb(current))
    else:
        crumbs[-1] = Crumb(crumbs[-1].name)
    return crumbs


def breadcrumb_jsonld(request, crumbs):
    items = []
    for position, crumb in enumerate(crumbs, start=1):
        item = {"@type": "ListItem", "position": position, "name": crumb.name}
        item["item"] = absolute_url(request, crumb.url or request.path)
        items.append(item)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def faq_jsonld(article):
    """Each cause a question, its explanation and remedies the answer."""
    questions = []
    for cause in article.causes.all():
        remedies = [plain_text(remedy.text, one_line=True) for remedy in cause.remedies.all()]
        answer = " ".join(filter(None, [plain_text(cause.explanation, one_line=True), *remedies]))
        questions.append(
            {
                "@type": "Question",
                "name": f"{article.title}：{cause.title}",
                "acceptedAnswer": {"@type": "Answer", "text": answer or cause.title},
            }
        )
    return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}


class _VariantSitemap(Sitemap):
    # Both scripts, each URL listing its alternates (hreflang) and an x-default.
    i18n = True
    alternates = True
    x_default = True

    @property
    def limit(self):
        """URLs a sitemap (or a page of a section, ?p=N) holds: the protocol's 50,000."""
        return settings.KB_SITEMAP_LIMIT

    # Django's sitemap view gives the request's scheme and host (no django.contrib.sites).
    def get_protocol(self, protocol=None):
        return urlsplit(settings.KB_SITE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.KB_SITE_URL).netloc or super().get_domain(site)


class StaticSitemap(_VariantSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["kb:home", "kb:about"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(_VariantSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        published = Article.objects.published()
        return (
            Category.objects.filter(Q(articles__in=published) | Q(children__articles__in=published))
            .distinct()
            .order_by("pk")
        )


class ArticleSitemap(_VariantSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {"pages": StaticSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}


@cache_public_page
def sitemap(request):
    """/sitemap.xml: every URL in one sitemap while they fit in one (KB_SITEMAP_LIMIT, the
    protocol's 50,000: https://www.sitemaps.org/protocol.html#index), else an index of the
    sections (``sitemap_section``), each paged by Django (?p=N) at the same limit."""
    urls = sum(site().paginator.count for site in SITEMAPS.values())
    if urls <= settings.KB_SITEMAP_LIMIT:
        return sitemap_views.sitemap(request, SITEMAPS)
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")
    # Django names the sections on the request's host: on KB_SITE_URL instead, as every URL.
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        item.location = absolute_url(request, f"{parts.path}?{parts.query}".rstrip("?"))
    return response


@cache_public_page
def sitemap_section(request, section):
    """One section of the index; its page ?p=N only as plain digits (kb.numbers.parse_int)."""
    page = request.GET.get("p")
    if page is not None and parse_int(page, minimum=1) is None:
        raise Http404("没有这一页。")
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


class UpdatedArticlesFeed(Feed):
    """Atom feed of the most recently updated articles."""

    feed_type = Atom1Feed
    title = f"{SITE_NAME}：最近更新"
    subtitle = "花呗、分期乐等消费信贷常见问题的最新解答。"

    # Django's Feed puts the request's host before relative links; absolute ones it keeps. The
    # feed's "object" is the request, so that every link can be made absolute (absolute_url).
    def get_object(self, request):
        return request

    def link(self, request):
        return absolute_url(request, reverse("kb:home"))

    def feed_url(self, request):
        return absolute_url(request, request.path)

    def items(self, request):
        articles = list(
            Article.objects.published()
            .select_related("category")
            .prefetch_related("causes")
            .order_by("-updated_at")[:20]
        )
        for article in articles:
            article.feed_link = absolute_url(request, article.get_absolute_url())
        return articles

    def item_link(self, article):
        return article.feed_link

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Atom writes it as <summary type="html">: readers render it, so it must be markup
        # with the text escaped, never a title or summary as typed.
        return escape(plain_text(article.summary, one_line=True) or article.causes_summary())

    def item_updateddate(self, article):
        return article.updated_at

    def item_pubdate(self, article):
        return article.published_at or article.created_at

    def item_categories(self, article):
        return [str(article.category)]


def _shorten(text, length):
    return text if len(text) <= length else f"{text[: length - 1]}…"


def describe(article, length=120):
    """The meta description and share card of an article: its answer-first summary as plain
    text. A summary that points at text above (「以上两种原因」) means nothing in a link preview:
    then, as without a summary, one is written from the causes."""
    text = plain_text(article.summary, one_line=True)
    if not text or "以上" in text:
        text = article.causes_summary()
    return _shorten(text, length)


def describe_cause(cause, length=120):
    """The share card of one cause (its own page, kb:cause): the cause and what to do."""
    remedies = " ".join(plain_text(r.text, one_line=True) for r in cause.remedies.all())
    body = remedies or plain_text(cause.explanation, one_line=True)
    return _shorten(f"可能的原因：{cause.title}。{body}", length)
