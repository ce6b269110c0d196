"""Test settings: fast hashing, local-memory cache, SQLite in memory unless
KB_TEST_DATABASE_URL points at a PostgreSQL server, and Redis as the cache when
KB_TEST_REDIS_URL is set (CI runs the suite on SQLite, then on PostgreSQL with Redis)."""

import os
import uuid

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The content version is read on every request, so tests can play another process changing it
# (the tests of kb.cache that keep it a while say so).
KB_CONTENT_VERSION_CHECK_SECONDS = 0
# Article views and searches are written at once (tests that batch them say so; kb.hits,
# kb.search.log).
KB_VIEW_FLUSH_SECONDS = 0
KB_SEARCH_LOG_FLUSH_SECONDS = 0
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
if os.environ.get("KB_TEST_REDIS_URL"):
    _REDIS = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["KB_TEST_REDIS_URL"],
        # A prefix of its own: colleagues' test runs share this Redis server.
        "KEY_PREFIX": f"kb-test-{uuid.uuid4().hex[:12]}",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    CACHES = {"default": _REDIS, "pages": _REDIS}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if os.environ.get("KB_TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["KB_TEST_DATABASE_URL"])}
    # A test database of its own per run, so that concurrent runs on one server do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_kb_{os.getpid()}"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
