"""Error pages that say what happened to the reader, without a traceback.

``server_error`` is the project's handler500. When the database cannot be reached (down,
restarting, refusing connections) it answers 503 with the branded "try again shortly" page and
a Retry-After, instead of a 500: nothing is broken in the app, and the balancer and CDN may
retry. Django logs the exception with the request either way. The next request reconnects
(CONN_HEALTH_CHECKS), so the site recovers by itself when the database is back.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    response = render(request, "500.html", status=500)
    add_never_cache_headers(response)
    return response
