"""Tonic settings: one module, read from the environment.

With no environment at all it runs the embedded default: SQLite (WAL, IMMEDIATE transactions),
a Celery transport on the filesystem (no server), console e-mail, DEBUG off and a secret key made
once and kept in var/secret_key. Production differs only by environment variables (see
deploy/.env.example).
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from studio.secret_key import read_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Files the embedded default writes: SQLite database, filesystem queue, static files, secret key.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

# Off unless asked for (DEBUG=1): `make run` serves as production does, without tracebacks.
DEBUG = env.bool("DEBUG", default=False)

# Without SECRET_KEY the embedded default makes one once and keeps it in var/ (so sessions and
# stored CalDAV passwords survive restarts, and web, worker and beat agree). Production sets
# REQUIRE_SECRET_KEY=1 (deploy/): there a missing key stops start-up instead.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if env.bool("REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("SECRET_KEY is not set (REQUIRE_SECRET_KEY is on).")
    SECRET_KEY = read_or_create_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The base of every absolute link (e-mails, manage, pay and intake links, calendar feeds, ICS
# URL:). Without it, the address `make run` serves on: loopback and PORT.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='') or 8000}")
SITE_URL = SITE_URL.rstrip("/")
# Served over HTTPS (production behind Caddy): then plain HTTP is redirected and cookies are
# marked Secure. `make run` on http://127.0.0.1 must keep working with DEBUG off.
SITE_IS_HTTPS = SITE_URL.startswith("https://")
# A form sent from a stale page gets the site's 403 page, saying how to recover.
CSRF_FAILURE_VIEW = "studio.error_views.csrf_failure"

INSTALLED_APPS = [
    "studio.admin_apps.TonicAdminConfig",  # django.contrib.admin, for owners only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "accounts",
    "programs",
    "bookings",
    "studio",
]
# The panels modules the dashboards gather (studio/kernel/panels.py); order breaks ties.
DASHBOARD_PANELS = [
    "accounts.panels",
    "bookings.panels.booking",
    "bookings.calendars.panels",
    "bookings.panels.client_file",
    "bookings.payments.panels",
    "bookings.reminders.panels",
    "bookings.panels.studio_report",
    "bookings.passes.panels",
    "programs.panels",
    "studio.panels",
]

MIDDLEWARE = [
    "studio.middleware.ReverseProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "studio.middleware.RequestSizeLimitMiddleware",
    "studio.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "studio.urls"
WSGI_APPLICATION = "studio.wsgi.application"

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
                "studio.context.studio",
            ],
        },
    },
]

# Database: SQLite by default. WAL lets readers run beside the writer; IMMEDIATE makes every
# transaction take the write lock up front, so "check then insert" cannot interleave.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tonic.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests need a file database: concurrent requests cannot share an in-memory one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# DEBUG off: whitenoise serves hashed, compressed copies made by `collectstatic` (`make run` and
# the image build run it); the test suite renders with the plain storage (tests/conftest.py).
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # see MEDIA below
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded pictures and videos (accounts/media.py): var/media/ served by Django embedded; with
# MEDIA_S3_BUCKET, any S3-compatible store (AWS, MinIO, R2: MEDIA_S3_ENDPOINT_URL) via
# django-storages, keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the instance role.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = env("MEDIA_URL", default="/media/")
if env("MEDIA_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": env.bool("MEDIA_S3_SIGNED_URLS", default=False),
            "file_overwrite": False,
            "default_acl": None,
        },
    }

# Cache: the database, so rate limits hold across processes without Redis.
CACHES = {
    # max_entries: the database cache culls a third of its rows past this; keep rate-limit
    # counters from being culled under a burst from many addresses.
    "default": env.cache("CACHE_URL", default="dbcache://tonic_cache?max_entries=50000"),
    # Availability answers (bookings/availability_cache.py), kept apart and bounded: a burst of
    # distinct questions can neither cull the rate-limit counters nor grow the table unbounded.
    "availability": env.cache(
        "AVAILABILITY_CACHE_URL", default="dbcache://tonic_availability_cache?max_entries=2000"
    ),
}

# E-mail: console by default; EMAIL_URL (smtp://...) or ANYMAIL_* switch to a real sender.
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    EMAIL_CONFIG["EMAIL_BACKEND"] = "studio.console_mail.EmailBackend"  # readable: see there
vars().update(EMAIL_CONFIG)
if env("ANYMAIL_ESP", default=""):
    EMAIL_BACKEND = f"anymail.backends.{env('ANYMAIL_ESP')}.EmailBackend"
    ANYMAIL = {k[len("ANYMAIL_") :]: v for k, v in env.ENVIRON.items() if k.startswith("ANYMAIL_")}
# A stuck SMTP server must not hold a reminder claim forever (Django's default is no timeout).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tonic Studio <studio@example.com>")
STUDIO_NOTIFY_EMAIL = env("STUDIO_NOTIFY_EMAIL", default="studio@example.com")

# Celery: a filesystem transport needs no server; Redis in production and CI.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue = Path(env("CELERY_FILESYSTEM_FOLDER", default=str(VAR_DIR / "celery")))
    for sub in ("out", "processed", "control"):
        (_queue / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "data_folder_processed": str(_queue / "processed"),
        # Exchange bindings (e.g. a queue named at send time); default is ./control in the cwd.
        "control_folder": str(_queue / "control"),
    }
# The queue tasks go to and workers read; the tests give each run its own (tests/fixtures/workers.py).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every task module; the worker and studio/apps.py (every process) import them. Task names are
# fixed by `name=` (the modules' paths before issue 14), so jobs queued before a deploy still find
# their task: the beat entries below use those names.
CELERY_IMPORTS = [
    "studio.tasks",
    "bookings.calendars.tasks",
    "bookings.payments.tasks",
    "bookings.reminders.tasks",
    "bookings.classes.tasks",
    "bookings.passes.tasks",
]
# Periodic jobs. Beat's DatabaseScheduler copies these into django-celery-beat's tables at start
# (the owner can pause or retime them in the admin). `expire_seconds`: a run that waited longer
# than its interval is dropped, the next one does the same work.
REMINDERS_DUE_EVERY_SECONDS = env.int("REMINDERS_DUE_EVERY_SECONDS", default=60)
# The outbox (studio/kernel/outbox.py): the sweeper delivers what the broker or a dead worker left
# behind; a failed delivery is retried after OUTBOX_RETRY_SECONDS, doubling up to an hour, and
# marked failed (shown to the owner) after OUTBOX_MAX_ATTEMPTS.
OUTBOX_SWEEP_EVERY_SECONDS = env.int("OUTBOX_SWEEP_EVERY_SECONDS", default=60)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
CELERY_BEAT_SCHEDULE = {
    # Group classes (bookings/classes/): lapsed waitlist offers move on; attendance after class.
    "classes-offers-lapse": {"task": "bookings.classes.offers_lapse_due", "schedule": 60.0},
    "classes-mark-attendance": {"task": "bookings.classes.mark_attendance", "schedule": 600.0},
    "outbox-sweep": {
        "task": "studio.tasks.outbox_sweep_task",
        "schedule": float(OUTBOX_SWEEP_EVERY_SECONDS),
        "options": {"expire_seconds": max(OUTBOX_SWEEP_EVERY_SECONDS - 1, 1)},
    },
    "calendars-sync-due": {
        "task": "bookings.tasks_calendars.calendar_connections_sync_due_task",
        "schedule": 15 * 60,
    },
    "payments-release-expired-holds": {
        "task": "bookings.tasks_payments.payment_holds_release_task",
        "schedule": 60.0,
    },
    "reminders-send-due": {
        "task": "bookings.tasks_reminders.reminders_send_due_task",
        "schedule": float(REMINDERS_DUE_EVERY_SECONDS),
        "options": {"expire_seconds": max(REMINDERS_DUE_EVERY_SECONDS - 1, 1)},
    },
    "agendas-schedule": {
        "task": "bookings.tasks_reminders.agendas_schedule_task",
        "schedule": float(env.int("AGENDAS_EVERY_SECONDS", default=900)),
        "options": {"expire_seconds": 600},
    },
    "credits-expire": {
        "task": "bookings.passes.tasks.credits_expire_task",
        "schedule": 3600.0,
        "options": {"expire_seconds": 3000},
    },
    "practice-nudges": {
        "task": "bookings.tasks_reminders.practice_nudges_send_task",
        "schedule": 3600.0,
        "options": {"expire_seconds": 3000},
    },
}

# Availability answers (bookings/availability_cache.py) are cached at most this many seconds and
# dropped at once on any change to bookings, hours or busy times; 0 turns the cache off.
AVAILABILITY_CACHE_SECONDS = env.int("AVAILABILITY_CACHE_SECONDS", default=60)
# Reminders (bookings/reminders/services.py): first retry delay after a failed send (doubles each time).
REMINDERS_RETRY_SECONDS = env.int("REMINDERS_RETRY_SECONDS", default=60)
# Practice nudges (bookings/reminders/nudges.py): e-mail a client with an active program after
# this many days without a practice log, at most once per that many days.
PRACTICE_NUDGE_DAYS = env.int("PRACTICE_NUDGE_DAYS", default=4)
# SMS (bookings/sms.py): Twilio when its keys are set; otherwise the console while DEBUG is on,
# and no SMS at all in production. SMS_BACKEND (a dotted path) overrides the choice.
SMS_BACKEND = env("SMS_BACKEND", default="")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_API_BASE = env("TWILIO_API_BASE", default="https://api.twilio.com")

# Stripe: off unless a secret key is given.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Seconds before a Stripe call gives up (bookings/payments/stripe_client.py); never inside a transaction.
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=10.0)
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")

# Key for credentials stored at rest (CalDAV passwords); derived from SECRET_KEY if not set.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")
# Calendar connections (ICS URLs, CalDAV servers) may point at loopback/private addresses and
# any port (bookings/calendars/outbound.py). Off: only public addresses on web ports. Self-hosted only.
CALENDAR_ALLOW_PRIVATE_HOSTS = env.bool("CALENDAR_ALLOW_PRIVATE_HOSTS", default=False)

DEMO_PASSWORD = env("DEMO_PASSWORD", default="tonic-demo-2026")

RATE_LIMITS = env("RATE_LIMITS", default="on").lower() != "off"
ENQUIRY_RATE = env("ENQUIRY_RATE", default="10/h")
# POST /api/bookings/ (and the /book/ form) per address, or per account for a logged-in client;
# cancel/reschedule are counted apart at the same rate; staff are never limited.
BOOKING_RATE = env("BOOKING_RATE", default="20/h")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's three, with JSON nesting bounded (studio/kernel/parsers.py: deep JSON is a 400, not a 500).
    "DEFAULT_PARSER_CLASSES": [
        "studio.kernel.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "studio.kernel.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "studio.kernel.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (accounts/tokens.py, django-rest-knox): hashed at rest, one per login, each expiring
# API_TOKEN_DAYS after login (no sliding renewal); a password change or reset ends them all.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tonic API",
    "DESCRIPTION": "Booking and program management for small movement studios.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "studio.kernel.schema.document_common_errors",
    ],
    # Several models have a `status`; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "EnquiryStatusEnum": "accounts.models.Enquiry.Status",
        "BookingStatusEnum": "bookings.models.Booking.Status",
        "PaymentStatusEnum": "bookings.models.Payment.Status",
        "ReminderStatusEnum": "bookings.models.Reminder.Status",
        "ProgramStatusEnum": "programs.models.Program.Status",
        "DeskPaymentKindEnum": "bookings.desk.models.DeskPayment.Kind",
    },
    # Row ids in paths (<id:pk>, studio/kernel/converters.py): integers, as <int:> was.
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# django-axes (studio/security.py): lock out repeated failed logins, on the login pages and
# POST /api/auth/token/, per (username, IP) after AXES_FAILURE_LIMIT failures and per IP alone
# after AXES_IP_FAILURE_LIMIT failures whatever the names tried (one address trying many).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # this order: see there
AXES_HANDLER = "studio.security.LoginLockoutHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLED = RATE_LIMITS
AXES_LOCKOUT_CALLABLE = "studio.security.lockout_response"
AXES_VERBOSE = False  # its start-up banner, once per process: five times under `make run`
# Password reset (accounts/passwords.py): requests per client address (then 429), and reset
# e-mails per e-mail address (then silently none, with the same answer).
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="10/h")
PASSWORD_RESET_ADDRESS_RATE = env("PASSWORD_RESET_ADDRESS_RATE", default="3/h")

# Reverse proxies in front of the app (Caddy in deploy/compose.yaml: 1). Each appends to
# X-Forwarded-For; the client address is taken from it only when this is set.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

ADMIN_PATH = env("ADMIN_PATH", default="admin/").strip("/") + "/"

# Body size caps (studio.middleware.RequestSizeLimitMiddleware answers 413 above them):
# form and JSON bodies, and multipart uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Content Security Policy (django-csp 4). Stripe.js is the one outside script we allow.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "https://js.stripe.com"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # FullCalendar's injected stylesheet declares its icon font as a data: URL.
        "font-src": ["'self'", "data:"],
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],  # exercise videos, from S3 in production
        "frame-src": ["'self'", "https://js.stripe.com", "https://hooks.stripe.com"],
        "connect-src": ["'self'", "https://api.stripe.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SITE_IS_HTTPS)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = SITE_IS_HTTPS
    CSRF_COOKIE_SECURE = SITE_IS_HTTPS
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Quiet by default: beat's "sending due task" and the worker's "received"/"succeeded"
        # come every minute for the outbox sweep. TASK_LOG_LEVEL=INFO shows them again.
        **{
            name: {"level": env("TASK_LOG_LEVEL", default="WARNING")}
            for name in ("celery.beat", "celery.app.trace", "celery.worker.strategy")
        },
    },
}
