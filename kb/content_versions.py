"""Where the page cache's content versions are kept: the database (kb.models.ContentVersion).

The page cache (kb.cache.versions) knows no model; it is given this store by
``settings.KB_CONTENT_VERSION_STORE``. A row per scope: writing one is an upsert, in whatever
transaction the caller is in, and reading asks only for the rows changed since a version.
"""

from .models import ContentVersion


class DatabaseVersionStore:
    """kb.cache.versions.VersionStore on the ContentVersion table."""

    def changed_since(self, version):
        rows = ContentVersion.objects.all()
        if version is not None:
            rows = rows.filter(version__gt=version)
        return list(rows.values_list("scope", "version"))

    def save(self, versions):
        ContentVersion.objects.bulk_create(
            [ContentVersion(scope=scope, version=value) for scope, value in versions.items()],
            update_conflicts=True,
            unique_fields=["scope"],
            update_fields=["version"],
        )
