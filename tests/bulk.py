"""Many published articles in a few queries (bulk_create), for tests of pages and the API at
scale: each with causes and remedies, spread over the imported categories."""

from kb.models import Article, Category, Cause, Remedy


def add_articles(count, start=0, causes_per_article=3, categories=None):
    """``count`` published articles (slugs ``bulk-<start>``...), filed in turn under ``categories``
    (default: every imported category). Returns them."""
    categories = categories or list(Category.objects.order_by("pk"))
    articles = Article.objects.bulk_create(
        Article(
            title=f"批量文章{n:04d}：还款失败怎么办",
            slug=f"bulk-{n}",
            summary=f"第 {n} 篇批量文章的摘要。",
            category=categories[n % len(categories)],
            status=Article.Status.PUBLISHED,
        )
        for n in range(start, start + count)
    )
    causes = Cause.objects.bulk_create(
        Cause(article=article, position=p, title=f"原因{p}", explanation=f"说明{p}。")
        for article in articles
        for p in range(1, causes_per_article + 1)
    )
    Remedy.objects.bulk_create(
        Remedy(article_id=cause.article_id, cause=cause, position=1, text="联系客服。")
        for cause in causes
    )
    return articles
