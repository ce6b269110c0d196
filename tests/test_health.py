import json
import os

import pytest
from django.test import override_settings

from tests.test_cache import REDIS_DOWN


def test_healthz_answers_without_the_database(client):
    # No db fixture: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_probes_by_ip_are_answered_whatever_the_host_header(client, db):
    # Load balancers probe the container's address, which is not an allowed host.
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_readyz_checks_the_database_its_migrations_and_the_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }


@override_settings(CACHES=REDIS_DOWN)
def test_readyz_stays_ready_when_the_shared_cache_is_down_since_pages_still_work(client, db):
    # One Redis behind every server: failing readiness on it would take the whole site out.
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "unavailable"},
    }
    assert client.get("/").status_code == 200


def test_readyz_is_503_while_migrations_are_unapplied(client, db, monkeypatch):
    """A server started before the release migrated the database must not take readers."""
    from django.db import connection

    from kb import health

    monkeypatch.setattr(health, "_migrated", False)
    with connection.cursor() as cursor:  # as if the newest kb migration had not run yet
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'kb' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'kb')"
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "unavailable"
    assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(not os.environ.get("KB_TEST_REDIS_URL"), reason="Redis run only (CI)")
def test_the_cache_is_redis_when_configured(client, imported):
    from django.core.cache import cache

    assert cache.client.get_client().ping()
    client.get("/")
    keys = cache.keys("kb:page:*")
    assert keys, "the home page should be cached in Redis"
