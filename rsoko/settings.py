"""Settings of the РСОКО portal, driven by environment variables.

Defaults serve one machine with no services (SQLite, eager Celery). Every value read from the
environment goes through a typed helper below that refuses a bad value instead of guessing.
"""
from pathlib import Path
import os
import urllib.parse

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value}: must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turns postgres://user:password@host:port/name into Django's DATABASES entry."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r}: use postgres:// or sqlite:///")
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path[1:] or BASE_DIR / "db.sqlite3"}
    if not parsed.path.strip("/"):
        raise ImproperlyConfigured("DATABASE_URL must name a database: postgres://user@host:5432/NAME")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": urllib.parse.unquote(parsed.path.lstrip("/")),
        "USER": urllib.parse.unquote(parsed.username or ""),
        "PASSWORD": urllib.parse.unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = env_bool("DEBUG", True)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "rsoko.orgs",
    "rsoko.audit",
    "rsoko.jobs",
    "assessments",
    "assessments.stats",
    "assessments.fieldwork",
    "assessments.kimbank",
    "roadmaps",
    "monitoring",
    "decisions",
    "contexts",
    "rsoko.public",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rsoko.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rsoko.errors.RefuseUnreadableRequestsMiddleware",  # after sign-in is known: its 400 page shows the menu
    "rsoko.uploads.UploadLimitsMiddleware",  # before CSRF reads the form: the body is limited as it streams
    "rsoko.accounts.SessionSafetyMiddleware",  # absolute session lifetime, then no-store on personal answers
    "rsoko.security.PortalLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rsoko.urls"
WSGI_APPLICATION = "rsoko.wsgi.application"

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
                "rsoko.orgs.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: an address is locked after repeated failures (whatever logins it tries), and so is an
# account (from whatever addresses); a wrong old password on the password-change page counts too
# (rsoko.accounts). The address is the client's as the trusted proxies saw it: TRUSTED_PROXY_COUNT proxies
# (nginx in front of gunicorn: 1) append to X-Forwarded-For; with 0 the header is ignored (it is the client's).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "rsoko.accounts.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions expire after 30 idle minutes: every request pushes the expiry forward; and SESSION_MAX_HOURS after
# sign-in however active (rsoko.accounts.SessionSafetyMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Transport security: on by default in production, off on a developer's plain-HTTP machine.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", not DEBUG) else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 50, minimum=1)
ARCHIVE_MAX_MB = env_int("ARCHIVE_MAX_MB", 2048, minimum=1)  # a region's ФИС ОКО archive, unpacked
# Worker processes of a large recomputation (a region's archive): forked only where that is safe (PostgreSQL, a
# single-threaded process that is no Celery prefork child, outside a transaction: `import_archive`, the solo-pool
# worker of HEAVY_JOB_QUEUE), one process otherwise.
WORKER_PROCESSES = env_int("WORKER_PROCESSES", 2, minimum=1)
# Jobs that fork WORKER_PROCESSES themselves go to their own queue, served by a worker whose tasks run in its main
# process (docker-compose: worker-heavy, `--pool=solo`): a prefork child may not start processes. Empty: the
# default queue (they then run in one process).
HEAVY_JOB_QUEUE = os.environ.get("HEAVY_JOB_QUEUE", "heavy")
HEAVY_JOB_KINDS = {"archive_import"}
UPLOADS_PER_HOUR = env_int("UPLOADS_PER_HOUR", 60, minimum=1)  # files one user may upload in an hour (pages + API)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: no broker configured → tasks run in the caller's process (a single machine with no services).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits stay below the broker's visibility timeout, so a running task is never handed out twice. The limit
# travels in each message from the sender's settings (the portal's for an upload): give every process the same.
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60 if CELERY_TASK_TIME_LIMIT > 120 else CELERY_TASK_TIME_LIMIT
if CELERY_TASK_TIME_LIMIT >= CELERY_BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Jobs (rsoko.jobs): the watchdog hands over again a queued job that has not started this long after its hand-over
# (its message was lost), and starts again a running job that reported no progress for this long (its worker was
# lost). The latter must exceed the longest stage between two progress reports: an attempt wrongly taken for lost
# cannot store an upload or a report twice (those stores are fenced by the attempt number) but its work is wasted.
# A job is tried at most JOB_MAX_ATTEMPTS times, then fails with a reason.
JOB_QUEUED_STALE_MINUTES = env_int("JOB_QUEUED_STALE_MINUTES", 10, minimum=1)
JOB_RUNNING_STALE_MINUTES = env_int("JOB_RUNNING_STALE_MINUTES", 15, minimum=1)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3, minimum=1)
# How often the watchdog looks (seconds): a lost job goes back to work within its threshold plus this period.
JOB_WATCHDOG_SECONDS = env_int("JOB_WATCHDOG_SECONDS", 300, minimum=5)
CELERY_BEAT_SCHEDULE: dict = {
    # Jobs submitted while the broker was down wait as queued; they are handed over once it is back.
    "jobs-enqueue-waiting": {"task": "jobs.enqueue_waiting", "schedule": 30.0, "options": {"expires": 25}},
    # Jobs whose message or worker was lost (Redis restarted empty, a whole worker killed, a long database outage).
    "jobs-watchdog": {"task": "jobs.watchdog", "schedule": float(JOB_WATCHDOG_SECONDS),
                      "options": {"expires": JOB_WATCHDOG_SECONDS * 0.8}},
    # Reports: the quarterly set (region + municipalities) on the first days after a quarter ends.
    "reports-quarterly-set": {"task": "reports.quarterly_set", "schedule": crontab(hour=3, minute=30, day_of_month=2, month_of_year="1,4,7,10"),
                              "options": {"expires": 24 * 60 * 60}},
    # Roadmaps: mark overdue items and send reminders before deadlines and report dates (idempotent per day).
    "roadmaps-daily-check": {"task": "roadmaps.daily_check", "schedule": crontab(hour=6, minute=15),
                             "options": {"expires": 6 * 60 * 60}},
    # Monitoring: recompute the current year and quarter nightly; freeze the quarter just ended.
    "monitoring-refresh": {"task": "monitoring.refresh", "schedule": crontab(hour=3, minute=30),
                           "options": {"expires": 6 * 60 * 60}},
    "monitoring-freeze-quarter": {"task": "monitoring.freeze_previous_quarter",
                                  "schedule": crontab(hour=2, minute=0, day_of_month="1-3", month_of_year="1,4,7,10")},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous caller then gets 401 with WWW-Authenticate, not a bare 403.
        "rsoko.orgs.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rsoko.orgs.permissions.HasRoleCapability"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rsoko.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rsoko.uploads.UploadRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        "user": env_str("API_THROTTLE_USER", "6000/min"),
        "indicators": env_str("API_THROTTLE_INDICATORS", "3000/min"),
        # The open (no sign-in) endpoints of rsoko.public: per address, whoever calls.
        "public": env_str("API_THROTTLE_PUBLIC", "120/min"),
    },
    "DEFAULT_VERSIONING_CLASS": None,
    # Throttles count per client address as the trusted proxies saw it (see TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "EXCEPTION_HANDLER": "rsoko.errors.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500, minimum=1)
