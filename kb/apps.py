from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "帮助中心"
    default = True

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import hits, signals
        from .search import signals as search_signals  # noqa: F401 - connects the index to every content change
        from .search.indexer import ensure_current_index

        # Every content change invalidates the public page cache (kb.cache).
        signals.connect()
        # Every reading of an article page counts a view, served from the page cache or not.
        hits.connect()
        # An analyzer change (ANALYZER_VERSION) rebuilds the index at the next migrate.
        post_migrate.connect(ensure_current_index, sender=self)
        # The page cache's release fingerprint, before gunicorn forks its workers (kb.code_version).
        from .code_version import code_version

        code_version()


class HelpCentreAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the help centre's site (kb.admin_site) as admin.site."""

    default = False
    default_site = "kb.admin_site.HelpCentreAdminSite"
