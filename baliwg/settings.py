"""Settings of the working-group app: one module, configured from environment variables.

Read by every environment (a laptop, CI, production). Unset variables fall back to what a
first run on a laptop needs; values that would be unsafe in production fail loudly instead.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable; anything but a known spelling is a configuration error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value such as 1 or 0, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# On for a first run on a laptop, as in healthchecks; production sets DEBUG=0 and must then
# also give SECRET_KEY and ALLOWED_HOSTS.
DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])

INSTALLED_APPS = [
    # The admin, entered by the secretariat only: co-chairs' door is the workspace.
    "baliwg.admin_config.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "import_export",
    "simple_history",
    "axes",
    "crispy_bootstrap5",
    "bootstrap",
    # The floors, bottom up; the site (top floor) last, so its admin module sees the others.
    "meetings",
    "workplan",
    "baliwg.statements",
    "baliwg",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: login attempts braked per client address (throttle.py).
    "baliwg.throttle.LoginRateLimitMiddleware",
    "baliwg.middleware.SitePolicyCSPMiddleware",
    "baliwg.middleware.NulInQueryMiddleware",
    # Before the session: a cached public page needs no session, user or database.
    "baliwg.public_cache.PublicPageCacheMiddleware",
    # Django's, saving the session again only once its idle expiry has aged (baliwg/sessions.py).
    "baliwg.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "baliwg.middleware.AbsoluteSessionTimeoutMiddleware",
    # Knows the user, and still runs before any view (or the CSRF check) reads the body: an anonymous
    # body past the bound is refused unread (body_limit.py).
    "baliwg.body_limit.AnonymousBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A logged-in visitor's public pages, kept per kind of visitor (public_cache.py).
    "baliwg.public_cache.LoggedInPageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baliwg.urls"

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
                "baliwg.context_processors.layout_links",
            ],
        },
    },
]

WSGI_APPLICATION = "baliwg.wsgi.application"

# A SQLite file in the project folder for a first run; production sets a PostgreSQL URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep connections between requests, and test them before reuse so that a restarted
    # database server costs one failed check, not a failed request.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process: the content stamp, the page cache and the login rate limits must be
# the same for every worker and every server, or a worker serves a page unpublished on another.
# - Redis when REDIS_URL is set (production's choice: fast and shared);
# - else, with DEBUG off (gunicorn's several workers, perhaps several servers), the database: slower
#   than Redis (a cached page costs two small queries) but shared by everything that shares the
#   data, so never stale. Its table is made after every migrate (baliwg/apps.py).
# - local memory only on a laptop with DEBUG on, where runserver is one process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "site_cache"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "baliwg.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
elif not DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Each worker keeps the public pages it served last in memory, up to this many bytes (a meeting page
# is 10-200 KB), and checks them against the shared content stamp on every request.
PUBLIC_PAGE_MEMORY_BYTES = int(os.environ.get("PUBLIC_PAGE_MEMORY_MB", "32")) * 1024 * 1024

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading with the user whether they preview drafts (one query, not three).
    "baliwg.accounts.UserBackend",
]
# Behind a load balancer that ends TLS, every request comes from the balancer: the client's address
# is the last one it appends to X-Forwarded-For (baliwg/throttle.py's client_address).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
# Login rate limit per client address, checked before any password is hashed (baliwg/throttle.py).
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW = int(os.environ.get("LOGIN_RATE_WINDOW", "60"))
# Login throttling: five failures lock the username from that address for a quarter of an hour
# (the pair, so a stranger elsewhere cannot lock a person out); the message does not tell whether
# the account exists.
# Shared by every app server: the Redis cache in production, the database on a laptop.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "baliwg.throttle.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password"]

# Sessions: an idle timeout (renewed by baliwg/sessions.py about once a minute, not written on every
# request) and an absolute one (from login).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
# With Redis, a session is read from the cache and written through to the database, so a Redis
# flush or restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "baliwg.views.csrf_failure"

# Delegates' personal data is anonymised this many years after the meeting (apply_retention).
DELEGATE_RETENTION_YEARS = int(os.environ.get("DELEGATE_RETENTION_YEARS", "5"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, hashed files for a long cache in production; plain files while developing and testing.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("PLAIN_STATIC_FILES")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Files the app writes itself: downloads built once per content stamp, spreadsheet previews.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# Uploads: statements and spreadsheets are small; anything bigger is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Headers. No inline script or style anywhere, so the policy can be strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Off only for a production-like server on plain loopback HTTP (make serve, the benchmarks).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    # The load balancer's health check may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if BEHIND_TLS_PROXY:
        # The load balancer ends TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workplan:workspace"
LOGOUT_REDIRECT_URL = "site:home"

# The address the app is reached at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# E-mail goes to the console unless an SMTP server is named.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bali Process secretariat <noreply@localhost>")
# Mailboxes told of every co-chair update, besides the accounts in the Secretariat group.
SECRETARIAT_EMAILS = env_list("SECRETARIAT_EMAILS", [])
# Whom a logged-in user without a co-chair term is told to ask for access.
SECRETARIAT_CONTACT_EMAIL = os.environ.get(
    "SECRETARIAT_CONTACT_EMAIL", SECRETARIAT_EMAILS[0] if SECRETARIAT_EMAILS else ""
)
# The workspace's "needs attention": items due within this many days (also when reminders start),
# and open items with no update for this many days.
WORKPLAN_DUE_SOON_DAYS = int(os.environ.get("WORKPLAN_DUE_SOON_DAYS", "14"))
WORKPLAN_QUIET_DAYS = int(os.environ.get("WORKPLAN_QUIET_DAYS", "90"))

# The domain part of calendar UIDs: keep it fixed once calendars are published.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "baliprocess-wg.example.org")

# The API is read-only and public: no sessions (so no CSRF), JSON only, filters, 400 on bad input.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "baliwg.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # The API speaks only JSON, and `?format=` is a documented meeting filter (in person, virtual,
    # hybrid): the framework's own renderer switch must not take that name.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bali Process Working Groups API",
    "DESCRIPTION": "Published meetings, exercises, the forward work plan and the registry of the forum. Read-only.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Item statuses appear as status, status_before and status_after: one enum for all three.
    "ENUM_NAME_OVERRIDES": {"ItemStatusEnum": "workplan.models.ItemStatus"},
    # Served schema = served responses: every paged list documents its 400 for a bad page.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "baliwg.api.document_bad_page",
    ],
}

# Spreadsheet imports in the admin: only for those who may add the records, all in one transaction.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Logs never carry a delegate's personal data or a password: see core/redaction.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.redaction.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