# API tokens (rsoko.orgs.tokens): stored as digests, valid this many days unless the ministry chooses otherwise.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365, minimum=1)

SPECTACULAR_SETTINGS = {
    "TITLE": "РСОКО API",
    "DESCRIPTION": "Региональная система оценки качества образования: реестр, процедуры, результаты, "
    "аналитика, дорожные карты и показатели мониторинга. Все данные ограничены областью видимости "
    "учётной записи.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The default enum hook plus the error answers (400/401/403/404/429) every operation can give.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "rsoko.openapi.document_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "RoadmapExecutionStatusEnum": "roadmaps.choices.ExecutionStatus",
        "OrganizationKindEnum": "rsoko.orgs.choices.OrgKind",
        "ProcedureLevelEnum": "assessments.choices.ProcedureLevel",
        "TaskLevelEnum": "assessments.choices.TaskLevel",
        "StatisticLevelEnum": "assessments.stats.models.Level",
        "RoadmapLevelEnum": "roadmaps.choices.RoadmapLevel",
        "IndicatorLevelEnum": "monitoring.choices.IndicatorLevel",
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "rsoko@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

# Bank of test materials (assessments.kimbank): file limits and the default download window.
KIM_FILE_MAX_MB = env_int("KIM_FILE_MAX_MB", 20, minimum=1)
KIM_PROCEDURE_START_TIME = env_str("KIM_PROCEDURE_START_TIME", "09:00")
KIM_WINDOW_LEAD_MINUTES = env_int("KIM_WINDOW_LEAD_MINUTES", 60)

# Public pages (rsoko.public): how long a rendered page or JSON answer is kept in the cache.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

REGION_NAME = env_str("REGION_NAME", "Демонстрационная область")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run inline, yet Celery still builds a (never used) producer: kombu's «No hostname was supplied» is noise,
    # and each task's «succeeded in … s: {…}» repeats what the command or page already says.
    LOGGING["loggers"].update({"kombu.connection": {"level": "ERROR"}, "celery.app.trace": {"level": "WARNING"}})
