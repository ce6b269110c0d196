"""Reader feedback: anonymous votes, one per visitor and item (an article, a cause, one remedy
of a cause), rate-limited; the same form and rules for every kind.

A visitor is a random id in a signed cookie; the database keeps only a keyed hash of it
(``visitor_hash``), and the rate limit keys on hashes too: no IP address is stored in clear.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache

from .client import client_address
from .models import Feedback
from .numbers import parse_int
from .personal_data import PERSONAL_NUMBER_REFUSED, contains_personal_number

VISITOR_COOKIE = "kb_visitor"
VISITOR_COOKIE_SALT = "kb.feedback.visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600

# At most this many votes per window, per visitor and per network address (a bot that drops
# its cookie still shares an address).
RATE_WINDOW_SECONDS = 600
RATE_LIMIT_PER_VISITOR = 30
RATE_LIMIT_PER_ADDRESS = 120

# Cause.position is a PositiveSmallIntegerField: nothing above this can name a cause.
MAX_CAUSE_POSITION = 32767


def cause_at(article, value):
    """The article's cause numbered ``value`` (a posted or query-string text), or None when
    ``value`` is not a plain number of an existing cause."""
    position = parse_int(value, minimum=1, maximum=MAX_CAUSE_POSITION)
    if position is None:
        return None
    return article.causes.filter(position=position).first()


def remedy_at(cause, value):
    """The cause's remedy numbered ``value`` (its 序号 within the cause, as the page shows it),
    or None: a remedy of another cause or article cannot be named."""
    position = parse_int(value, minimum=0, maximum=MAX_CAUSE_POSITION)
    if cause is None or position is None:
        return None
    return cause.remedies.filter(position=position).first()


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "有帮助"), ("no", "没帮助")], coerce=lambda value: value == "yes"
    )
    # Text, read by cause_at: IntegerField would take "٧" or 25 digits to the database.
    cause = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    # One step of the cause's 怎么办 (its position within the cause), read by remedy_at.
    remedy = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label="补充说明（选填）", required=False, max_length=200, widget=forms.Textarea
    )

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article

    def clean_comment(self):
        comment = self.cleaned_data.get("comment", "")
        if contains_personal_number(comment):
            raise forms.ValidationError(PERSONAL_NUMBER_REFUSED)
        return comment

    def clean_cause(self):
        value = self.cleaned_data.get("cause")
        if not value:
            return None
        cause = cause_at(self.article, value)
        if cause is None:
            raise forms.ValidationError("没有这个原因。")
        return cause

    def clean(self):
        data = super().clean()
        value = data.get("remedy")
        if not value:
            data["remedy"] = None
        else:
            data["remedy"] = remedy_at(data.get("cause"), value)
            if data["remedy"] is None and "cause" not in self.errors:
                self.add_error("remedy", "这个原因下没有这个办法。")
        return data


def vote_labels(cause=None, remedy=None):
    """(yes, no): what the two buttons of a vote on this item say."""
    if remedy is not None:
        return "有用", "没用"
    if cause is not None:
        return "解决了", "没解决"
    return "有帮助", "没帮助"


@dataclass
class NextStep:
    text: str
    url: str


def next_steps(article, cause, troubleshooter):
    """Where a reader goes after 没解决 / 没帮助: another likely cause, the troubleshooter, and
    the 「还是没解决？」 block (#still-stuck, on every page that shows a vote)."""
    steps = []
    causes = list(article.causes.all())
    if cause is not None and len(causes) > 1:
        following = causes[(causes.index(cause) + 1) % len(causes)]
        steps.append(
            NextStep(
                f"看看另一个可能的原因：原因 {following.position}：{following.title}",
                following.get_absolute_url(),
            )
        )
    if troubleshooter:
        steps.append(NextStep("用自助排查一步步找原因", troubleshooter.start_url))
    steps.append(NextStep("还是没解决？看看官方求助渠道", "#still-stuck"))
    return steps


def _keyed_hash(value):
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def visitor_id(request):
    """The visitor's anonymous id from the signed cookie, or a new one."""
    return request.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=VISITOR_COOKIE_SALT
    ) or secrets.token_urlsafe(16)


def remember_visitor(request, response, raw_id):
    response.set_signed_cookie(
        VISITOR_COOKIE,
        raw_id,
        salt=VISITOR_COOKIE_SALT,
        max_age=VISITOR_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def visitor_hash(raw_id):
    return _keyed_hash(f"visitor:{raw_id}")


def _over_limit(key, limit):
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        return False


def address_limited(request, scope, limit=RATE_LIMIT_PER_ADDRESS):
    """Whether this network address (hashed) went over ``limit`` actions of ``scope``."""
    address = _keyed_hash(f"address:{client_address(request)}")
    return _over_limit(f"kb:{scope}:address:{address}", limit)


def rate_limited(request, visitor):
    over_visitor = _over_limit(f"kb:feedback:visitor:{visitor}", RATE_LIMIT_PER_VISITOR)
    return address_limited(request, "feedback") or over_visitor


def record_feedback(article, visitor, helpful, cause=None, comment="", remedy=None):
    """Save the visitor's vote on the article, one of its causes or one remedy of a cause; a
    second vote replaces the first, and a comment given earlier is kept unless a new one is
    given."""
    values = {"helpful": helpful}
    if comment:
        values["comment"] = comment
    feedback, _ = Feedback.objects.update_or_create(
        article=article, cause=cause, remedy=remedy, visitor=visitor, defaults=values
    )
    return feedback
