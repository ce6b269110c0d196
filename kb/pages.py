"""What an article's pages show, built in one place: the public views (kb.views) and the staff
preview (kb.admin) both render the article page from it, so a preview shows exactly what
readers will see; a cause's own page (the link a reader shares) is built here too."""

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


def cause_page_context(article, cause):
    """The template context of kb/cause_detail.html: one cause of an article, on a URL of its
    own so that a shared link's preview (og:description) is about that cause. Link previews
    never see a #cause-N fragment."""
    causes = list(article.causes.all())
    others = [c for c in causes if c != cause]
    return {
        "article": article,
        "cause": cause,
        "other_causes": others,
        "page_title": f"{cause.title} - {article.title}",
        "page_description": seo.describe_cause(cause),
        "og_type": "article",
        "crumbs": seo.breadcrumbs(
            article.category, article, current=f"原因 {cause.position}：{cause.title}"
        ),
        "troubleshooter": Troubleshooter(article),
    }
