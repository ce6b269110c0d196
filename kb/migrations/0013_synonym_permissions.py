"""Both staff roles manage the synonyms in admin (README, "Admin"): 编辑 and 发布 add, change,
enable and disable them; deleting one, which no history keeps, is for 发布, as with articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "编辑": ["add_synonym", "change_synonym"],
    "发布": ["add_synonym", "change_synonym", "delete_synonym"],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="kb", codename__in=codenames)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [("kb", "0012_search_query_day")]

    operations = [migrations.RunPython(grant, revoke)]
