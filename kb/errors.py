"""Error pages that say what happened to the reader, in Chinese and branded, without a traceback;
under /api/ the API's error shape, ``{"detail": ...}`` (docs/architecture.md, "JSON API").

``server_error`` is the project's handler500. When the database cannot be reached (down,
restarting, refusing connections) it answers 503 with the branded "try again shortly" page and
a Retry-After instead of a 500: nothing is broken in the app, and the balancer and CDN may
retry. Django logs the exception with the request either way. The next request reconnects
(CONN_HEALTH_CHECKS), so the site recovers by itself when the database is back.

The 400, 403 and 5xx pages render without the request's context (templates/error_page.html):
a 400 is often a Host header the site refuses, which the context's absolute URLs would read
again, and a 503 comes while the database is down.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def wants_json(request):
    """Whether the answer, an error included, should be JSON: every path of the API, any
    request that asks for JSON first (the feedback form's script sends Accept: application/json)
    and a script's request marked ``X-Requested-With: XMLHttpRequest`` (the Markdown editor's)."""
    return (
        request.path.startswith("/api/")
        or request.headers.get("Accept", "").startswith("application/json")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def error_response(request, status, detail, template=None, **context):
    """The JSON error when JSON is wanted, else the branded page ``template`` (``<status>.html``)."""
    if wants_json(request):
        # API clients get the API's error shape (docs/architecture.md, "JSON API").
        response = JsonResponse({"detail": detail}, status=status)
    else:
        page = loader.render_to_string(template or f"{status}.html", context)
        response = HttpResponse(page, status=status)
    add_never_cache_headers(response)
    return response


def database_unavailable(request):
    response = error_response(request, 503, "服务暂时不可用，请稍后重试。")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return error_response(request, 500, "服务器出错了，请稍后重试。")


def bad_request(request, exception):
    """handler400: a malformed request, or a Host header that is not the site's."""
    return error_response(request, 400, "请求无效。")


def permission_denied(request, exception):
    """handler403."""
    return error_response(request, 403, "没有权限执行这个操作。")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (an old page, another site)."""
    return error_response(
        request, 403, "请求来源校验失败，请刷新页面后重试。", "403.html", csrf_failure=True
    )


def page_not_found(request, exception):
    """handler404: the friendly page for readers, the API's JSON error under /api/."""
    if wants_json(request):
        return JsonResponse({"detail": "没有这个接口或资源。"}, status=404)
    return defaults.page_not_found(request, exception)
