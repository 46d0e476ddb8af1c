"""Transient database errors, and the one retry policy of every Celery task.

A database error is transient when the same work, tried again a moment later, may succeed:

- SQLite: "database is locked" (another connection held the write lock longer than the
  busy timeout), "database table is locked".
- PostgreSQL: a serialization failure (40001), a deadlock (40P01), a lock not available
  (55P03, `NOWAIT` or `lock_timeout`), a lost connection (class 08, or an error without
  a SQLSTATE from the driver) and a server shutting down or starting (57P01-57P03).

Everything else (a missing table, a constraint, bad SQL) is a bug or bad data and fails at
once. `is_transient_database_error` looks through the chain of causes: Django wraps the
driver's error (`django.db.OperationalError` from `psycopg.errors.DeadlockDetected`).

`TransientErrorRetryTask` is the Celery app's task class (saleor_mlm/celery.py), so every
task, present and future, retries such an error with exponential backoff and jitter, on
top of what the task declares itself (an unreachable Saleor, `autoretry_for`). Tasks are
idempotent (house rule), so a rerun after a rolled-back attempt is safe. Without a broker
(the demo, tests) Celery reruns a retried task at once, in the caller; the SQLite busy
timeout is the wait between attempts there.
"""

from __future__ import annotations

import logging
import sqlite3

from celery import Task
from celery.exceptions import Ignore, Retry
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, connection

logger = logging.getLogger(__name__)

# Backoff of a retry after a transient database error: 2, 4, 8 ... seconds up to two
# minutes (with jitter, so that colliding workers do not collide again), at most 8 times.
DATABASE_RETRY_BACKOFF = 2
DATABASE_RETRY_BACKOFF_MAX = 120
DATABASE_MAX_RETRIES = 8

TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03", "57P01", "57P02", "57P03"}
TRANSIENT_SQLSTATE_CLASSES = {"08"}  # connection exceptions
SQLITE_TRANSIENT_MESSAGES = ("database is locked", "database table is locked")


def _causes(error: BaseException | None):
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__  # `raise ... from`: Django's wrapper of the driver's error


def is_transient_database_error(error: BaseException) -> bool:
    """Whether `error` is a database error that another try may not meet (see above)."""
    for cause in _causes(error):
        if isinstance(cause, sqlite3.OperationalError):
            return any(text in str(cause).lower() for text in SQLITE_TRANSIENT_MESSAGES)
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate:
            return sqlstate in TRANSIENT_SQLSTATES or sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES
        module = type(cause).__module__
        if module.startswith("psycopg") and type(cause).__name__ in ("OperationalError", "InterfaceError"):
            return True  # no SQLSTATE from the driver: the connection failed or was lost
        if isinstance(cause, InterfaceError):
            return True  # Django's "connection already closed"
    return False


class TransientErrorRetryTask(Task):
    """Celery task class: a transient database error schedules a retry of the task."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except (Retry, Ignore):
            raise
        except Exception as error:
            if not is_transient_database_error(error):
                raise
            if not connection.in_atomic_block:
                # A lost connection must not be reused by the next try in this thread.
                connection.close_if_unusable_or_obsolete()
            countdown = get_exponential_backoff_interval(
                factor=DATABASE_RETRY_BACKOFF, retries=self.request.retries, maximum=DATABASE_RETRY_BACKOFF_MAX, full_jitter=True
            )
            logger.warning(
                "transient database error, task retried",
                extra={"task": self.name, "retries": self.request.retries, "error": f"{type(error).__name__}: {error}"},
            )
            raise self.retry(exc=error, countdown=countdown, max_retries=DATABASE_MAX_RETRIES) from error
