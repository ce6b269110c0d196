"""The two staff roles (README, "Admin"): 编辑 write drafts; 发布 also publish and change what is
live. Re-running is safe: the groups are created once and their permissions set to this list."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_article",
    "add_article",
    "change_article",
    "view_cause",
    "add_cause",
    "change_cause",
    "delete_cause",
    "view_remedy",
    "add_remedy",
    "change_remedy",
    "delete_remedy",
    "view_category",
    "view_synonym",
    "view_searchlog",
]
PUBLISHER_PERMISSIONS = [*EDITOR_PERMISSIONS, "publish_article", "delete_article"]

GROUPS = {"编辑": EDITOR_PERMISSIONS, "发布": PUBLISHER_PERMISSIONS}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="kb", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("kb", "0006_admin_workflow"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
