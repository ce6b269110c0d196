"""The read-only JSON API (docs/architecture.md, "JSON API"), with its OpenAPI schema at
/api/openapi.json."""

from datetime import datetime
from typing import Annotated

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.http import urlencode
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import BeforeValidator

from . import feedback, hits, seo
from .csrf import cross_origin_protected
from .forms import MAX_QUERY_LENGTH
from .listings import MAX_PAGE, in_listing_order, published_articles
from .models import Article
from .numbers import parse_int
from .search.engine import search, suggest
from .variants import TRADITIONAL, traditional_suggestion


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
    closing: str
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


# At most this many articles an answer (and as many by default): clients page with ?page=N.
ARTICLES_PER_PAGE = 100


def _plain_number(value):
    """Query-string numbers through kb.numbers.parse_int (" 7", "+7", "٧" are not numbers);
    pydantic then checks the bounds the schema publishes."""
    return parse_int(value) if isinstance(value, str) else value


PlainInt = Annotated[int, BeforeValidator(_plain_number)]


class ArticleListParams(Schema):
    page: PlainInt = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    per_page: PlainInt = Field(
        ARTICLES_PER_PAGE, ge=1, le=ARTICLES_PER_PAGE, description="每页篇数（最多 100）"
    )


# RFC 8288 links to the neighbouring pages, as GitHub's API gives them.
PAGING_HEADERS = {
    "X-Total-Count": {
        "description": "已发布文章的总数",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": '相邻页的地址（RFC 8288）：<...>; rel="next"、rel="prev"、rel="first"、'
        'rel="last"；只有一页时没有此头',
        "schema": {"type": "string"},
    },
}


def _paging_links(request, number, paginator, per_page):
    """The Link header's value for page ``number`` (empty: everything is on page 1)."""
    last = paginator.num_pages
    if number == last == 1:
        return ""

    def link(to, rel):
        query = (
            {"page": to} if per_page == ARTICLES_PER_PAGE else {"page": to, "per_page": per_page}
        )
        url = seo.absolute_url(request, f"{request.path}?{urlencode(query)}")
        return f'<{url}>; rel="{rel}"'

    links = [link(number + 1, "next")] if number < last else []
    if number > 1:  # past the end too: its prev is the last page
        links.append(link(min(number - 1, last), "prev"))
    return ", ".join([*links, link(1, "first"), link(last, "last")])


@api.get(
    "/articles",
    response={200: list[ArticleSummaryOut], 400: ErrorOut},
    summary="已发布的文章（分页）",
    description=(
        "每页最多 100 篇（per_page），page 从 1 开始；超过最后一页返回空列表。"
        "总数在 X-Total-Count 头中，相邻页的地址在 Link 头中（RFC 8288）。"
    ),
    openapi_extra={"responses": {200: {"headers": PAGING_HEADERS}}},
)
def list_articles(request, response: HttpResponse, params: Query[ArticleListParams]):
    paginator = Paginator(in_listing_order(published_articles()), params.per_page)
    response["X-Total-Count"] = str(paginator.count)
    links = _paging_links(request, params.page, paginator, params.per_page)
    if links:
        response["Link"] = links
    if params.page > paginator.num_pages:
        return []  # past the last page: an empty list, as GitHub's API answers
    return [_summary(article) for article in paginator.page(params.page)]


@api.get(
    "/articles/{slug}",
    response={200: ArticleOut, 404: ErrorOut},
    summary="一篇文章：原因、解决办法与通用建议",
)
def get_article(request, slug: str):
    # What the article page shows, read the same way (Article.objects.with_page_content).
    article = Article.objects.published().with_page_content().filter(slug=slug).first()
    if article is None:
        raise HttpError(404, "找不到这篇文章。")
    return {
        **_summary(article),
        "summary": article.summary or article.causes_summary(),  # what the page opens with
        "closing": article.closing,
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
        "advice": [{"text": r.text} for r in article.general_advice],
    }


QUERY_MISSING = "请提供查询词 q。"


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    # The contract promises {"detail": "..."}: one readable sentence, not pydantic's list.
    fields = sorted({".".join(str(p) for p in e.get("loc", [])[1:]) or "参数" for e in exc.errors})
    detail = QUERY_MISSING if fields == ["q"] else f"参数无效：{'、'.join(fields)}。"
    return api.create_response(request, {"detail": detail}, status=400)


