"""What search engines and link previews read: breadcrumbs, schema.org JSON-LD, sitemaps, feed.

JSON-LD follows https://schema.org/FAQPage and https://schema.org/BreadcrumbList.
"""

import html
from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, strip_tags

from .markdown import render_markdown
from .models import Article, Category

SITE_NAME = "帮助中心"


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


def plain_text(markdown_source):
    """Markdown source as one line of text (not HTML: "<" is "<"; escape it where markup goes)."""
    return " ".join(html.unescape(strip_tags(render_markdown(markdown_source))).split())


def breadcrumb_jsonld(request, crumbs):
    items = []
    for position, crumb in enumerate(crumbs, start=1):
        item = {"@type": "ListItem", "position": position, "name": crumb.name}
        item["item"] = request.build_absolute_uri(crumb.url or request.path)
        items.append(item)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def faq_jsonld(article):
    """Each cause a question, its explanation and remedies the answer."""
    questions = []
    for cause in article.causes.all():
        remedies = [plain_text(remedy.text) for remedy in cause.remedies.all()]
        answer = " ".join(filter(None, [plain_text(cause.explanation), *remedies]))
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


class StaticSitemap(_VariantSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["kb:home"]

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


class UpdatedArticlesFeed(Feed):
    """Atom feed of the most recently updated articles."""

    feed_type = Atom1Feed
    title = f"{SITE_NAME}：最近更新"
    subtitle = "花呗、分期乐等消费信贷常见问题的最新解答。"

    def link(self):
        return reverse("kb:home")

    def items(self):
        return Article.objects.published().select_related("category").order_by("-updated_at")[:20]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Atom writes it as <summary type="html">: readers render it, so it must be markup
        # with the text escaped, never a title or summary as typed.
        return escape(plain_text(article.summary) or article.title)

    def item_updateddate(self, article):
        return article.updated_at

    def item_pubdate(self, article):
        return article.published_at or article.created_at

    def item_categories(self, article):
        return [str(article.category)]


def describe(article, length=120):
    """The meta description of an article: its summary as plain text, or its causes."""
    text = plain_text(article.summary) or "、".join(c.title for c in article.causes.all())
    return text if len(text) <= length else f"{text[: length - 1]}…"
