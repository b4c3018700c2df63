"""Gongzhi settings. One file; production differs only in environment values.

Environment:
    GONGZHI_DATA_DIR     everything the application writes (default ``var/``)
    DATABASE_URL         default: SQLite file in the data directory
    GONGZHI_SECRET_KEY   Django secret key (default: generated into the data directory)
    GONGZHI_DATA_KEY     field-encryption key for personal data (default: generated into the data directory)
    GONGZHI_DEBUG        "1" for development
    GONGZHI_ALLOWED_HOSTS  comma-separated (default ``*``)
    GONGZHI_BROKER_URL   Celery broker (Redis); without it tasks run inline
    GONGZHI_SECURE       "1" behind HTTPS: secure cookies, HSTS, SSL redirect
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGZHI_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _key_from_env_or_file(env_name: str, filename: str, make) -> str:
    """Read a key from the environment, else from DATA_DIR/keys/<filename>, creating it (0600) if missing."""
    value = os.environ.get(env_name)
    if value:
        return value
    path = DATA_DIR / "keys" / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
    return path.read_text().strip()


SECRET_KEY = _key_from_env_or_file("GONGZHI_SECRET_KEY", "secret.key", lambda: secrets.token_urlsafe(50))
DATA_KEY = _key_from_env_or_file("GONGZHI_DATA_KEY", "data.key", lambda: secrets.token_urlsafe(32))

DEBUG = os.environ.get("GONGZHI_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GONGZHI_ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GONGZHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_htmx",
    "template_partials",
    "gongzhi.core",
    "gongzhi.accounts",
    "gongzhi.registry",
    "gongzhi.party",
    "gongzhi.appeals",
    "gongzhi.deliberation",
    "gongzhi.ledger",
    "gongzhi.volunteering",
    "gongzhi.catalog",
    "gongzhi.triage",
    "gongzhi.insights",
    "gongzhi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongzhi.core.middleware.RequestContextMiddleware",
    "gongzhi.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (gongzhi.core.middleware.SecurityHeadersMiddleware); empty turns it off.
GONGZHI_CSP = os.environ.get(
    "GONGZHI_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

ROOT_URLCONF = "gongzhi.urls"
WSGI_APPLICATION = "gongzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongzhi.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongzhi.sqlite3'}"),
        conn_max_age=int(os.environ.get("GONGZHI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout: concurrent readers with one writer, and writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Persistent like PostgreSQL's (GONGZHI_DB_CONN_MAX_AGE): a new SQLite connection per request ran the PRAGMAs
    # and, on close, checkpointed the WAL — a third of an appeal intake's time in the server.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_LOCKOUT_CALLABLE = "gongzhi.core.lockout.lockout_response"  # JSON under /api/, the template elsewhere
AXES_USERNAME_CALLABLE = "gongzhi.core.lockout.axes_username"  # an ID/phone typed as username is stored hashed
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("GONGZHI_PROXY_COUNT", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; keep default
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("GONGZHI_SECURE", "") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work: Celery with Redis in production, inline without a broker.
CELERY_BROKER_URL = os.environ.get("GONGZHI_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic work for `celery -A gongzhi beat` (without a broker, run `gongzhi appeals tick` from cron instead).
CELERY_BEAT_SCHEDULE = {
    "appeals-tick": {"task": "appeals.tick", "schedule": 300.0},  # reminders, escalation, outbox
    "deliberation-close-publicities": {
        "task": "gongzhi.deliberation.tasks.close_due_publicities_task", "schedule": 3600.0,
    },
    "triage-retrain": {"task": "triage.retrain", "schedule": 86400.0},  # staff corrections → new model if not worse
    # points paid for meeting sign-ins and rated projects (idempotent per event)
    "ledger-sweep-award-events": {"task": "gongzhi.ledger.tasks.sweep_award_events", "schedule": 3600.0},
    # unspent care vouchers of ended years taken back by expiry entries
    # dashboard pre-aggregation: the days whose cases changed, and a full rebuild each night
    "insights-rollup": {"task": "insights.rollup", "schedule": 600.0},
    "insights-rollup-full": {"task": "insights.rollup", "schedule": 86400.0, "kwargs": {"full": True}},
    "ledger-expire-care-vouchers": {"task": "gongzhi.ledger.tasks.expire_care_vouchers", "schedule": 86400.0},
}

NINJA_PAGINATION_PER_PAGE = 20

# 智能分拨: intake asks the active trained model for category, tier and handler ("" = the catalogue's keyword rules).
APPEALS_CLASSIFIER = os.environ.get("GONGZHI_APPEALS_CLASSIFIER", "gongzhi.triage.classifier.TriageClassifier")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "gongzhi.core.redaction.RedactPersonalData"}},  # masks ID/phone numbers
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGZHI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"},
                "jieba": {"level": "WARNING"}},
}

GONGZHI_SITE_NAME = _("Gongzhi")
