"""The read-only JSON API (DESIGN.md, section 2), with its OpenAPI schema at /api/openapi.json."""

from datetime import datetime

from django.db.models import Prefetch
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from .models import Article, Cause, Remedy


class UnicodeJSONRenderer(JSONRenderer):
    # Chinese as UTF-8, not \uXXXX escapes: smaller and readable.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UnicodeJSONRenderer(),
    title="帮助中心 API",
    version="1.0",
    description='已发布文章的只读接口。错误以 {"detail": "..."} 返回。',
    urls_namespace="api",
    docs_url=None,
)


class ArticleSummaryOut(Schema):
    slug: str
    title: str
    url: str
    category: str


class RemedyOut(Schema):
    position: int
    text: str


class CauseOut(Schema):
    position: int
    title: str
    body: str
    remedies: list[RemedyOut]


class AdviceOut(Schema):
    text: str


class ArticleOut(Schema):
    slug: str
    title: str
    summary: str
    category: str
    url: str
    updated_at: datetime
    causes: list[CauseOut]
    advice: list[AdviceOut]


class ErrorOut(Schema):
    detail: str


def _summary(article):
    return {
        "slug": article.slug,
        "title": article.title,
        "url": article.get_absolute_url(),
        "category": str(article.category),
    }


@api.get("/articles", response=list[ArticleSummaryOut], summary="已发布的文章")
def list_articles(request):
    articles = Article.objects.published().select_related("category", "category__parent")
    return [_summary(article) for article in articles]


@api.get(
    "/articles/{slug}",
    response={200: ArticleOut, 404: ErrorOut},
    summary="一篇文章：原因、解决办法与通用建议",
)
def get_article(request, slug: str):
    article = (
        Article.objects.published()
        .select_related("category", "category__parent")
        .prefetch_related(
            Prefetch("causes", queryset=Cause.objects.prefetch_related("remedies")),
            Prefetch("remedies", queryset=Remedy.objects.filter(cause=None), to_attr="advice_list"),
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise HttpError(404, "找不到这篇文章。")
    return {
        **_summary(article),
        "summary": article.summary,
        "updated_at": article.updated_at,
        "causes": [
            {
                "position": cause.position,
                "title": cause.title,
                "body": cause.explanation,
                "remedies": [
                    {"position": r.position, "text": r.text} for r in cause.remedies.all()
                ],
            }
            for cause in article.causes.all()
        ],
        "advice": [{"text": r.text} for r in article.advice_list],
    }
