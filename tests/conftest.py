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


@pytest.fixture
def staff_in(db, django_user_model):
    """A staff account in the given group (编辑 or 发布), as the data migration made them."""
    from django.contrib.auth.models import Group

    def make(group_name):
        user = django_user_model.objects.create_user(
            username=f"user-{group_name}", password="correct-horse-battery", is_staff=True
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
