"""Whether a process may start: its secret keys, its database URL, its database.

Every check here answers with one line that says what to do, never a traceback.

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

The database, in three steps, each with its own line:

- `DATABASE_URL` must name PostgreSQL (or SQLite, the demo's): any other scheme refuses the
  start while the settings load (`database_settings`), like a missing key.
- The database must answer: `database_problem()` tells an unreachable server, a database
  that does not exist and a refused user apart (the password never appears).
- It must be migrated: `pending_migrations()`, with the command that fixes it.

The `saleor-mlm` commands that work on the data refuse to run on such a database
(cli.py); the web process starts anyway and logs the line (wsgi.py), and `/healthz`
answers 503 until the database is fit (core/views.py), so that a load balancer keeps the
process out of rotation while `saleor-mlm migrate` runs.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from pathlib import Path

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


# --------------------------------------------------------------------------- the database

# The schemes of the databases the app runs on: PostgreSQL, and SQLite for the demo.
DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql", "sqlite")
MIGRATE_COMMAND = "saleor-mlm migrate"


def database_settings(url: str, *, conn_max_age: int) -> dict:
    """`DATABASES["default"]` from `DATABASE_URL`; another scheme refuses the start."""
    import dj_database_url

    scheme, separator, _ = url.partition("://")
    if not url:
        raise RefusedStart(
            "DATABASE_URL is empty: set it to postgres://USER:PASSWORD@HOST:5432/NAME "
            "(unset, the demo runs on a SQLite file)"
        )
    if not separator:
        raise RefusedStart(
            "DATABASE_URL is not a database URL: use postgres://USER:PASSWORD@HOST:5432/NAME "
            "(or sqlite:///PATH for the demo)"
        )
    if scheme.lower() not in DATABASE_SCHEMES:
        raise RefusedStart(
            f"DATABASE_URL has the scheme '{scheme}', which saleor-mlm does not run on: use "
            "postgres://USER:PASSWORD@HOST:5432/NAME (or sqlite:///PATH for the demo)"
        )
    return dj_database_url.parse(url, conn_max_age=conn_max_age)


def database_problem(*, migrated: bool = True, alias: str = "default") -> str | None:
    """Why the database cannot serve this process, in one line; None when it can.

    With `migrated`, a database that lacks migrations is a problem too.
    """
    from django.db import DatabaseError, connections

    connection = connections[alias]
    if connection.vendor == "sqlite":
        # The embedded default lives in ./var, which the first command creates.
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        return _connection_problem(connection.settings_dict, error)
    if migrated:
        return migrations_problem(pending_migrations(alias))
    return None


def pending_migrations(alias: str = "default") -> list[str]:
    """The migrations the database lacks, `app.name`, in the order `migrate` applies them."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


def migrations_problem(pending: list[str]) -> str | None:
    from django.utils.translation import ngettext

    if not pending:
        return None
    return ngettext(
        "the database lacks %(count)d migration (%(first)s): run `%(command)s`",
        "the database lacks %(count)d migrations (the first is %(first)s): run `%(command)s`",
        len(pending),
    ) % {"count": len(pending), "first": pending[0], "command": MIGRATE_COMMAND}


_MISSING_DATABASE = re.compile(r'database "(?P<name>[^"]+)" does not exist')
_REFUSED_USER = re.compile(r'(password authentication failed for user|role) "(?P<user>[^"]+)"')


def _connection_problem(database: dict, error: Exception) -> str:
    """What the driver's message means, with where (never the password) and what to do."""
    from django.utils.translation import gettext as _

    text = str(error)
    if database["ENGINE"].endswith("sqlite3"):
        return _("the SQLite database %(path)s cannot be opened (%(reason)s): check DATABASE_URL") % {
            "path": database["NAME"],
            "reason": text.splitlines()[0] if text else error.__class__.__name__,
        }
    where = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    if missing := _MISSING_DATABASE.search(text):
        return _(
            "the database '%(name)s' does not exist on %(where)s: create it (createdb %(name)s), "
            "then run `%(command)s`"
        ) % {"name": missing["name"], "where": where, "command": MIGRATE_COMMAND}
    if refused := _REFUSED_USER.search(text):
        return _("the database at %(where)s refused the user '%(user)s': check the user and password in DATABASE_URL") % {
            "where": where,
            "user": refused["user"],
        }
    # "connection to server at ..., port ... failed: Connection refused", a name that does
    # not resolve, a timeout: the reason is what follows the last "failed:" of the first line.
    first_line = text.splitlines()[0] if text else error.__class__.__name__
    reason = first_line.rsplit("failed: ", 1)[-1].strip()
    return _(
        "cannot connect to the database at %(where)s (%(reason)s): start PostgreSQL, or correct "
        "the host and port in DATABASE_URL"
    ) % {"where": where, "reason": reason}


def report_database_problem() -> None:
    """For the web process: log the database's problem as one error line, and start anyway
    (`/healthz` answers 503 until it is solved)."""
    from django.db import connections

    problem = database_problem()
    # Not kept open: with `gunicorn --preload` the workers forked after this would share it.
    connections.close_all()
    if problem is not None:
        logger.error(problem, extra={"check": "database"})
