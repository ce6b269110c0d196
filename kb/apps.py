from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "帮助中心"
    default = True


class HelpCentreAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the help centre's site (kb.admin_site) as admin.site."""

    default = False
    default_site = "kb.admin_site.HelpCentreAdminSite"
