from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "帮助中心"
    default = True

    def ready(self):
        from . import hits, signals
        from .search import log as search_log
        from .search import signals as search_signals

        # Every content change reaches the search index, and an analyzer change
        # (ANALYZER_VERSION) rebuilds it at the next migrate (kb.search.signals).
        search_signals.connect(self)
        # Every content change invalidates the public page cache (kb.cache).
        signals.connect()
        # Every reading of an article page counts a view, served from the page cache or not.
        hits.connect()
        # Likewise every answer with a results page counts a search (kb.search.log).
        search_log.connect()
        # The page cache's release fingerprint, before gunicorn forks its workers (kb.code_version).
        from .code_version import code_version

        code_version()


class HelpCentreAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the help centre's site (kb.admin_site) as admin.site."""

    default = False
    default_site = "kb.admin_site.HelpCentreAdminSite"


class LoginProtectionConfig(axes_apps.AppConfig):
    """django-axes under a Chinese name: its app has none of its own to translate ("Axes")."""

    verbose_name = "登录保护"
