import pytest
from django.conf import settings

from kb.content import import_paths
from kb.models import Article


@pytest.fixture
def content_dir():
    return settings.KB_CONTENT_DIR


@pytest.fixture
def imported(db):
    """The real source texts, imported as `make run` does."""
    return import_paths()


@pytest.fixture
def huabei(imported):
    return Article.objects.get(slug="huabei-fenqi-wufa-huankuan")


@pytest.fixture
def fenqile(imported):
    return Article.objects.get(title__contains="分期乐")


@pytest.fixture(autouse=True)
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
