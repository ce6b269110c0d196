from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .cache import cache_public_page
from .forms import SearchForm
from .models import Article, Category
from .search.did_you_mean import did_you_mean
from .search.engine import search


def _published_articles():
    return Article.objects.published().select_related("category", "category__parent")


@cache_public_page
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


@cache_public_page
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


@cache_public_page
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().with_page_content(), slug=slug)
    return render(request, "kb/article_detail.html", {"article": article})


def search_results(request):
    form = SearchForm(request.GET)
    query = form.query
    page = search(query, page=form.page_number, log=form.page_number == 1) if query else None
    context = {"form": form, "query": query, "page": page, "was_cut": form.was_cut}
    if page is not None and page.count == 0:
        context["did_you_mean"] = did_you_mean(page.query)
    if page is None or page.count == 0:
        context["browse"] = Category.objects.filter(
            parent=None, pk__in=_published_articles().values("category__parent")
        )
        context["hot_articles"] = _published_articles()[:5]
    return render(request, "kb/search.html", context)
