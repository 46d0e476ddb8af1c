"""Django settings, configured from the environment.

Every knob a deployment needs is an environment variable; the defaults give the embedded
demo setup (a SQLite file, eager tasks) so that one command runs the app.
"""

import os
from pathlib import Path

from django.conf.locale import LANG_INFO

from saleor_mlm.core import startup as _startup


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _crontab_at(value: str):
    """A daily celery schedule at "HH:MM" (local time)."""
    from celery.schedules import crontab

    hour, _, minute = value.partition(":")
    return crontab(hour=int(hour), minute=int(minute or 0))


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SALEOR_MLM_DATA_DIR", Path.cwd() / "var"))

DEBUG = _bool("DEBUG", False)

# --- Secret keys and production transport (docs/security.md, docs/installing.md) -------
# Without SECRET_KEY and FIELD_ENCRYPTION_KEY of its own a process refuses to start, with one
# line naming the variable (saleor_mlm/core/startup.py); only the demo (SALEOR_MLM_DEMO=1, set
# by `saleor-mlm demo`) and DEBUG=1 run on the public development key.
_development = DEBUG or _startup.demo_enabled(os.environ)
SECRET_KEY = _startup.secret_key(os.environ, development=_development)
# Former SECRET_KEYs whose signatures (download links) stay valid while they expire.
SECRET_KEY_FALLBACKS = _list("SECRET_KEY_FALLBACKS")
# Encrypts app tokens at rest (core/crypto.py); FIELD_ENCRYPTION_KEYS_OLD only decrypt, until
# `saleor-mlm rotate-encryption-key` has re-encrypted everything with the current key.
FIELD_ENCRYPTION_KEY = _startup.field_encryption_key(os.environ, secret_key=SECRET_KEY, development=_development)
FIELD_ENCRYPTION_KEYS_OLD = _list("FIELD_ENCRYPTION_KEYS_OLD")
# HTTPS, behind a TLS-terminating proxy that sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER
# below). Redirecting plain HTTP is off by default: behind a proxy that does not set the
# header it would loop; the documented production environment turns it on.
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", False)
# Health probes of load balancers speak plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS only when the deployment says it is served over HTTPS: `APP_URL` starts with
# https:// (one year then), or SECURE_HSTS_SECONDS is set. Django sends it on HTTPS answers
# only (`request.is_secure()`, X-Forwarded-Proto behind a proxy), never to the demo on
# http://127.0.0.1. The app is served on a host of its own (mlm.example.com), so
# includeSubDomains covers only hosts below it, never the shop beside it; `preload` commits
# the whole registrable domain and is the decision of its owner (hence W021 silenced below).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (31536000 if os.environ.get("APP_URL", "").startswith("https://") else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", False)
# The app sets no cookie today; should one appear, it travels over HTTPS only.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not _development
SILENCED_SYSTEM_CHECKS = [
    # X-Frame-Options: the Saleor Dashboard frames the app's pages from another origin;
    # which sites may frame them is a matter of CSP frame-ancestors.
    "security.W002",
    # CSRF middleware: nothing authenticates by cookie. Every request carries a bearer token
    # (Saleor JWT, API key) or a webhook signature, which a cross-site form cannot forge.
    "security.W003",
    # HSTS preload: see above.
    "security.W021",
]
# --- end of secret keys and production transport ---------------------------------------

ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")

# The app's public base URL; the manifest's URLs are built from it. Without it the URL
# of the incoming manifest request is used.
APP_URL = os.environ.get("APP_URL", "").rstrip("/")
# Saleor API URLs allowed to install the app; empty means any, which production must not
# run with (warning saleor_mlm.W001). Exact URLs or host patterns such as
# `https://*.saleor.cloud` (see docs/installing.md).
SALEOR_ALLOWED_API_URLS = _list("SALEOR_ALLOWED_API_URLS")
# The manifest's app id (one Saleor installs one app per id) and the pages the Dashboard
# links from the app's details: homepage, support, and the privacy policy (whoever runs
# the app decides what happens to the data: point it at your own; the default describes
# what the app stores, docs/privacy.md).
SALEOR_APP_IDENTIFIER = os.environ.get("SALEOR_APP_ID", "saleor-mlm")
SALEOR_APP_HOMEPAGE_URL = os.environ.get("SALEOR_APP_HOMEPAGE_URL", "https://github.com/saleor-mlm/saleor-mlm")
SALEOR_APP_SUPPORT_URL = os.environ.get("SALEOR_APP_SUPPORT_URL", "https://github.com/saleor-mlm/saleor-mlm/issues")
SALEOR_APP_DATA_PRIVACY_URL = os.environ.get(
    "SALEOR_APP_DATA_PRIVACY_URL", "https://github.com/saleor-mlm/saleor-mlm/blob/main/docs/privacy.md"
)
# A webhook signed with an unknown key refetches the JWKS at most this often per installation.
SALEOR_JWKS_REFETCH_INTERVAL = int(os.environ.get("SALEOR_JWKS_REFETCH_INTERVAL", "30"))

