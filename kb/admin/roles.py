"""Who may change what: editors (group 编辑) write drafts; only those with the 发布 permission
publish and change what readers see, inline rows included."""

from kb.models import Article, Cause

PUBLISH_PERMISSION = "kb.publish_article"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def article_of(obj):
    """The article an inline's parent object belongs to (an Article, a Cause, or nothing)."""
    if isinstance(obj, Article):
        return obj
    if isinstance(obj, Cause) and obj.article_id:
        return obj.article
    return None  # nothing saved yet: a new article or cause is a draft's


def locked_for(user, article):
    """Published (or scheduled) articles are changed only by those who may publish: an editor's
    change would otherwise go live without a publisher seeing it."""
    return (
        article is not None
        and article.pk is not None
        and article.status == Article.Status.PUBLISHED
        and not can_publish(user)
    )


class LockedInlineMixin:
    """Inlines follow their article: read-only to editors once it is published."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not locked_for(
            request.user, article_of(obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not locked_for(
            request.user, article_of(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not locked_for(
            request.user, article_of(obj)
        )
