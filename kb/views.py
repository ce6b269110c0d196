import time

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import feedback, hits, listings, seo
from .cache import cache_public_page
from .cache.decorators import is_anonymous_read
from .csrf import cross_origin_protected
from .errors import wants_json
from .forms import SearchForm
from .models import Article, Category
from .pages import article_page_context, cause_page_context
from .personal_data import has_personal_data
from .publishing import seconds_to_next_publication
from .search import log as search_log
from .search.did_you_mean import did_you_mean
from .search.engine import search
from .search.indexer import SEARCH_SCOPE
from .signals import CATALOG
from .troubleshooter import Answers, Troubleshooter

HOT_QUESTIONS = 5


def _published_articles():
    return Article.objects.published().select_related("category", "category__parent")


def _article_with_content(slug):
    """A published article with everything its page shows (see with_page_content)."""
    return get_object_or_404(Article.objects.published().with_page_content(), slug=slug)


# Hot questions change with reading counts, not only with content: refresh them every few minutes.
HOT_QUESTIONS_REFRESH_SECONDS = 300


@cache_public_page(
    timeout=HOT_QUESTIONS_REFRESH_SECONDS,
    expires_in=seconds_to_next_publication,
    depends_on=[CATALOG],
)
def home(request):
    hot = _published_articles().hot()[:HOT_QUESTIONS]
    return render(
        request, "kb/home.html", {"products": listings.home_products(), "hot_articles": hot}
    )


