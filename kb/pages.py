"""What an article's page shows, built in one place: the public view (kb.views) and the staff
preview (kb.admin) both render it, so a preview shows exactly what readers will see."""

from . import seo
from .troubleshooter import Troubleshooter


def article_page_context(article):
    """The template context of kb/article_detail.html for one article (fetched with
    ``with_page_content()``)."""
    return {
        "article": article,
        "page_title": article.title,
        "page_description": seo.describe(article),
        "og_type": "article",
        "crumbs": seo.breadcrumbs(article.category, article),
        "troubleshooter": Troubleshooter(article),
        "related_articles": article.related(),
        "faq": seo.faq_jsonld(article),
    }
