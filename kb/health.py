"""Liveness (/healthz) and readiness (/readyz) for load balancers and container healthchecks.

They are answered by a middleware placed first, before host validation, the HTTPS redirect and
sessions: probes come by IP over plain HTTP from inside the network, and a probe must not be
turned away by the very checks that protect readers.

- /healthz: the process answers. No database, no cache: a restart would not fix either.
- /readyz: this instance can serve pages: the database answers, and so does the cache.
  503 with the failing parts named otherwise, so the balancer stops sending readers here.
"""

import logging

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

LIVENESS_PATHS = {"/healthz", "/healthz/"}
READINESS_PATHS = {"/readyz", "/readyz/"}
_PROBE_KEY = "kb:readyz-probe"


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis swallows errors on purpose (IGNORE_EXCEPTIONS); ask Redis directly.
        client.get_client(write=True).ping()
        return
    cache.set(_PROBE_KEY, "ok", 10)
    if cache.get(_PROBE_KEY) != "ok":
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": check_database, "cache": check_cache}


def readiness():
    """({check name: "ok" or "unavailable"}, all ok?)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = "unavailable"
            if name == "database":
                # Drop the broken connection now so the next request reconnects.
                connections["default"].close()
    return results, all(value == "ok" for value in results.values())


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in LIVENESS_PATHS:
            response = JsonResponse({"status": "ok"})
        elif request.path in READINESS_PATHS:
            checks, ready = readiness()
            response = JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
        else:
            return self.get_response(request)
        add_never_cache_headers(response)
        return response
