from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Article, Category


def _published_articles():
    return Article.objects.published().select_related("category", "category__parent")


def home(request):
    articles = Prefetch("articles", queryset=_published_articles(), to_attr="public_articles")
    topics = Prefetch(
        "children", queryset=Category.objects.prefetch_related(articles), to_attr="topics"
    )
    products = [
        product
        for product in Category.objects.filter(parent=None).prefetch_related(topics, articles)
        if product.public_articles or any(t.public_articles for t in product.topics)
    ]
    return render(request, "kb/home.html", {"products": products})


def category_detail(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    topics = list(category.children.all())
    ids = [category.pk, *(t.pk for t in topics)]
    articles = _published_articles().filter(category__in=ids)
    return render(
        request,
        "kb/category_detail.html",
        {"category": category, "topics": topics, "articles": articles},
    )


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().with_page_content(), slug=slug)
    return render(request, "kb/article_detail.html", {"article": article})
