"""Test settings: fast hashing, local-memory cache, SQLite in memory unless
KB_TEST_DATABASE_URL points at a PostgreSQL server (CI runs the suite on both)."""

import os

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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
