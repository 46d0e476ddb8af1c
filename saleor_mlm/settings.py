"""Django settings, configured from the environment.

Every knob a deployment needs is an environment variable; the defaults give the embedded
demo setup (a SQLite file, eager tasks) so that one command runs the app.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SALEOR_MLM_DATA_DIR", Path.cwd() / "var"))

DEBUG = _bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("SALEOR_MLM_REQUIRE_SECRET_KEY") == "1":
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    # An insecure key is acceptable only for the demo and tests; the demo command sets
    # SALEOR_MLM_DEMO=1 and production deployments set SECRET_KEY.
    SECRET_KEY = "saleor-mlm-insecure-development-key-change-me"

ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")

# The app's public base URL; the manifest's URLs are built from it. Without it the URL
# of the incoming manifest request is used.
APP_URL = os.environ.get("APP_URL", "").rstrip("/")
# Saleor API URLs allowed to install the app; empty means any. Exact URLs or host patterns
# such as `https://*.saleor.cloud` (see docs/installing.md).
SALEOR_ALLOWED_API_URLS = _list("SALEOR_ALLOWED_API_URLS")
# The manifest's app id (one Saleor installs one app per id) and homepage.
SALEOR_APP_IDENTIFIER = os.environ.get("SALEOR_APP_ID", "saleor-mlm")
SALEOR_APP_HOMEPAGE_URL = os.environ.get("SALEOR_APP_HOMEPAGE_URL", "https://github.com/saleor-mlm/saleor-mlm")
# A webhook signed with an unknown key refetches the JWKS at most this often per installation.
SALEOR_JWKS_REFETCH_INTERVAL = int(os.environ.get("SALEOR_JWKS_REFETCH_INTERVAL", "30"))
# Key that encrypts app tokens at rest; derived from SECRET_KEY when unset.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

# Storefront base URL for partners' referral links (`<STOREFRONT_URL>?ref=CODE`).
STOREFRONT_URL = os.environ.get("STOREFRONT_URL", "")
# GraphQL API: limits (defaults in saleor_mlm.graphql.core.validation), CORS, proxies.
for _name in ("GRAPHQL_MAX_DEPTH", "GRAPHQL_MAX_COST", "GRAPHQL_TRUSTED_PROXY_COUNT", "GRAPHQL_EXPORT_LINK_SECONDS"):
    if os.environ.get(_name):
        globals()[_name] = int(os.environ[_name])
GRAPHQL_CORS_ALLOWED_ORIGINS = _list("GRAPHQL_CORS_ALLOWED_ORIGINS", "*")
# Where a period's stored inputs are unpacked for statements (a cache: safe to delete).
MLM_PERIOD_CACHE_DIR = Path(os.environ.get("MLM_PERIOD_CACHE_DIR", DATA_DIR / "period-cache"))

# A shared cache (Redis) makes rate limits count across all web processes; without
# CACHE_URL each process counts on its own (fine for the demo and a single process).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "django_countries",
    "saleor_mlm.core",
    "saleor_mlm.installations",
    "saleor_mlm.webhooks",
    "saleor_mlm.orders",
]
# Apps added by later domains register here (kept in one list so the order is explicit).
for _optional in ("network", "ledger", "periods", "payouts", "graphql", "dashboard"):
    if (BASE_DIR / _optional / "apps.py").exists():
        INSTALLED_APPS.append(f"saleor_mlm.{_optional}")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "saleor_mlm.core.middleware.RequestLogMiddleware",
]

ROOT_URLCONF = "saleor_mlm.urls"
WSGI_APPLICATION = "saleor_mlm.wsgi.application"
ASGI_APPLICATION = "saleor_mlm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'saleor-mlm.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves the demo's threads, its period runs and its in-process
    # tasks at once. SQLite has one writer at a time, so (docs/installing.md, "SQLite"):
    # - WAL: readers never wait for the writer, nor the writer for readers;
    # - a busy timeout (`timeout`, seconds): a writer waits for the lock instead of failing;
    # - IMMEDIATE transactions: a transaction takes the write lock when it begins. With
    #   SQLite's default (DEFERRED) a transaction that read first and then writes cannot
    #   wait for a lock another writer holds: it fails at once with "database is locked",
    #   whatever the timeout (the lost voucher codes of issue 12).
    # Transient errors left over are retried by every task (core/transient.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=int(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Parameters bound by the server and statements prepared after their second use: the
    # hot paths (webhook intake, batched crediting) run the same few statements thousands
    # of times, and planning them each time cost about as much CPU as running them
    # (docs/benchmarks.md, "Ledger"). Django leaves both off for transaction-pooling
    # PgBouncers older than 1.21; `DATABASE_PREPARE_THRESHOLD=off` turns preparing off.
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "2").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") != "0",
        prepare_threshold=None if _prepare in ("", "off", "none") else int(_prepare),
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# Without a broker, tasks run eagerly in the calling process (demo, tests).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, run by `celery -A saleor_mlm beat` beside the worker (docs/installing.md).
# Each entry says what it sweeps and why its interval; intervals in seconds from the
# environment where an operator may want another. Without a broker nothing runs on a
# schedule (the demo runs its sweeps in-process, see saleor_mlm/core/management/commands/demo.py).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Partners whose voucher code was lost (its task failed for good) get it; every 10 minutes
    # by default, a partner waits at most that long (network/vouchers.py).
    "network.issue-missing-voucher-codes": {
        "task": "network.issue_missing_voucher_codes",
        "schedule": int(os.environ.get("MLM_VOUCHER_SWEEP_SECONDS", "600")),
    },
}
# With a broker, queued webhook deliveries are processed in batches of this many
# (webhooks/batch.py); 1 processes each delivery in a task of its own.
WEBHOOK_BATCH_SIZE = int(os.environ.get("WEBHOOK_BATCH_SIZE", "100"))
# Without a broker, run period closes, previews and what-ifs in a thread of the web process
# instead of inside the request, so the dashboard can follow their progress. The demo server
# turns it on (saleor-mlm demo); tests and commands keep runs synchronous. See docs/periods.md.
MLM_PERIOD_RUNS_IN_THREAD = _bool("MLM_PERIOD_RUNS_IN_THREAD", False)

# Calls to Saleor: connect/read timeouts in seconds and retries (timeouts and 5xx only).
SALEOR_CLIENT_TIMEOUT = (
    float(os.environ.get("SALEOR_CLIENT_CONNECT_TIMEOUT", "3")),
    float(os.environ.get("SALEOR_CLIENT_READ_TIMEOUT", "15")),
)
SALEOR_CLIENT_RETRIES = int(os.environ.get("SALEOR_CLIENT_RETRIES", "3"))
# Saleor writes back to orders and customers; off in the demo where no Saleor runs.
SALEOR_WRITE_BACK = _bool("SALEOR_WRITE_BACK", True)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")  # json | text
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "saleor_mlm.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # No query strings and no signed-link tokens in request paths (core/logging.py).
    "filters": {"request_path": {"()": "saleor_mlm.core.logging.RequestPathFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_path"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Security headers (docs/security.md, "Headers"). `nosniff` and the referrer policy on every
# answer. The referrer policy keeps the origin on cross-origin requests: @saleor/app-sdk in
# the Dashboard's iframe takes the Dashboard's origin from `document.referrer` and ignores
# its messages without one (`same-origin`, Django's default, empties it on any redirect).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# HSTS only when the deployment says it is served over HTTPS: `APP_URL` starts with
# https:// (one year then), or SECURE_HSTS_SECONDS is set. Django sends it on HTTPS answers
# only (`request.is_secure()`, X-Forwarded-Proto behind a proxy). Subdomains and preload stay
# opt-in: the app often lives on a subdomain of the shop.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (31536000 if APP_URL.startswith("https://") else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", False)
# Who may frame the dashboard extension (CSP `frame-ancestors`, saleor_mlm/core/csp.py):
# the app itself, the Saleor of the installation the page is opened for (the origin of its
# API URL), and these origins: Saleor Dashboards served apart from their API
# (`https://dashboard.example.com`). The demo adds the loopback addresses.
SALEOR_DASHBOARD_ORIGINS = _list("SALEOR_DASHBOARD_ORIGINS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
