import importlib

import pytest
from django.conf import settings

from kb.content import import_paths
from kb.models import Article
from support.live import Server, prepare_site


@pytest.fixture
def content_dir():
    return settings.KB_CONTENT_DIR


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Import the real texts once into the test database; each test's transaction rolls back to it.
    with django_db_blocker.unblock():
        import_paths()


@pytest.fixture
def imported(db):
    """The real source texts, imported as `make run` does (again only if a transactional test
    emptied the database, data migrations' rows with it: the default synonyms come back too)."""
    if not Article.objects.exists():
        import_paths()
    from kb.search.models import Synonym

    _ensure_staff_groups()  # the staff roles (a data migration) went with the flush too
    if not Synonym.objects.exists():
        defaults = importlib.import_module("kb.migrations.0005_default_synonyms")
        Synonym.objects.bulk_create(
            Synonym(phrase=phrase, expansions=expansions)
            for phrase, expansions in defaults.DEFAULT_SYNONYMS.items()
        )


@pytest.fixture
def huabei(imported):
    return Article.objects.get(slug="huabei-fenqi-wufa-huankuan")


@pytest.fixture
def fenqile(imported):
    return Article.objects.get(title__contains="分期乐")


@pytest.fixture(autouse=True)
def _fresh_search_statistics():
    # Each test rolls the database back, the index generation included: forget cached statistics.
    from kb.search.statistics import index_statistics

    index_statistics.reset()
    yield
    index_statistics.reset()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Every test starts with no cached page and no content version known: a rolled-back test
    sends no signal and leaves no version row, so its pages would otherwise outlive its rows.
    (Only this run's page keys are removed: a Redis server is shared.)"""
    from kb import hits
    from kb.cache import versions
    from kb.cache.decorators import repeated
    from kb.cache.middleware import page_store
    from kb.cache.recent import recent_pages

    if hasattr(page_store, "delete_pattern"):
        page_store.delete_pattern("kb:page:*")
    else:
        page_store.clear()
    versions.forget()
    recent_pages.clear()
    repeated.clear()
    hits.views.discard()  # views another test counted are not this test's


@pytest.fixture(autouse=True)
def _no_searches_counted_before():
    """Searches and clicks another test counted and did not write are not this test's
    (kb.search.log, kb.hits)."""
    from kb import hits
    from kb.search import log as search_log

    search_log.searches.discard()
    search_log.clicks.discard()
    hits.search_clicks.discard()


@pytest.fixture(scope="session", autouse=True)
def remove_this_runs_cache_keys():
    """With Redis, leave no key behind on the shared server (only this run's prefix)."""
    yield
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")


def _ensure_staff_groups():
    """The groups and their permissions as the data migrations made them, made again when a
    transactional test (the browser tests' live server) flushed the database, their rows too."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.exists():
        return
    for name, function in (
        ("0007_editor_groups", "create_groups"),
        ("0009_feedback_permissions", "grant"),
        ("0013_synonym_permissions", "grant"),
        ("0016_editorial_workflow", "grant_change_feedback"),
        ("0017_best_bets", "grant"),
    ):
        getattr(importlib.import_module(f"kb.migrations.{name}"), function)(apps, None)


@pytest.fixture
def staff_in(db, django_user_model):
    """A staff account in the given group (编辑 or 发布), as the data migration made them."""
    from django.contrib.auth.models import Group

    _ensure_staff_groups()

    def make(group_name, username=None):
        user = django_user_model.objects.create_user(
            username=username or f"user-{group_name}",
            password="correct-horse-battery",
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def editor(staff_in):
    return staff_in("编辑")


@pytest.fixture
def publisher(staff_in):
    return staff_in("发布")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


def empty_cache():
    """Each test starts with an empty cache (the feedback rate limit counts in it)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def simplified_chinese():
    """URLs reverse to the simplified variant unless a test asks otherwise (a request to
    /zh-hant/ leaves zh-hant active in the test's thread)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A production copy of the site: static files collected, SQLite migrated, content imported."""
    return prepare_site(tmp_path_factory.mktemp("site"))


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(env):
        servers.append(Server(env, tmp_path / f"gunicorn-{len(servers)}.log"))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