@cache_public_page(expires_in=seconds_to_next_publication)
def category_detail(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    number = listings.page_number(request.GET.get("page"))
    topics = listings.product_topics(category)
    page = listings.category_page(category, topics, number)
    title = " - ".join(c.name for c in reversed(category.path))
    context = {
        "category": category,
        "product": category.product,
        "topics": topics,
        "page": page,
        "crumbs": seo.breadcrumbs(category),
        "page_title": title if number == 1 else f"{title}（第 {number} 页）",
        "page_description": category.description or category.name,
    }
    if number > 1:  # each page of a listing is its own canonical URL, not a copy of page 1
        context["canonical_url"] = seo.absolute_url(request, f"{request.path}?page={number}")
    return render(request, "kb/category_detail.html", context)


@cache_public_page(expires_in=seconds_to_next_publication)
def article_detail(request, slug):
    try:
        article = _article_with_content(slug)
    except Http404:
        # A slug the article had before (ArticleSlug): its links keep working.
        renamed = Article.objects.published().filter(old_slugs__slug=slug).first()
        if renamed is None:
            raise
        return redirect(renamed, permanent=True)
    response = render(request, "kb/article_detail.html", article_page_context(article))
    # A view of this article each time the page is read, whether the page cache renders it or not.
    hits.count_readings(response, article.pk)
    return response


@cache_public_page(expires_in=seconds_to_next_publication)
def cause_detail(request, slug, position):
    """One cause on a page of its own: the link a reader shares, with a preview of that cause."""
    article = _article_with_content(slug)
    cause = next((c for c in article.causes.all() if c.position == position), None)
    if cause is None:
        raise Http404("没有这个原因。")
    return render(request, "kb/cause_detail.html", cause_page_context(article, cause))


@cache_public_page()
def about(request):
    """关于本站: who runs it, what it cannot do (see an account), where the official help is."""
    products = Category.objects.filter(parent=None)
    return render(
        request,
        "kb/about.html",
        {
            "products": products,
            "page_title": "关于本站",
            "page_description": "本站是消费信贷常见问题的帮助网站，不是任何贷款或支付平台的官方网站。",
            "crumbs": seo.breadcrumbs(current="关于本站"),
        },
    )


@cache_public_page(
    timeout=HOT_QUESTIONS_REFRESH_SECONDS,
    expires_in=seconds_to_next_publication,
    depends_on=[CATALOG, SEARCH_SCOPE],
    store_when_repeated=True,
)
def search_results(request):
    # A repeated question is answered by the page cache (kb.cache), keyed on the URL, stored
    # from its second asking (most questions are asked once) and kept
    # while the index (SEARCH_SCOPE) and the catalogue are as they were; the page counts its
    # search each time it is answered with (kb.search.log). Staff pass the cache: their
    # searches are logged here.
    form = SearchForm(request.GET)
    query = form.query
    first = form.page_number == 1
    # A reader's own phone, ID or card number in the question: that page is kept nowhere, not
    # by us and not by any cache on the way (the log keeps the question redacted).
    private = has_personal_data(query)
    cached = is_anonymous_read(request) and not private
    started = time.perf_counter()
    page = search(query, page=form.page_number, log=first and not cached) if query else None
    took_ms = round((time.perf_counter() - started) * 1000)
    context = {"form": form, "query": query, "page": page, "was_cut": form.was_cut}
    if page is not None and page.count == 0:
        context["did_you_mean"] = did_you_mean(page.query)
    if page is None or page.count == 0:
        context["browse"] = Category.objects.filter(
            parent=None, pk__in=_published_articles().values("category__parent")
        )
        context["hot_articles"] = list(_published_articles().hot()[:HOT_QUESTIONS]) or list(
            _published_articles()[:HOT_QUESTIONS]
        )
    response = render(request, "kb/search.html", context)
    if private:
        add_never_cache_headers(response)
    elif page is not None and page.query and first and cached:
        search_log.count_searches(response, page.query, page.count, took_ms)
    return response


def _troubleshooter(request, slug):
    article = _article_with_content(slug)
    troubleshooter = Troubleshooter(article, Answers.from_query(request.GET))
    if not troubleshooter:
        raise Http404("这篇文章没有自助排查。")
    return article, troubleshooter


def _troubleshoot_context(article, page_title, **context):
    return {
        "article": article,
        "page_title": f"{page_title} - 自助排查：{article.title}",
        "page_description": f"回答几个问题，找到「{article.title}」的原因和解决办法。",
        "crumbs": seo.breadcrumbs(article.category, article, current="自助排查"),
        **context,
    }


def troubleshoot_question(request, slug, position=None):
    article, troubleshooter = _troubleshooter(request, slug)
    step = troubleshooter.step(position)
    if step is None:
        raise Http404("没有这个问题。")
    if position is not None and step.url != request.path:
        # The first question lives at the start URL.
        return redirect(step.url + troubleshooter.answers.query(), permanent=True)
    return render(
        request,
        "kb/troubleshoot_question.html",
        _troubleshoot_context(
            article,
            f"第 {step.number} 题：{step.cause.troubleshoot_question}",
            step=step,
            troubleshooter=troubleshooter,
        ),
    )


def troubleshoot_match(request, slug, position):
    article, troubleshooter = _troubleshooter(request, slug)
    step = troubleshooter.step(position)
    if step is None:
        raise Http404("没有这个原因。")
    return render(
        request,
        "kb/troubleshoot_match.html",
        _troubleshoot_context(
            article, f"可能的原因：{step.cause.title}", step=step, troubleshooter=troubleshooter
        ),
    )


def troubleshoot_advice(request, slug):
    """The end of the troubleshooter, worded for how the reader got here (kb.troubleshooter)."""
    article, troubleshooter = _troubleshooter(request, slug)
    tried, unsure = troubleshooter.tried_causes, troubleshooter.unsure_causes
    if tried:
        title = "试过的办法没有解决问题"
    elif unsure:
        title = "还有原因没法确定"
    else:
        title = "这些原因都不符合你的情况"
    return render(
        request,
        "kb/troubleshoot_advice.html",
        _troubleshoot_context(
            article,
            title,
            end_title=title,
            tried=tried,
            unsure=unsure,
            troubleshooter=troubleshooter,
        ),
    )


def _thanks_url(article, form_data):
    query = {"helpful": "yes" if form_data["helpful"] else "no"}
    if form_data["cause"] is not None:
        query["cause"] = form_data["cause"].position
    if form_data["remedy"] is not None:
        query["remedy"] = form_data["remedy"].position
    if form_data["comment"]:
        query["commented"] = 1
    return f"{reverse('kb:feedback_thanks', kwargs={'slug': article.slug})}?{urlencode(query)}"


def _vote_refused(request, slug):
    if wants_json(request):
        return JsonResponse({"detail": "只能在本站的页面上提交反馈。"}, status=403)
    article = get_object_or_404(_published_articles(), slug=slug)
    return render(
        request, "kb/feedback_error.html", {"article": article, "cross_origin": True}, status=403
    )


def _thanks_context(article, cause, helpful, remedy=None, **context):
    """The thank-you page: for a "no", the next steps and a chance to say what was missing;
    for either, a way to change a mis-tapped vote, and the way back to what was voted on."""
    if remedy is not None:
        back_url = f"{article.get_absolute_url()}#{remedy.anchor}"
    elif cause is not None:
        back_url = cause.get_absolute_url()
    else:
        back_url = f"{article.get_absolute_url()}#feedback"
    yes_label, no_label = feedback.vote_labels(cause, remedy)
    return {
        "article": article,
        "cause": cause,
        "remedy": remedy,
        "helpful": helpful,
        "chosen_label": yes_label if helpful else no_label,
        "other_label": no_label if helpful else yes_label,
        "next_steps": []
        if helpful
        else feedback.next_steps(article, cause, Troubleshooter(article)),
        "back_url": back_url,
        "page_title": "谢谢你的反馈",
        "crumbs": seo.breadcrumbs(article.category, article, current="谢谢你的反馈"),
        **context,
    }


@never_cache
@require_POST
@cross_origin_protected(_vote_refused)
def feedback_vote(request, slug):
    """Record a vote (and optional comment). Without JavaScript: 303 to the thank-you page;
    with it (Accept: application/json): a JSON answer. A later vote replaces the earlier one."""
    article = get_object_or_404(_published_articles(), slug=slug)
    json_wanted = wants_json(request)
    form = feedback.FeedbackForm(request.POST, article=article)
    if not form.is_valid():
        comment_errors = form.errors.get("comment")
        if json_wanted:
            detail = comment_errors[0] if comment_errors else "反馈内容无效。"
            return JsonResponse({"detail": detail}, status=400)
        if comment_errors and set(form.errors) == {"comment"}:
            # Keep what the reader wrote, so that they only remove the number.
            context = _thanks_context(
                article,
                form.cleaned_data.get("cause"),
                form.cleaned_data["helpful"],
                form.cleaned_data.get("remedy"),
                comment=request.POST.get("comment", ""),
                comment_error=comment_errors[0],
            )
            return render(request, "kb/feedback_thanks.html", context, status=400)
        return render(request, "kb/feedback_error.html", {"article": article}, status=400)

    raw_id = feedback.visitor_id(request)
    visitor = feedback.visitor_hash(raw_id)
    if feedback.rate_limited(request, visitor):
        if json_wanted:
            return JsonResponse({"detail": "提交太频繁，请稍后再试。"}, status=429)
        return render(
            request, "kb/feedback_error.html", {"article": article, "too_many": True}, status=429
        )

    data = form.cleaned_data
    feedback.record_feedback(
        article, visitor, data["helpful"], data["cause"], data["comment"], data["remedy"]
    )
    thanks_url = _thanks_url(article, data)
    if json_wanted:
        steps = (
            []
            if data["helpful"]
            else feedback.next_steps(article, data["cause"], Troubleshooter(article))
        )
        response = JsonResponse(
            {
                "ok": True,
                "thanks_url": thanks_url,
                "next_steps": [{"text": step.text, "url": step.url} for step in steps],
            }
        )
    else:
        response = redirect(thanks_url)
        response.status_code = 303  # see other: the browser GETs the thank-you page
    feedback.remember_visitor(request, response, raw_id)
    return response


@never_cache
@require_GET
def feedback_thanks(request, slug):
    """谢谢: and, for a "no", what to try next and a chance to say what was missing."""
    article = get_object_or_404(Article.objects.published().with_page_content(), slug=slug)
    cause = feedback.cause_at(article, request.GET.get("cause"))
    remedy = feedback.remedy_at(cause, request.GET.get("remedy"))
    helpful = request.GET.get("helpful") != "no"
    context = _thanks_context(article, cause, helpful, remedy, commented="commented" in request.GET)
    return render(request, "kb/feedback_thanks.html", context)


@require_GET
def robots_txt(request):
    sitemap = seo.absolute_url(request, reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
