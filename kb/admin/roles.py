"""Who may change what: editors (group 编辑) write drafts and propose changes to published
articles (kb.drafts); only those with the 发布 permission publish, delete, restore and change
what readers see directly."""

from kb.models import Article

PUBLISH_PERMISSION = "kb.publish_article"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def changes_need_review(user, article):
    """A published (or scheduled) article changes only through a publisher: anyone else's save
    becomes its draft (kb.drafts), a restore of an old version too (proposed for review), and
    they may not delete it."""
    return (
        article is not None
        and article.pk is not None
        and article.status == Article.Status.PUBLISHED
        and not can_publish(user)
    )
