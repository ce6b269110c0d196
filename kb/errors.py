"""Error pages that say what happened to the reader, without a traceback.

``server_error`` is the project's handler500. When the database cannot be reached (down,
restarting, refusing connections) it answers 503 with the branded "try again shortly" page and
a Retry-After, (JSON ``{"detail": ...}`` under /api/) instead of a 500: nothing is broken in the app, and the balancer and CDN may
retry. Django logs the exception with the request either way. The next request reconnects
(CONN_HEALTH_CHECKS), so the site recovers by itself when the database is back.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views import defaults

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _is_api(request):
    return request.path.startswith("/api/")


def database_unavailable(request):
    if _is_api(request):
        # API clients get the API's error shape (docs/architecture.md, "JSON API").
        response = JsonResponse({"detail": "服务暂时不可用，请稍后重试。"}, status=503)
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if _is_api(request):
        response = JsonResponse({"detail": "服务器出错了，请稍后重试。"}, status=500)
    else:
        response = render(request, "500.html", status=500)
    add_never_cache_headers(response)
    return response


def page_not_found(request, exception):
    """handler404: the friendly page for readers, the API's JSON error under /api/."""
    if _is_api(request):
        return JsonResponse({"detail": "没有这个接口或资源。"}, status=404)
    return defaults.page_not_found(request, exception)
