"""Both staff roles may read reader feedback and reading counts (the 读者反馈 report)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_feedback", "view_articlehits"]
GROUPS = ["编辑", "发布"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="kb", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="kb", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("kb", "0008_reader_features")]

    operations = [migrations.RunPython(grant, revoke)]
