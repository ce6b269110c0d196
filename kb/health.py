"""Liveness (/healthz) and readiness (/readyz) for load balancers and container healthchecks.

They are answered by a middleware placed before host validation, sessions and the page cache,
and exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT): probes come by IP over plain HTTP
from inside the network, and a probe must not be turned away by the very checks that protect
readers. It sits inside the security headers' middleware, so probes' answers carry them too.

- /healthz: the process answers. No database, no cache: a restart would not fix either.
- /readyz: this instance can serve pages: the database answers and its migrations are all
  applied (a server started on a database the release has not migrated yet would answer every
  page with a 500). 503 with the failing parts named otherwise, so the balancer stops sending
  readers here. The shared cache is reported too, but does not decide: the site serves pages
  without it (django-redis ignores its errors), and with one Redis behind every server, failing
  readiness on it would take the whole site out while each server could still answer.
"""

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
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


_migrated = False


def check_migrations():
    """Every migration on disk is applied. Once true it stays true for the process (a release
    migrates before its servers start; nothing unapplies), so it is asked until then only."""
    global _migrated
    if _migrated:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    _migrated = True


def check_cache():
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis swallows errors on purpose (IGNORE_EXCEPTIONS); ask Redis directly.
        client.get_client(write=True).ping()
        return
    cache.set(_PROBE_KEY, "ok", 10)
    if cache.get(_PROBE_KEY) != "ok":
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": check_database, "migrations": check_migrations, "cache": check_cache}
# What the server cannot serve without; the others are reported only.
REQUIRED = {"database", "migrations"}


def readiness():
    """({check name: "ok" or "unavailable"}, every required check ok?)."""
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "unavailable"
            continue
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = "unavailable"
            if name == "database":
                # Drop the broken connection now so the next request reconnects.
                connections["default"].close()
    return results, all(results[name] == "ok" for name in REQUIRED)


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
