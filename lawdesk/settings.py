"""Settings for lawdesk, read from the environment with safe defaults.

SQLite under ``var/`` is the embedded default; ``DATABASE_URL`` selects PostgreSQL.
DEBUG is off unless ``LAWDESK_DEBUG=1``. The secret key is generated on first run and kept in ``var/``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LAWDESK_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    from_env = os.environ.get("LAWDESK_SECRET_KEY")
    if from_env:
        return from_env
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LAWDESK_DEBUG")
# Demo users (known passwords) exist only where this is on; production leaves it off.
DEMO_MODE = _env_bool("LAWDESK_DEMO")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("LAWDESK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("LAWDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    # Django's admin on lawdesk's site: system and security admins only, every change audited (三员分立).
    "lawdesk.accounts.admin_apps.LawdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    # Accounts and sessions (issue 9; owner: accounts): lockout, TOTP second factor, content security policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "lawdesk.core",
    "lawdesk.orgs",
    "lawdesk.institutions",
    "lawdesk.accounts",
    "lawdesk.people",
    "lawdesk.matters",
    "lawdesk.duty",
    "lawdesk.appointments",
    "lawdesk.video",
    "lawdesk.outreach",
    "lawdesk.governance",
    "lawdesk.advisers",
    "lawdesk.staff",
    "lawdesk.correction",
    "lawdesk.screening",
    "lawdesk.leaderwindow",
    "lawdesk.complaints",
    "lawdesk.mediation",
    "lawdesk.legalaid",
    "lawdesk.ledgers",
    "lawdesk.attachments",
    "lawdesk.workcal",
    "lawdesk.notifications",
    "lawdesk.stats",
    "lawdesk.laws",
    "lawdesk.public",
    "lawdesk.coverage",
    "lawdesk.online",
    "lawdesk.quality",
    "lawdesk.assessment",
    "lawdesk.bureau",
    "lawdesk.api",
    "lawdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Audit log: permission denials and exports of logged-in users (issue 9).
    "lawdesk.core.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Accounts and sessions (issue 9): idle/absolute timeout, the TOTP step, password expiry.
    "lawdesk.accounts.middleware.SessionTimeoutMiddleware",
    "lawdesk.accounts.middleware.OTPRequiredMiddleware",
    "lawdesk.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "lawdesk.accounts.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lawdesk.urls"
# Django's form renderer, with the per-option widgets (select options, checkboxes) written in Python (issue 21).
FORM_RENDERER = "lawdesk.core.form_renderer.FastRenderer"
WSGI_APPLICATION = "lawdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lawdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lawdesk.site.context_processors.shell",
                "lawdesk.core.context_processors.site_clock",
                "lawdesk.notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lawdesk.sqlite3'}"),
        conn_max_age=int(os.environ.get("LAWDESK_CONN_MAX_AGE", "0")),
        # A kept connection is checked before reuse, so a restarted database or pgbouncer costs no failed request.
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction pooling (deploy/pgbouncer/): no server-side cursors (they outlive a transaction).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = _env_bool("LAWDESK_PGBOUNCER")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: every transaction takes the write lock at BEGIN, so ledger counters never race.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file too (one per process): an in-memory database shares one cache between connections,
    # where a second writer fails at once ("database table is locked") instead of waiting for the write lock.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# The shared cache (LAWDESK_REDIS_URL, e.g. redis://127.0.0.1:6379/1): every rate limit, lookup throttle and
# lockout counter (lawdesk.core.limits), the law index's version key and the printed reports live there, so they
# hold across app servers and restarts. Unset (development, tests): this process's memory, and the reports in
# files under the var directory.
# "reports": printed monthly reports, keyed by their content (lawdesk.stats.exports).
LAWDESK_REDIS_URL = os.environ.get("LAWDESK_REDIS_URL", "").strip()
LAWDESK_CACHE_PREFIX = os.environ.get("LAWDESK_CACHE_PREFIX", "lawdesk").strip() or "lawdesk"
if LAWDESK_REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": LAWDESK_REDIS_URL,
            "KEY_PREFIX": LAWDESK_CACHE_PREFIX,
            # a Redis that does not answer fails fast (lawdesk.core.limits then counts in the process)
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
        "reports": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": LAWDESK_REDIS_URL,
            "KEY_PREFIX": f"{LAWDESK_CACHE_PREFIX}-reports",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "reports": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "reports"),
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Refuses demo users (known passwords) unless LAWDESK_DEMO is on.
# django-axes first: it refuses locked-out logins before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lawdesk.demo.backends.DemoAwareModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# At least 8 characters of three classes (upper, lower, digit, symbol), not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "lawdesk.accounts.passwords.ComplexityValidator",
        "OPTIONS": {"min_length": 8, "min_classes": 3},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "lawdesk" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files: every app server must see the same directory (a shared mount in production); `manage.py serve`
# refuses to start when it is not writable or is not the one the other servers use (lawdesk.core.checks).
MEDIA_ROOT = Path(os.environ.get("LAWDESK_MEDIA_ROOT", "").strip() or VAR_DIR / "media")

# Uploads: spreadsheets of the tree and institutions are small; refuse anything larger.
LAWDESK_MAX_IMPORT_BYTES = int(os.environ.get("LAWDESK_MAX_IMPORT_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Accounts, sessions and security headers (issue 9; owner: accounts) ---------------------------------
# LAWDESK_PRODUCTION=1 behind HTTPS: redirect to HTTPS, HSTS, secure cookies (`manage.py check --deploy` is
# clean with it and a long LAWDESK_SECRET_KEY). Off by default so `make run` works over plain http.
PRODUCTION = _env_bool("LAWDESK_PRODUCTION")
LAWDESK_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("LAWDESK_PASSWORD_MAX_AGE_DAYS", "90"))
LAWDESK_SESSION_IDLE_MINUTES = int(os.environ.get("LAWDESK_SESSION_IDLE_MINUTES", "30"))
LAWDESK_SESSION_MAX_HOURS = int(os.environ.get("LAWDESK_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = LAWDESK_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION or _env_bool("LAWDESK_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; Django's default
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# Behind a reverse proxy (LAWDESK_BEHIND_PROXY=1, as production runs): `manage.py serve` (waitress) trusts
# X-Forwarded-For and X-Forwarded-Proto from exactly LAWDESK_TRUSTED_PROXY, one hop, and clears them from anyone
# else; it puts the client's address in REMOTE_ADDR and the scheme in wsgi.url_scheme, so Django, the login
# lockout and the audit log see the client and HTTPS (no redirect loop behind a TLS-terminating proxy).
LAWDESK_BEHIND_PROXY = _env_bool("LAWDESK_BEHIND_PROXY")
LAWDESK_TRUSTED_PROXY = os.environ.get("LAWDESK_TRUSTED_PROXY", "127.0.0.1").strip() or "127.0.0.1"
if LAWDESK_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# django-csp 4: scripts only from this site's static files (no inline code, no eval); Pico and a few pages
# use inline style attributes, so styles allow 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# django-axes 8: 5 failures lock the username and, separately, the client address for 5 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "lawdesk.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR, as the WSGI server set it (behind the trusted proxy: the forwarded client).
AXES_CLIENT_IP_CALLABLE = "lawdesk.accounts.security.client_ip"
OTP_TOTP_ISSUER = "西安公共法律服务平台"
# A second factor's secret is shown once, to its owner, at setup; never in the admin (lawdesk.accounts.admin
# replaces django-otp's device admin; this keeps django-otp's own from showing a key or QR code if registered).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# --- end accounts -------------------------------------------------------------------------------------

# The REST API under /api/v1/ (lawdesk.api): system clients with a bearer token, or a logged-in session (CSRF
# enforced); errors in Chinese; rate limits per client, per user and per address (LAWDESK_API_RATE_*).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lawdesk.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "lawdesk.api.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": ["lawdesk.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_client": os.environ.get("LAWDESK_API_RATE_CLIENT", "120/min"),
        "api_user": os.environ.get("LAWDESK_API_RATE_USER", "60/min"),
        "api_anon": os.environ.get("LAWDESK_API_RATE_ANON", "30/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "lawdesk.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "lawdesk.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lawdesk 公共法律服务平台接口",
    "DESCRIPTION": "来访、事项及其办理记录、移交、后台机构、预约和台帐，供12348热线、微信公众号等系统调用。"
    "调用方以服务账号的身份和角色读取和办理，查看范围与该账号登录页面时相同。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "lawdesk.matters.models.Channel",
        "BookingChannelEnum": "lawdesk.api.serializers.BOOKING_CHANNEL_CHOICES",
        "MatterKindEnum": "lawdesk.matters.models.MatterKind",
        "InstitutionKindEnum": "lawdesk.institutions.models.InstitutionKind",
        "SlotKindEnum": "lawdesk.appointments.models.SlotKind",
    },
}

# Background work (reminders, escalation). LAWDESK_JOBS chooses who runs the periodic jobs:
#   "celery"    a Celery worker and exactly one beat (production; tasks go to the broker, not run eagerly);
#   "inprocess" `manage.py serve` runs them from threads of its own process (one server without Celery: make run);
#   "off"       nobody in this process (tests, servers started by tests, cron-driven setups).
# Default: "celery" with LAWDESK_PRODUCTION=1, else "inprocess" when the older LAWDESK_REMINDERS_IN_PROCESS=1,
# else "off".
LAWDESK_JOBS = os.environ.get("LAWDESK_JOBS", "").strip().lower() or (
    "celery"
    if PRODUCTION
    else "inprocess"
    if os.environ.get("LAWDESK_REMINDERS_IN_PROCESS") == "1"
    else "off"
)
CELERY_BROKER_URL = os.environ.get("LAWDESK_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = _env_bool("LAWDESK_CELERY_EAGER", LAWDESK_JOBS != "celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Text messages to citizens and staff: a dotted path to a backend with send(*, phone, text).
LAWDESK_SMS_BACKEND = os.environ.get(
    "LAWDESK_SMS_BACKEND", "lawdesk.notifications.backends.ConsoleSmsBackend"
)
LAWDESK_MAX_ATTACHMENT_BYTES = int(os.environ.get("LAWDESK_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024)))
# Online requests (lawdesk.online): the site's public address (for the links sent by SMS), submissions a day per
# phone and per client address, the shortest time a person takes to fill a form, the progress-lookup throttle
# (lookups per window per address and per code), how long a rating link lasts, and an optional hook for the
# assistant (a dotted path; empty: off, nothing calls an outside service).
LAWDESK_PUBLIC_BASE_URL = os.environ.get("LAWDESK_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
LAWDESK_ONLINE_DAILY_PER_PHONE = int(os.environ.get("LAWDESK_ONLINE_DAILY_PER_PHONE", "5"))
LAWDESK_ONLINE_DAILY_PER_ADDRESS = int(os.environ.get("LAWDESK_ONLINE_DAILY_PER_ADDRESS", "20"))
LAWDESK_ONLINE_MIN_FILL_SECONDS = int(os.environ.get("LAWDESK_ONLINE_MIN_FILL_SECONDS", "3"))
LAWDESK_ONLINE_TRACK_WINDOW = int(os.environ.get("LAWDESK_ONLINE_TRACK_WINDOW", "600"))
LAWDESK_ONLINE_TRACK_PER_ADDRESS = int(os.environ.get("LAWDESK_ONLINE_TRACK_PER_ADDRESS", "10"))
LAWDESK_ONLINE_TRACK_PER_CODE = int(os.environ.get("LAWDESK_ONLINE_TRACK_PER_CODE", "5"))
LAWDESK_ONLINE_RATING_DAYS = int(os.environ.get("LAWDESK_ONLINE_RATING_DAYS", "30"))
LAWDESK_ASSISTANT_HOOK = os.environ.get("LAWDESK_ASSISTANT_HOOK", "")
# The law search re-orders its best 30 by multilingual-e5-small (lawdesk/laws/rerank.py): +5.6 / +4.6 points recall@5 /
# @10 on 340 never-tuned questions for +22 to +34 ms a question (p50) on a shared 2-core machine; off, the fused ranking.
LAWDESK_LAWS_RERANK = _env_bool("LAWDESK_LAWS_RERANK", default=True)
# OpenMP threads of the re-ranking encoder per process (read when it loads): 2 halve a question's encoding when a
# core is free, and collapse when none is (two processes searching: p95 283 ms against 49; bench/laws_speed.py; any
# one busy process does it too: docs/law-search.md, "Tried for speed and not adopted").
LAWDESK_LAWS_RERANK_THREADS = int(os.environ.get("LAWDESK_LAWS_RERANK_THREADS", "1"))
# Video consultations (lawdesk.video; README "视频咨询"): the Janus HTTP API lawdesk calls (empty: video is not
# configured and the pages say so), the one the browsers call (default: the same), the VideoRoom admin_key, how
# long a room and its link last, where Janus writes recordings, and coturn (comma-separated TURN URLs and the
# static-auth-secret shared with coturn for time-limited credentials).
LAWDESK_JANUS_URL = os.environ.get("LAWDESK_JANUS_URL", "")
LAWDESK_JANUS_PUBLIC_URL = os.environ.get("LAWDESK_JANUS_PUBLIC_URL", "")
LAWDESK_JANUS_ADMIN_KEY = os.environ.get("LAWDESK_JANUS_ADMIN_KEY", "")
LAWDESK_VIDEO_ROOM_MINUTES = int(os.environ.get("LAWDESK_VIDEO_ROOM_MINUTES", "120"))
LAWDESK_VIDEO_GRACE_MINUTES = int(os.environ.get("LAWDESK_VIDEO_GRACE_MINUTES", "30"))
LAWDESK_VIDEO_RECORDINGS_DIR = os.environ.get("LAWDESK_VIDEO_RECORDINGS_DIR", "")
LAWDESK_TURN_URL = os.environ.get("LAWDESK_TURN_URL", "")
LAWDESK_TURN_SECRET = os.environ.get("LAWDESK_TURN_SECRET", "")

# --- Personal data and audit (issue 9; owner: pii) ------------------------------------------------------
# Field encryption keys (Fernet, comma-separated, the first is current: put a new key first and run
# `manage.py rotate_field_keys`); the blind-index key (HMAC-SHA256 for lookups by ID number or phone).
# Both come from the environment in production; development, tests and the demo generate them once into var/.


def _generated_key(env_name: str, file_name: str) -> str:
    from_env = os.environ.get(env_name, "").strip()
    if from_env:
        return from_env
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        import base64

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


LAWDESK_FIELD_KEYS = [
    k.strip() for k in _generated_key("LAWDESK_FIELD_KEYS", "field_keys").split(",") if k.strip()
]
LAWDESK_BLIND_INDEX_KEY = _generated_key("LAWDESK_BLIND_INDEX_KEY", "blind_index_key")
# Rule "三年无在办事项": a person's personal data is anonymised when every matter of theirs is closed and the last
# one closed more than this many days ago (and the person was registered at least that long ago).
LAWDESK_PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("LAWDESK_PERSONAL_DATA_RETENTION_DAYS", "1095"))
# Community correction and resettlement identities: kept this long after the correction or the help ended
# (lawdesk.correction.retention; the legal period is not in the law corpus: set it to the bureau's archive rule).
LAWDESK_CORRECTION_RETENTION_DAYS = int(os.environ.get("LAWDESK_CORRECTION_RETENTION_DAYS", "1825"))
# The audit log is append-only and kept at least this long (the application never deletes it).
LAWDESK_AUDIT_MIN_RETENTION_DAYS = 185
# A JSON-lines file that the periodic task `ship_audit` appends new audit rows to (empty: not shipped).
LAWDESK_AUDIT_SHIP_PATH = os.environ.get("LAWDESK_AUDIT_SHIP_PATH", "")
# --- end personal data and audit ---------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No secrets and no personal data in logs (issues 9 and 16): rating-link tokens, bearer tokens, one-time codes
    # and query strings hidden, ID numbers and phones masked, in every record of every handler.
    "filters": {"redact": {"()": "lawdesk.core.logfilter.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LAWDESK_LOG_LEVEL", "WARNING")},
    "loggers": {
        "lawdesk.sms": {"level": "INFO"},
        # Django's own loggers go through the redacting handler only (not Django's default unfiltered console,
        # its admin e-mails, or runserver's request lines).
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("LAWDESK_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "django.server": {
            "handlers": ["console"],
            "level": os.environ.get("LAWDESK_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
    },
}