# Storefront base URL for partners' referral links (`<STOREFRONT_URL>?ref=CODE`).
STOREFRONT_URL = os.environ.get("STOREFRONT_URL", "")
# GraphQL API: limits (defaults in saleor_mlm.graphql.core.validation and .document_limits),
# CORS, proxies.
for _name in (
    "GRAPHQL_MAX_DEPTH",
    "GRAPHQL_MAX_COST",
    "GRAPHQL_MAX_DOCUMENT_BYTES",
    "GRAPHQL_MAX_TOKENS",
    "GRAPHQL_MAX_OPERATIONS",
    "GRAPHQL_MAX_FIELDS",
    "GRAPHQL_TRUSTED_PROXY_COUNT",
    "GRAPHQL_EXPORT_LINK_SECONDS",
):
    if os.environ.get(_name):
        globals()[_name] = int(os.environ[_name])
GRAPHQL_CORS_ALLOWED_ORIGINS = _list("GRAPHQL_CORS_ALLOWED_ORIGINS", "*")
# Where a period's stored inputs are unpacked for statements (a cache: safe to delete).
MLM_PERIOD_CACHE_DIR = Path(os.environ.get("MLM_PERIOD_CACHE_DIR", DATA_DIR / "period-cache"))

# A shared cache (Redis) makes what is cached count across all web processes; without
# CACHE_URL each process caches on its own (fine for the demo and a single process).
CACHE_URL = os.environ.get("CACHE_URL", "")
# Redis the processes share besides the broker (tests give each run a database of its own).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Rate limits must count across all web processes, so they are kept in Redis whenever one
# is known: CACHE_URL, else REDIS_URL or the Celery broker when they are Redis. Only
# without any does each process count on its own.
RATELIMIT_CACHE_URL = CACHE_URL or next(
    (url for url in (REDIS_URL, os.environ.get("CELERY_BROKER_URL", "")) if url.startswith(("redis://", "rediss://", "unix://"))),
    "",
)
_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"
CACHES = {
    "default": {"BACKEND": _REDIS_CACHE, "LOCATION": CACHE_URL} if CACHE_URL else {"BACKEND": _MEMORY_CACHE},
    "ratelimit": (
        {"BACKEND": _REDIS_CACHE, "LOCATION": RATELIMIT_CACHE_URL, "KEY_PREFIX": "ratelimit"}
        if RATELIMIT_CACHE_URL
        else {"BACKEND": _MEMORY_CACHE, "LOCATION": "ratelimit"}
    ),
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
    # The domain apps in layer order, each above what it builds on (docs/architecture.md):
    # the programs below the network and the plans that belong to them, the calendar of
    # periods below the ledger that fills them, plan versions below the periods that run
    # them, the money after a run above both.
    "saleor_mlm.programs",
    "saleor_mlm.network",
    "saleor_mlm.calendar",
    "saleor_mlm.ledger",
    "saleor_mlm.plans",
    "saleor_mlm.periods",
    "saleor_mlm.payouts",
    # A partner's statement: a run's figures with the balance (and the month-end command).
    "saleor_mlm.statements",
    # Reconciliation with Saleor: records what the webhooks missed through the paid-order
    # path (orders and the ledger), so it sits above the ledger.
    "saleor_mlm.reconciliation",
    "saleor_mlm.credit_notes",
    # Payouts of committed periods: they pay the credit notes (Stripe Connect, SEPA files).
    "saleor_mlm.payout_runs",
    # The partner office's server side (docs/office.md): above the money it shows.
    "saleor_mlm.office",
    # Orders for customers from the office: checkouts of the shop with the partner's code.
    "saleor_mlm.checkouts",
    # E-mails to partners (docs/notifications.md): triggered by the domains below it.
    "saleor_mlm.notifications",
    # Online registration of partners in the office: terms, approval (above the network it enrolls into).
    "saleor_mlm.registration",
    # Above the domains: reads and rewrites their data for the GDPR (erasure, export).
    "saleor_mlm.privacy",
    "saleor_mlm.graphql",
    "saleor_mlm.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Messages in the language the client asks for (Accept-Language; English by default).
    "django.middleware.locale.LocaleMiddleware",
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

# PostgreSQL, or SQLite for the demo; another scheme refuses the start (core/startup.py).
DATABASES = {
    "default": _startup.database_settings(
        # Unset: the demo's SQLite file. Set but empty refuses: an empty value in a
        # deployment's environment file must not fall back to SQLite unnoticed.
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
        # Seconds to wait for a server that does not answer: an unreachable address fails
        # with a line that says so instead of hanging for the system's TCP timeout.
        connect_timeout=int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "10")),
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
# The languages are the catalogs present (saleor_mlm/locale/<code>/LC_MESSAGES/django.mo), each
# with its own name: a translator adds a language by adding its catalog (docs/translations.md).
LANGUAGES = [
    (code, LANG_INFO.get(code, {}).get("name_local", code))
    for code in sorted(path.parent.parent.name for path in (BASE_DIR / "locale").glob("*/LC_MESSAGES/django.mo"))
]

# What the packages above the periods do at a period's steps, in the step's transaction
# (`periods.steps`): a run's minimum payout and a close run's balances (docs/periods.md,
# "Balances"), dropping them on re-open, the credit notes of every partner paid in a
# committed period (docs/credit-notes.md) and the e-mails that say so (docs/notifications.md).
PERIOD_RUN_SETTINGS = ["saleor_mlm.payouts.balances.run_settings"]
PERIOD_CLOSE_PERSIST_STEPS = ["saleor_mlm.payouts.balances.write_balances"]
PERIOD_REOPENED_STEPS = ["saleor_mlm.payouts.balances.drop_balances"]
PERIOD_COMMITTED_STEPS = ["saleor_mlm.credit_notes.issue.issue_on_commit", "saleor_mlm.notifications.triggers.period_committed"]
# What the packages above do when the network records new partners and sponsor changes, and
# when payout items are paid or come back (`core.steps`): the e-mails to partners
# (docs/notifications.md), recorded in the change's transaction and sent after it.
NETWORK_CHANGE_STEPS = ["saleor_mlm.notifications.triggers.network_changes"]
PAYOUT_ITEM_STEPS = ["saleor_mlm.notifications.triggers.payout_items"]
# Messages of the app (API errors, webhook reasons) in gettext catalogs; German, English and French
# are complete (tests/test_catalogs.py). `saleor-mlm makemessages -l de` after changing texts,
# then `compilemessages` (the .mo files are committed: no gettext tools needed to run).
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Credit note PDFs (docs/credit-notes.md, "Settings"): kept for the legal retention, so
    # a deployment points this at durable storage (any Django storage backend).
    "credit_notes": {
        "BACKEND": os.environ.get("CREDIT_NOTES_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": os.environ.get("CREDIT_NOTES_DIR", str(DATA_DIR / "credit-notes"))},
    },
}
# How long a signed download link of a credit note (or a period's ZIP) works, in seconds.
CREDIT_NOTE_LINK_SECONDS = int(os.environ.get("CREDIT_NOTE_LINK_SECONDS", "300"))
# Stripe's API (docs/payouts.md): the keys are per installation, set by the merchant; only a
# local Stripe for tests or the demo needs another base address.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com").rstrip("/")
# Transfers requested at once by a payout run (payout_runs/stripe_transfers.py); Stripe's
# rate limits leave room for more, a retried 429 keeps the item for the next execution.
STRIPE_TRANSFERS_IN_FLIGHT = int(os.environ.get("STRIPE_TRANSFERS_IN_FLIGHT", "8"))

