"""Settings shared by every environment. Values that differ per deployment come from the
environment (docs/architecture.md, "Environment"); dev.py, prod.py and test.py adjust the rest."""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("KB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A host name (ASCII: an IDN in its xn-- form) or a bracketed IPv6 address, an optional port.
_ORIGIN_NETLOC = re.compile(r"([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:[0-9]{1,5})?")


def site_origin(value):
    """``value`` ("https://Help.example.com/") as an origin ("https://help.example.com"), or a
    ValueError saying why it is not one: only a scheme and a host, with an optional port."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValueError("it must start with https:// or http://")
    if not parts.hostname:
        raise ValueError("it has no host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("it must not hold a user name or password")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or value.strip()[-1] in "?#":
        raise ValueError("it must not have a path, query or fragment")
    netloc = parts.netloc.lower()
    if not _ORIGIN_NETLOC.fullmatch(netloc):
        raise ValueError("its host must be an ASCII host name (xn-- for others), no final dot")
    parts.port  # noqa: B018 -- raises ValueError for a port out of range
    return f"{parts.scheme.lower()}://{netloc}"


def env_site_origin(name):
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    try:
        return site_origin(value)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} must be the site's scheme and host only, like https://help.example.com: "
            f"{value!r} is not ({error})."
        ) from None


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    # django.contrib.admin with the help centre's admin site (reports, Chinese titles)
    "kb.apps.HelpCentreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "csp",
    "nested_admin",
    "reversion",
    "kb.apps.LoginProtectionConfig",  # django-axes, named in Chinese
    "kb",
]

MIDDLEWARE = [
    "kb.logs.RequestIdMiddleware",
    # Outermost: every response, the probes' and the error pages' too, gets the security headers.
    "kb.security.PolicyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kb.security.KnownMethodsMiddleware",
    # Load balancers probe by IP, over plain HTTP: answered before anything reads the Host
    # header (SecurityMiddleware does only to redirect, and SECURE_REDIRECT_EXEMPT spares them).
    "kb.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Brotli or gzip for what the app writes; cached pages come compressed from the cache
    # (kb.compression).
    "kb.compression.CompressionMiddleware",
    # Cached public pages are answered here, with the headers of the middleware below (kb.cache).
    "kb.cache.middleware.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kb.variants.ScriptVariantLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kb.variants.TraditionalScriptMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Where signing in leads when ?next= is missing or unsafe (another site, //host): the admin is
# the site's only login, and Django's default, /accounts/profile/, does not exist here.
LOGIN_REDIRECT_URL = "admin:index"

# Login protection (README, "Admin"): 5 failed attempts for one username from one IP address
# lock that pair out for an hour; a successful login resets the count.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The lockout keys on the same client address as every other limit (kb.client).
AXES_CLIENT_IP_CALLABLE = "kb.client.client_address"

# How many reverse proxies in front of the app append to X-Forwarded-For (kb.client): 0 (the
# default) trusts no header; 1 behind one nginx or balancer, 2 behind a CDN and a balancer.
KB_TRUSTED_PROXY_COUNT = int(os.environ.get("KB_TRUSTED_PROXY_COUNT", "0"))

# The site's public address (https://help.example.com, no path). When set, every absolute URL
# the site writes (canonical, hreflang, og:url, JSON-LD, sitemap, robots.txt, feed; kb.seo) uses
# it, whatever Host header a request came with; "" (the default): the request's own scheme and
# host. Refused at start-up unless it is a scheme and a host (with an optional port).
KB_SITE_URL = env_site_origin("KB_SITE_URL")

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kb.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite under var/ is the embedded default; DATABASE_URL=postgres://... is the scale-out path.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the importer or an editor writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that does not answer must give readers the 503 page quickly, not hang a
    # worker thread until gunicorn kills it (libpq's minimum is 2 seconds).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2"))
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# The public pages in both scripts: zh-hant is served under /zh-hant/ (kb.variants).
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Before every app's own translations: the admin's phrases in Chinese (locale/, issue 18).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
# The image collects static files outside var/, which is its data volume.
STATIC_ROOT = Path(os.environ.get("KB_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("KB_MEDIA_ROOT", VAR_DIR / "media"))
# The editor's images (kb.uploads): files under MEDIA_ROOT on one machine; rows of the database
# on the scale path, so that every server serves what any one stored. KB_UPLOADS=files|database;
# by default "database" when DATABASE_URL is PostgreSQL.
_ON_POSTGRESQL = DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
KB_UPLOADS = os.environ.get("KB_UPLOADS", "database" if _ON_POSTGRESQL else "files")
if KB_UPLOADS not in {"files", "database"}:
    raise ImproperlyConfigured(f"KB_UPLOADS must be files or database, not {KB_UPLOADS!r}.")
STORAGES = {
    "default": {
        "BACKEND": "kb.uploads.DatabaseStorage"
        if KB_UPLOADS == "database"
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed file names (site.3f2a….css) never change content: WhiteNoise serves them with
# "max-age=315360000, public, immutable"; this is for the few unhashed files only.
WHITENOISE_MAX_AGE = 3600

# Markdown: one renderer (kb.markdown) for the editor preview and the public pages.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "kb.markdown.render_markdown"
# Editor image uploads (kb/editor.py checks the bytes, not just the declared type): raster
# images only, never SVG (it can carry scripts), at most 2 MB, stored under MEDIA_ROOT.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"]
MARKDOWNX_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
MARKDOWNX_MEDIA_PATH = "markdownx/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}
# Pixels an uploaded image may have (width × height), checked from its header before it is
# decoded: a small file can declare a huge image (a decompression bomb).
KB_UPLOAD_MAX_PIXELS = int(os.environ.get("KB_UPLOAD_MAX_PIXELS", str(4096 * 4096)))

# An article is due for review when nobody confirmed it this many days (admin: 待复核).
KB_REVIEW_AFTER_DAYS = int(os.environ.get("KB_REVIEW_AFTER_DAYS", "180"))

# Where the importer reads the source texts when no path is given.
KB_CONTENT_DIR = BASE_DIR / "content"

# --- Cache and sessions -------------------------------------------------------------------
# REDIS_URL turns on the shared cache that several app containers need. Without it, a file
# cache under var/ is shared by the gunicorn workers of one machine, so an edit invalidates the
# page cache in every worker (a per-process memory cache would keep serving old pages).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Cached pages (kb.cache) have a cache of their own: however many pages a flood of new URLs
# stores, evicting them never evicts the small values the site relies on (the content version,
# rate limits, sessions).
if REDIS_URL:
    _REDIS = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("KB_CACHE_PREFIX", "kb"),
        "OPTIONS": {
            # Redis down must not take the site down: a failed cache call is a miss.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    CACHES = {"default": _REDIS, "pages": _REDIS}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions stay in the database (the source of truth); the cache only speeds them up.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Each write lists the folder to keep at most MAX_ENTRIES: a bound on the disk, and on
        # what a flood of new URLs costs each miss.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "page-cache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# URLs in one sitemap: past it, /sitemap.xml becomes an index of sections (kb.seo.sitemap).
KB_SITEMAP_LIMIT = int(os.environ.get("KB_SITEMAP_LIMIT", "50000"))
# Public pages (kb.cache): cached whole until content changes; CDNs may keep them s-maxage
# seconds and serve a stale copy while they revalidate.
KB_PAGE_CACHE_SECONDS = int(os.environ.get("KB_PAGE_CACHE_SECONDS", "86400"))
KB_CDN_MAX_AGE = int(os.environ.get("KB_CDN_MAX_AGE", "60"))
KB_CDN_STALE_WHILE_REVALIDATE = int(os.environ.get("KB_CDN_STALE_WHILE_REVALIDATE", "600"))
# Which variant of a page a request gets beyond its URL (e.g. the script: simplified or
# traditional). A dotted path to a function(request) -> str; see kb.cache.middleware.page_variant.
KB_PAGE_VARIANT = "kb.variants.url_variant"
# The deployment's name for its release (an image digest, a commit): part of the page cache's
# keys, beside a fingerprint of the code, so a new release never serves an older one's pages.
KB_RELEASE = os.environ.get("KB_RELEASE", "")
# How often each process asks the database which content changed (kb.cache.versions; only when
# it has a cached page to check): a change made by another process (an editor's save, an
# import) shows within this many seconds.
KB_CONTENT_VERSION_CHECK_SECONDS = float(os.environ.get("KB_CONTENT_VERSION_CHECK_SECONDS", "1"))
# Where the content versions are kept: the database, in the transaction of each change.
KB_CONTENT_VERSION_STORE = "kb.content_versions.DatabaseVersionStore"
# How many pages each process keeps decoded in memory besides the shared cache (kb.cache).
KB_RECENT_PAGES = int(os.environ.get("KB_RECENT_PAGES", "200"))
# Article views (for the hot questions) are added up in memory and written this often (kb.hits).
KB_VIEW_FLUSH_SECONDS = int(os.environ.get("KB_VIEW_FLUSH_SECONDS", "30"))
# Searches are counted per query and day in memory and written this often (kb.search.log);
# a sample of single searches is kept this many days for a closer look (0: none).
KB_SEARCH_LOG_FLUSH_SECONDS = int(os.environ.get("KB_SEARCH_LOG_FLUSH_SECONDS", "30"))
KB_SEARCH_LOG_RETENTION_DAYS = int(os.environ.get("KB_SEARCH_LOG_RETENTION_DAYS", "30"))

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The health probes come over plain HTTP (kb.health): never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
X_FRAME_OPTIONS = "DENY"
# A form posted without a valid token gets the branded 403 page (JSON under /api/).
CSRF_FAILURE_VIEW = "kb.errors.csrf_failure"
# kb.security: browser features no page of the site uses, denied to all (Permissions-Policy);
# other sites may not embed our responses; the HTTP methods the site answers (others: 405).
KB_DENIED_FEATURES = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
KB_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
KB_HTTP_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
# django-csp 4 (https://django-csp.readthedocs.io/en/latest/configuration.html). Scripts only
# from our own origin: no 'unsafe-inline', no nonces (a nonce would defeat the page cache).
# The admin and markdownx load their scripts from files, and JSON-LD blocks
# (<script type="application/ld+json">) are data that browsers never execute, so CSP leaves
# them alone. Article images may come from other https sites (kb.markdown allows <img>).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logs -----------------------------------------------------------------------------------
# Text for people at a terminal; JSON lines (kb.logs) for log collectors in production.
KB_LOG_FORMAT = os.environ.get("KB_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kb.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "kb.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": KB_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the root handler only (Django's own console handler would print twice).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}
