"""What the listing pages show, in a fixed number of queries whatever the number of articles:
home's products (their topics and their few most useful articles) and a category's articles a
page at a time. The views (kb.views) only parse the request and render."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import Http404

from .models import Article, Category
from .numbers import parse_int

# Home: per product, this many articles beside its topics and 「查看全部 N 篇」.
HOME_ARTICLES_PER_PRODUCT = 5
# A category page: this many articles a page (?page=N).
CATEGORY_PAGE_SIZE = 20
# No category holds more pages than this; a larger number is a page that does not exist.
MAX_PAGE = 100_000


def published_articles():
    """Published articles with what a list shows of them (``listed``) and their category."""
    return Article.objects.published().listed().select_related("category", "category__parent")


def in_listing_order(articles):
    """Articles as listings page them: by product, topic and title, then id, so that no two
    rows tie and a page never repeats or skips one of its neighbour's."""
    return articles.order_by(*Article._meta.ordering, "pk")


@dataclass
class ProductListing:
    product: Category
    topics: list = field(default_factory=list)  # the topics with articles, in their order
    articles: list = field(default_factory=list)  # its most useful articles
    count: int = 0  # all its published articles, its topics' included


def home_products(per_product=HOME_ARTICLES_PER_PRODUCT):
    """The products that have published articles, each with its topics (``topic.count``
    set) and its ``per_product`` most useful articles: four queries, whatever the number of
    articles (``ArticleQuerySet.most_useful_per_product``)."""
    counts = Article.objects.published().count_by_category()
    categories = list(Category.objects.all())
    listings = {
        c.pk: ProductListing(c, count=counts.get(c.pk, 0)) for c in categories if not c.parent_id
    }
    for topic in categories:
        topic.count = counts.get(topic.pk, 0)
        if topic.parent_id and topic.count:
            listings[topic.parent_id].topics.append(topic)
            listings[topic.parent_id].count += topic.count
    filed = [pk for pk, count in counts.items() if count]
    for article in published_articles().most_useful_per_product(filed, per_product):
        listings[article.product_id].articles.append(article)
    return [listing for listing in listings.values() if listing.count]


def page_number(raw):
    """The page a ``?page=`` value asks for: 1 when absent; a 404 when it is not a page
    number (kb.numbers.parse_int)."""
    if raw is None:
        return 1
    number = parse_int(raw, minimum=1, maximum=MAX_PAGE)
    if number is None:
        raise Http404("没有这一页。")
    return number


def product_topics(category):
    """The topics to narrow a category page by: a product's own, or a topic's siblings."""
    product = category.parent or category
    return list(product.children.all())


def category_page(category, topics, number, per_page=CATEGORY_PAGE_SIZE):
    """Page ``number`` of the published articles of ``category`` (and, for a product, of its
    ``topics``): a 404 past the last page; page 1 exists even when empty. Two queries."""
    ids = [category.pk]
    if not category.parent_id:
        ids += [topic.pk for topic in topics]
    articles = in_listing_order(published_articles().filter(category__in=ids))
    paginator = Paginator(articles, per_page)
    if number > paginator.num_pages:
        raise Http404("没有这一页。")
    return paginator.page(number)
