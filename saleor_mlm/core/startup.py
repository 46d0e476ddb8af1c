"""Whether a process may start: its secret keys.

A process of a deployment (gunicorn, a Celery worker, any `saleor-mlm` command) refuses to
start without keys of its own, with one line that names the variable:

- `SECRET_KEY` signs what the app hands out (CSV download links among them). It must be set,
  must not be the built-in development key below (it is public: it is in this file), and must
  pass Django's own strength rule (50 characters, 5 different, no `django-insecure-`).
- `FIELD_ENCRYPTION_KEY` encrypts secrets at rest (app tokens, `core/crypto.py`). It must be
  set and differ from `SECRET_KEY`, so that rotating one never touches what the other
  protects: a new SECRET_KEY must not make the stored app tokens unreadable.

Only two kinds of process run without them, on the development key (and an encryption key
derived from it):

- the demo: `saleor-mlm demo` sets `SALEOR_MLM_DEMO=1` before the settings load (cli.py);
- a development checkout with `DEBUG=1` (`migrate`, `export-schema`, `runserver`), with the
  warning `saleor_mlm.W002` (core/checks.py).

The test suite is neither: it sets test keys of its own before the settings load
(tests/settings.py), so it runs what production runs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping

from django.core.checks.security.base import _check_secret_key
from django.core.exceptions import ImproperlyConfigured
from gunicorn.errors import AppImportError

logger = logging.getLogger(__name__)

# The tag of the app's own system checks (core/checks.py, the domains' apps.py).
APP_CHECKS = "saleor_mlm"
# Public by nature: never accepted outside the demo and DEBUG=1.
DEVELOPMENT_SECRET_KEY = "saleor-mlm-insecure-development-key-change-me"
# A Fernet key (44 characters of base64) or a passphrase at least this long.
MIN_ENCRYPTION_KEY_LENGTH = 32


class RefusedStart(ImproperlyConfigured, AppImportError):
    """The environment is not fit to run; the message is one line naming the variable.

    Also a gunicorn AppImportError: gunicorn prints such an error as its message alone and
    stops ("App failed to load"), where any other exception is logged with a traceback and
    the worker is booted again.
    """


def demo_enabled(environ: Mapping[str, str]) -> bool:
    """This process is the demo (`saleor-mlm demo` sets it) or runs on the demo's data."""
    return environ.get("SALEOR_MLM_DEMO") == "1"


def secret_key(environ: Mapping[str, str], *, development: bool) -> str:
    key = environ.get("SECRET_KEY", "")
    if development:
        return key or DEVELOPMENT_SECRET_KEY
    if not key:
        raise RefusedStart(
            "SECRET_KEY is not set: set it to a random string of at least 50 characters "
            "(only `saleor-mlm demo` and DEBUG=1 run without it, see docs/installing.md)"
        )
    if key == DEVELOPMENT_SECRET_KEY:
        raise RefusedStart("SECRET_KEY is the public development key: set a random string of at least 50 characters")
    # Django's own rule (check W009), so that a key accepted here passes `check --deploy`.
    if not _check_secret_key(key):
        raise RefusedStart(
            "SECRET_KEY is too weak: it needs at least 50 characters, 5 of them different, "
            "and no 'django-insecure-' prefix"
        )
    return key


def field_encryption_key(environ: Mapping[str, str], *, secret_key: str, development: bool) -> str:
    key = environ.get("FIELD_ENCRYPTION_KEY", "")
    if development:
        # The demo's tokens are fake and a development checkout's are disposable: derive the
        # key from SECRET_KEY (core/crypto.py stretches any string into a Fernet key).
        return key or secret_key
    if not key:
        raise RefusedStart(
            "FIELD_ENCRYPTION_KEY is not set: set a key of its own, separate from SECRET_KEY, "
            "to encrypt app tokens (see docs/installing.md)"
        )
    if key == secret_key:
        raise RefusedStart("FIELD_ENCRYPTION_KEY is the same as SECRET_KEY: give it a key of its own")
    if len(key) < MIN_ENCRYPTION_KEY_LENGTH:
        raise RefusedStart(
            f"FIELD_ENCRYPTION_KEY is too short: use a Fernet key or a random string of at least "
            f"{MIN_ENCRYPTION_KEY_LENGTH} characters"
        )
    return key


def refused_start() -> RefusedStart | None:
    """Load the settings; the refusal when this process may not start, else None."""
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 - loading the settings decides
    except RefusedStart as refusal:
        return refusal
    return None


def exit_if_refused(program: str = "saleor-mlm") -> None:
    """For entry points that own their process (Celery): the one line on stderr, exit 1."""
    refusal = refused_start()
    if refusal is not None:
        print(f"{program}: {refusal}", file=sys.stderr)
        raise SystemExit(1)


def run_app_checks() -> None:
    """The app's own system checks, for the web process (gunicorn runs none).

    An error refuses the start (a malformed SALEOR_ALLOWED_API_URLS entry); a warning is
    logged (an empty SALEOR_ALLOWED_API_URLS).
    """
    from django.core import checks

    for message in checks.run_checks(tags=[APP_CHECKS]):
        line = f"{message.id}: {message.msg}"
        if message.is_serious():
            raise RefusedStart(line)
        logger.warning(line, extra={"check": message.id, "hint": message.hint})
