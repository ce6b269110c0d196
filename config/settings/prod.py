"""Production settings: refuse to start without the deployment's secrets; HTTPS behind a proxy.

The app runs behind a TLS-terminating load balancer or reverse proxy that sets
``X-Forwarded-Proto: https``; run ``manage.py check --deploy --fail-level WARNING`` (CI does).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, KB_SITE_URL, SECRET_KEY, env_bool, env_list

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")

# The proxy terminates TLS; trust its header only because nothing reaches gunicorn around it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The redirect to HTTPS is an absolute URL the site writes: to KB_SITE_URL's host when set.
SECURE_SSL_HOST = urlsplit(KB_SITE_URL).netloc or None
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only allows submitting the domain to browsers' preload lists (by hand).
# An operator who turns it off has decided so: then the deploy check need not warn about it.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Admin forms post from the public hostnames; default to https:// on each allowed host.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS") or [
    f"https://*{host}" if host.startswith(".") else f"https://{host}"
    for host in ALLOWED_HOSTS
    if host != "*"
]

# Log collectors read one JSON object per line, with the request id (kb.logs).
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("KB_LOG_FORMAT", "json")  # noqa: F405
