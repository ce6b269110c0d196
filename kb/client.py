"""Who the client is: the one place a request's network address is read.

Every per-address limit (feedback votes, search clicks, django-axes' login lockout) keys on
``client_address(request)``. Behind ``KB_TRUSTED_PROXY_COUNT`` proxies (default 0: trust no
header), the client is the N-th address from the right of ``X-Forwarded-For``: each trusted
proxy appends the address it saw, so the addresses further left were written by the client and
can be anything. With fewer addresses in the header than proxies, the leftmost one is used.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_address(request, *_):
    """The client's IP address as text ("" when unknown). Extra arguments are ignored, so
    django-axes can call it as its ``AXES_CLIENT_IP_CALLABLE``."""
    proxies = getattr(settings, "KB_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if forwarded:
            return _valid(forwarded[-min(proxies, len(forwarded))])
    return _valid(request.META.get("REMOTE_ADDR", ""))
