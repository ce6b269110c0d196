"""Many articles for tests at scale: published ones in a few queries (bulk_create), each with
causes and remedies, spread over the imported categories; or source texts to import."""

import shutil

from django.conf import settings

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


def write_source_texts(folder, count, causes_per_article=5):
    """``count`` articles as source texts in the content format (docs/architecture.md,
    "Source-text format"), with the real catalog, in ``folder``. Returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = []
    for n in range(count):
        lines = [f"分期乐第{n}号问题还款失败的原因如下:"]
        for position in range(1, causes_per_article + 1):
            lines += [f"{position}、原因{n}之{position}", f"说明第{position}条。建议联系客服核实。"]
        lines.append("总结这篇文章。请及时还款。")
        texts.append("\n".join(lines) + "\n")
    (folder / "many.txt").write_text("".join(texts), encoding="utf-8")
    catalog = settings.KB_CONTENT_DIR / "catalog.toml"
    shutil.copy(catalog, folder / "catalog.toml")
    return folder
