"""The guided troubleshooter (自助排查): one question per cause, in the order staff set.

Each question has three answers. 是的 leads to that cause and its remedies; 不是 to the next
question; 不确定 also to the next question, remembering that this cause stays possible. After the
last question comes the end page, worded for how the reader got there: every cause ruled out,
some left uncertain, or a cause confirmed whose remedies did not help (没解决 on a cause page).
Every step is a plain link, so each has its own URL; what the reader answered so far travels in
the query string (``?unsure=2,3&tried=1``, cause positions), so no session is needed.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from .numbers import parse_int

# Cause.position is a PositiveSmallIntegerField; an article has a handful of causes.
MAX_POSITION = 32767
MAX_REMEMBERED = 50


def _positions(value):
    """``"2,3"`` -> (2, 3): the plain numbers of a query-string list, others ignored."""
    numbers = (parse_int(part, minimum=1, maximum=MAX_POSITION) for part in value.split(","))
    return tuple(dict.fromkeys(n for n in numbers if n is not None))[:MAX_REMEMBERED]


@dataclass(frozen=True)
class Answers:
    """What the reader answered so far: causes they were unsure about, and causes they
    confirmed whose remedies did not help."""

    unsure: tuple = ()
    tried: tuple = ()

    @classmethod
    def from_query(cls, query):
        return cls(_positions(query.get("unsure", "")), _positions(query.get("tried", "")))

    def query(self):
        params = {}
        if self.unsure:
            params["unsure"] = ",".join(map(str, self.unsure))
        if self.tried:
            params["tried"] = ",".join(map(str, self.tried))
        return f"?{urlencode(params)}" if params else ""

    def with_unsure(self, cause):
        return Answers((*self.unsure, cause.position), self.tried)

    def with_tried(self, cause):
        return Answers(self.unsure, (*self.tried, cause.position))


@dataclass
class Step:
    cause: object
    number: int  # 1-based, for "第 2 题，共 4 题"
    total: int
    url: str
    match_url: str
    next_url: str  # 不是: the next question, or the end page after the last one
    unsure_url: str  # 不确定: the same, remembering this cause
    tried_url: str  # 没解决 on this cause's page: the next question, remembering it was tried
    still_possible: list = field(default_factory=list)  # causes the reader was unsure about

    @property
    def is_last(self):
        return self.number == self.total


def troubleshoot_order(causes):
    """Staff's order first (troubleshoot_order), causes without one after, by position."""
    return sorted(
        causes,
        key=lambda c: (c.troubleshoot_order is None, c.troubleshoot_order or 0, c.position),
    )


class Troubleshooter:
    def __init__(self, article, answers=None):
        self.article = article
        self.causes = troubleshoot_order(article.causes.all())
        self.answers = answers or Answers()

    def __bool__(self):
        return bool(self.causes) and self.article.offer_troubleshooter

    def _by_positions(self, positions):
        by_position = {c.position: c for c in self.causes}
        return [by_position[p] for p in positions if p in by_position]

    @property
    def unsure_causes(self):
        return self._by_positions(self.answers.unsure)

    @property
    def tried_causes(self):
        return self._by_positions(self.answers.tried)

    @property
    def start_url(self):
        return reverse("kb:troubleshoot", kwargs={"slug": self.article.slug})

    def advice_url(self, answers=None):
        url = reverse("kb:troubleshoot_advice", kwargs={"slug": self.article.slug})
        return url + (answers or self.answers).query()

    def question_url(self, cause, answers=None):
        if cause == self.causes[0]:
            url = self.start_url
        else:
            url = reverse(
                "kb:troubleshoot_question",
                kwargs={"slug": self.article.slug, "position": cause.position},
            )
        return url + (answers or self.answers).query()

    def match_url(self, cause):
        url = reverse(
            "kb:troubleshoot_match",
            kwargs={"slug": self.article.slug, "position": cause.position},
        )
        return url + self.answers.query()

    def _after(self, index, answers):
        following = self.causes[index + 1] if index + 1 < len(self.causes) else None
        if following:
            return self.question_url(following, answers)
        return self.advice_url(answers)

    def step(self, position=None):
        """The step asking about the cause at ``position`` (the first in order when None), or
        None when the article has no such cause."""
        for index, cause in enumerate(self.causes):
            if position is None or cause.position == position:
                return Step(
                    cause=cause,
                    number=index + 1,
                    total=len(self.causes),
                    url=self.question_url(cause, Answers()),
                    match_url=self.match_url(cause),
                    next_url=self._after(index, self.answers),
                    unsure_url=self._after(index, self.answers.with_unsure(cause)),
                    tried_url=self._after(index, self.answers.with_tried(cause)),
                    still_possible=self.unsure_causes,
                )
        return None