# E-mails to partners (docs/notifications.md) go to this SMTP server. Without EMAIL_HOST they
# are written to files in DATA_DIR/mail (the demo, a development checkout; a deployment
# without it gets the warning saleor_mlm.W003). STARTTLS on port 587 unless told otherwise;
# EMAIL_USE_SSL=1 is TLS from the start (port 465), the two exclude each other.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "saleor-mlm@localhost")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = DATA_DIR / "mail"

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
# Prefix of every key the app keeps in the broker's Redis (Celery's queues, the drain flag
# of webhooks/batch.py), so that deployments, or test runs, can share one Redis database.
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "")
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": REDIS_KEY_PREFIX} if REDIS_KEY_PREFIX else {}
# Periodic work, run by `celery -A saleor_mlm beat` beside the worker (docs/installing.md).
# Each entry says what it sweeps and why its interval; intervals in seconds from the
# environment where an operator may want another. Without a broker nothing runs on a
# schedule (the demo runs its sweeps in-process, see saleor_mlm/installations/management/commands/demo.py).
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
# Webhook bodies larger than this are answered 413 before they are read. Saleor's order
# payloads take about 1 KB plus 0.5 KB per line (the captured samples in
# tests/webhooks/samples: 1.4 KB with one line), so 2 MiB holds some four thousand lines.
WEBHOOK_MAX_BODY_BYTES = int(os.environ.get("WEBHOOK_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
# A request whose signature does not verify is kept as a bounded record (headers, size,
# SHA-256, first KB) for this many days, then deleted by the purge (see the schedule below).
WEBHOOK_UNVERIFIED_RETENTION_DAYS = int(os.environ.get("WEBHOOK_UNVERIFIED_RETENTION_DAYS", "30"))
# A delivery's issuedAt must lie within this many days of when it was received, and an
# order may not be created later than that (docs/webhooks.md, "Bounds").
WEBHOOK_MAX_CLOCK_SKEW = int(os.environ.get("WEBHOOK_MAX_CLOCK_SKEW", "7"))
# The sweep (webhooks/sweep.py) runs this often, in seconds: it drains QUEUED deliveries
# older than this (a worker died mid-batch) and retries FAILED ones with a backoff.
WEBHOOK_SWEEP_INTERVAL = int(os.environ.get("WEBHOOK_SWEEP_INTERVAL", "60"))
# Attempts after which a FAILED delivery waits for a person (`reprocess-webhooks --failed`).
WEBHOOK_SWEEP_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_SWEEP_MAX_ATTEMPTS", "6"))
# A backlog (QUEUED, or FAILED still retried) older than this many seconds is logged as an
# error by the sweep and makes /healthz answer 503.
WEBHOOK_BACKLOG_ALERT_AFTER = int(os.environ.get("WEBHOOK_BACKLOG_ALERT_AFTER", "600"))
# Parked order events are retried this often, in seconds (ledger.retry_parked).
LEDGER_RETRY_PARKED_INTERVAL = int(os.environ.get("LEDGER_RETRY_PARKED_INTERVAL", "3600"))
CELERY_BEAT_SCHEDULE.update(
    {
        # Nothing stays queued: a delivery whose drain task died with its worker is drained
        # again within two intervals; FAILED ones are retried with a growing wait.
        # A sweep not run within its interval is dropped: the next one does its work, and
        # a worker that was down does not find an hour of sweeps queued.
        "webhooks-sweep": {
            "task": "saleor_mlm.webhooks.sweep",
            "schedule": float(WEBHOOK_SWEEP_INTERVAL),
            "options": {"expires": float(WEBHOOK_SWEEP_INTERVAL)},
        },
        # Records of unverified requests older than the retention period; hourly is plenty.
        "webhooks-purge-unverified": {"task": "saleor_mlm.webhooks.purge_unverified", "schedule": 3600.0},
        # Parked order events whose cause may have gone (a later delivery updated the order,
        # a rate arrived without an import): hourly by default, each event is a transaction.
        "ledger-retry-parked": {"task": "ledger.retry_parked_everywhere", "schedule": float(LEDGER_RETRY_PARKED_INTERVAL)},
        # Order events recorded but never credited (docs/ledger.md, "Safety nets").
        "ledger-credit-uncredited": {"task": "ledger.credit_uncredited_order_events", "schedule": 600.0},
        # E-mails to partners still unsent: a task lost with its broker, a mail server that
        # was down (docs/notifications.md); a partner waits at most this long after it is back.
        "notifications-send-pending": {"task": "notifications.send_pending", "schedule": 300.0, "options": {"expires": 300.0}},
    }
)
# The order sync with Saleor (reconciliation/, docs/sync.md): orders per page (Saleor gives
# at most 100), seconds between two page requests (the rate the sync asks Saleor at), the
# days the nightly sync looks back, and when it runs (hour and minute, local time).
SALEOR_SYNC_PAGE_SIZE = int(os.environ.get("SALEOR_SYNC_PAGE_SIZE", "50"))
SALEOR_SYNC_PAGE_INTERVAL = float(os.environ.get("SALEOR_SYNC_PAGE_INTERVAL", "1.0"))
SALEOR_SYNC_NIGHTLY_DAYS = int(os.environ.get("SALEOR_SYNC_NIGHTLY_DAYS", "3"))
SALEOR_SYNC_NIGHTLY_AT = os.environ.get("SALEOR_SYNC_NIGHTLY_AT", "03:15")
CELERY_BEAT_SCHEDULE["reconciliation-nightly-sync"] = {
    # Orders Saleor has and the webhooks did not deliver (a delivery Saleor gave up on, an
    # outage of the app): the last days, once a night, when shops are quiet.
    "task": "reconciliation.sync_recent_orders_everywhere",
    "schedule": _crontab_at(SALEOR_SYNC_NIGHTLY_AT),
}
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
        # The message and the fields given with `extra=` (outcome=credited order=...).
        "text": {"()": "saleor_mlm.core.logging.TextFormatter"},
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
# HSTS: see "Secret keys and production transport" above.
# Who may frame the dashboard extension (CSP `frame-ancestors`, saleor_mlm/core/csp.py):
# the app itself, the Saleor of the installation the page is opened for (the origin of its
# API URL), and these origins: Saleor Dashboards served apart from their API
# (`https://dashboard.example.com`). The demo adds the loopback addresses.
SALEOR_DASHBOARD_ORIGINS = _list("SALEOR_DASHBOARD_ORIGINS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
