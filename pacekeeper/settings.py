"""Pacekeeper settings, read from the environment.

Every setting an operator may change is read here through the typed helpers in
``pacekeeper.env``; README.md lists them. ``PACEKEEPER_ENV=production`` turns on
the production defaults and refuses to start without a real secret key.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from pacekeeper.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PACEKEEPER_ENV = env_str("PACEKEEPER_ENV", "development").strip().lower()
if PACEKEEPER_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"PACEKEEPER_ENV must be 'development' or 'production', not {PACEKEEPER_ENV!r}."
    )
PRODUCTION = PACEKEEPER_ENV == "production"

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "workspaces",
    "notifications",
    "personas",
    "channels",
    "experiments",
    "planning",
    "sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pacekeeper.urls"
WSGI_APPLICATION = "pacekeeper.wsgi.application"
ASGI_APPLICATION = "pacekeeper.asgi.application"

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
                "workspaces.context_processors.workspace",
            ],
        },
    },
]

FORM_RENDERER = "pacekeeper.forms.FormRenderer"

# --- Database ---------------------------------------------------------------
# SQLite in the project folder unless DATABASE_URL names another database
# (postgres://user:password@host:5432/name uses psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the write lock instead of failing at once when two requests write.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14, minimum=60)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24, minimum=300)

# Failed sign-ins are throttled per e-mail address and per network address:
# LOGIN_FAILURE_LIMIT failures for either, within LOGIN_LOCKOUT_MINUTES, lock it
# out for LOGIN_LOCKOUT_MINUTES; then the lock-out ends by itself. The count
# lives in the database, so every app server sees it (accounts.throttling).
AUTHENTICATION_BACKENDS = ["accounts.throttling.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# How many proxies in front of the app set X-Forwarded-For (0: use the peer address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Rate limits (django-ratelimit and django-ninja's throttles, on the cache below):
# a count per s, m, h or d, such as 60/m, or 100/5m for five minutes.
# Password-reset e-mails per address asked for, and per client address:
PASSWORD_RESET_RATE_LIMIT = env_rate("PASSWORD_RESET_RATE_LIMIT", "3/h")
PASSWORD_RESET_CLIENT_RATE_LIMIT = env_rate("PASSWORD_RESET_CLIENT_RATE_LIMIT", "10/h")
# Requests to invitation links per client address:
INVITATION_RATE_LIMIT = env_rate("INVITATION_RATE_LIMIT", "20/10m")
# API requests per token (per client address without one), reads and writes
# apart, and requests with a wrong token per client address:
API_READ_RATE_LIMIT = env_rate("API_READ_RATE_LIMIT", "120/m")
API_WRITE_RATE_LIMIT = env_rate("API_WRITE_RATE_LIMIT", "30/m")
API_BAD_TOKEN_RATE_LIMIT = env_rate("API_BAD_TOKEN_RATE_LIMIT", "10/10m")

# --- Cache ------------------------------------------------------------------
# Rate-limit counts live here. The local memory of each process by default;
# with several app servers (or gunicorn workers) set CACHE_URL to a Redis
# server (redis://host:6379/0) so that every one of them sees the same counts.
CACHE_URL = env_str("CACHE_URL").strip()
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"CACHE_URL must be a Redis address such as redis://127.0.0.1:6379/0, not {CACHE_URL!r}."
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The admin's address; it signs in through the same throttled backend.
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/" or not re.fullmatch(r"[\w\-/]+/", ADMIN_URL):
    raise ImproperlyConfigured(
        f"ADMIN_URL must be a path such as admin/ or backstage-7f3k/, not {ADMIN_URL!r}."
    )

# --- Sharing ----------------------------------------------------------------
# Read-only links for people without an account (the sharing app). Requests to
# shared pages, and PDFs rendered for anyone, are limited per client address
# (django-ratelimit on Django's cache).
SHARE_RATE_LIMIT = env_rate("SHARE_RATE_LIMIT", "60/m")
PDF_RATE_LIMIT = env_rate("PDF_RATE_LIMIT", "10/m")

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
# Production serves the collected files (manage.py collectstatic); development
# and tests serve straight from static/ through whitenoise's finders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
        # Only behind a proxy that sets X-Forwarded-Proto itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: htmx is configured through a <meta> tag.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Where the app lives, for links in e-mails sent by the worker (no request to ask).
SITE_URL = env_str("SITE_URL", "").strip() or (
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pacekeeper <pacekeeper@localhost>")

# --- Logging ----------------------------------------------------------------
# Background work goes through Django's task framework (the django-tasks
# backport). The queue lives in the database by default, so nothing else needs
# to run; TASKS_BACKEND=rq moves it to Redis (RQ) for larger installs.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    if importlib.util.find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs the Redis queue installed: pip install '.[redis]'."
        )
    REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0").strip()
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must be a Redis address such as redis://127.0.0.1:6379/0, not {REDIS_URL!r}."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'database' or 'rq', not {TASKS_BACKEND!r}.")
# Imports of more rows than this run in the worker; smaller ones in the request.
IMPORT_TASK_THRESHOLD = env_int("IMPORT_TASK_THRESHOLD", 2000, minimum=1)
# Exports of more rows than this are written by the worker; smaller ones in the request.
EXPORT_TASK_THRESHOLD = env_int("EXPORT_TASK_THRESHOLD", 2000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every PDF step, and warns of every screen-only CSS
        # rule it skips; failures to load a file are errors and still show.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
