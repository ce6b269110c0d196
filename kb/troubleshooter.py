"""The guided troubleshooter (自助排查): one yes/no question per cause, in the article's order.

A "yes" leads to that cause and its remedies; a "no" to the next question, and after the last
one to the general advice. Every step is a plain link, so each has its own URL.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass
class Step:
    cause: object
    number: int  # 1-based, for "第 2 题，共 4 题"
    total: int
    url: str
    match_url: str
    next_url: str  # the next question, or the general advice after the last one


class Troubleshooter:
    def __init__(self, article):
        self.article = article
        self.causes = list(article.causes.all())

    def __bool__(self):
        return bool(self.causes)

    @property
    def start_url(self):
        return reverse("kb:troubleshoot", kwargs={"slug": self.article.slug})

    @property
    def advice_url(self):
        return reverse("kb:troubleshoot_advice", kwargs={"slug": self.article.slug})

    def question_url(self, cause):
        if cause == self.causes[0]:
            return self.start_url
        return reverse(
            "kb:troubleshoot_question",
            kwargs={"slug": self.article.slug, "position": cause.position},
        )

    def match_url(self, cause):
        return reverse(
            "kb:troubleshoot_match",
            kwargs={"slug": self.article.slug, "position": cause.position},
        )

    def step(self, position=None):
        """The step asking about the cause at ``position`` (the first cause when None), or None
        when the article has no such cause."""
        for index, cause in enumerate(self.causes):
            if position is None or cause.position == position:
                following = self.causes[index + 1] if index + 1 < len(self.causes) else None
                return Step(
                    cause=cause,
                    number=index + 1,
                    total=len(self.causes),
                    url=self.question_url(cause),
                    match_url=self.match_url(cause),
                    next_url=self.question_url(following) if following else self.advice_url,
                )
        return None