class SearchArticleOut(Schema):
    slug: str
    title: str
    url: str


class SearchCauseOut(Schema):
    position: int
    title: str


class SearchRemedyOut(Schema):
    position: int
    text: str


class SearchResultOut(Schema):
    type: str
    article: SearchArticleOut
    cause: SearchCauseOut | None
    url: str
    snippet: str
    remedies: list[SearchRemedyOut] = Field(description="原因的解决办法（纯文本）；文章结果为空")


class SearchOut(Schema):
    query: str
    count: int
    page: int
    pages: int
    truncated: bool
    results: list[SearchResultOut]
    related: list[SearchResultOut] = Field(
        description="较弱的匹配（查询中有它们没有涉及的内容）：可供参考，不是答案；最多 5 个"
    )


class SearchParams(Schema):
    # The schema says what the API accepts (schemathesis holds it to that, tests/test_hostile.py):
    # a query with something to search (not only spaces or NULs), pages within bounds.
    q: str = Field(pattern=r"[^\s\x00]", description="查询词")
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(10, ge=1, le=50)


def _search_params(params):
    text = params.q.replace("\x00", "").strip()
    return text[:MAX_QUERY_LENGTH], len(text) > MAX_QUERY_LENGTH


@api.get(
    "/search",
    response={200: SearchOut, 400: ErrorOut},
    summary="搜索原因与文章",
    description=(
        "results 是搜索认为能回答问题的结果，按相关度排序；没有把握的匹配放在 related，"
        "results 为空表示暂时没有答案。url 指向原因的锚点（#cause-N）；snippet 是已转义的 HTML，"
        "匹配处用 <mark> 标出；原因结果带 remedies（解决办法，纯文本）。"
        "query 是规范化后的查询（简体、小写），超过 100 字会被截断。"
    ),
)
def search_api(request, params: Query[SearchParams]):
    text, cut = _search_params(params)
    if not text:
        raise HttpError(400, QUERY_MISSING)
    page = search(text, page=params.page, per_page=params.per_page, log=params.page == 1)
    return {
        "query": page.query,
        "count": page.count,
        "page": page.page,
        "pages": page.num_pages,
        "truncated": cut or page.truncated,
        "results": [r.as_dict() for r in page.results],
        "related": [r.as_dict() for r in page.related],
    }


class SuggestionOut(Schema):
    title: str
    article: str
    type: str
    url: str


class SuggestOut(Schema):
    query: str
    suggestions: list[SuggestionOut]


@api.get(
    "/suggest",
    response={200: SuggestOut, 400: ErrorOut},
    summary="输入时的搜索建议",
    url_name="suggest",
)
def suggest_api(request, q: str = "", variant: str = ""):
    text = q.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    suggestions = suggest(text) if text else []
    if variant == TRADITIONAL:  # for /zh-hant/ pages: traditional text, links that stay there
        suggestions = [traditional_suggestion(s) for s in suggestions]
    return {"query": text, "suggestions": suggestions}


class SearchClickIn(Schema):
    slug: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")
    # The search the result was on, as its page shows it (normalised, at most
    # MAX_QUERY_LENGTH): counted for that query too (the work queue's "nobody clicked").
    query: str = Field("", max_length=MAX_QUERY_LENGTH)


def _click_refused(request, *args, **kwargs):
    return api.create_response(request, {"detail": "只能在本站的页面上记录点击。"}, status=403)


@api.post(
    "/search/click",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="记录读者点了哪个搜索结果（热门问题、搜索工作队列）",
    description="只计数，不记录读者信息：文章的搜索点击次数，以及（给出 query 时）这个查询的点击次数。"
    "只接受本站页面发出的请求，每个网络地址有频率限制。",
)
# Another site's page could otherwise push any article into the hot questions: checked as the
# votes are (kb.csrf), before the body is read.
@decorate_view(cross_origin_protected(_click_refused))
def search_click(request, payload: SearchClickIn):
    if feedback.address_limited(request, "search-click"):
        raise HttpError(429, "操作太频繁，请稍后再试。")
    article = Article.objects.published().filter(slug=payload.slug).first()
    if article is None:
        raise HttpError(404, "没有这篇文章。")
    hits.count_search_click(article.pk, payload.query)
    return HttpResponse(status=204)
