"""Locks that keep ledger entries out of a period that is being closed.

Every transaction that writes ledger entries into a period holds a *shared* advisory lock
on it until it commits (`open_period_for` takes it); closing a period takes the same lock
*exclusively*, so it waits for every entry already on its way and no later entry can see
the period as open. Shared holders never wait for each other: crediting orders stays
parallel. Transaction-scoped: the locks are released at commit or rollback.

PostgreSQL only; elsewhere (the SQLite demo, one process) these are no-ops.
"""

from django.db import connection

# First key of the two-key advisory lock space, so these locks never collide with
# other advisory locks of the project ("PERD").
PERIOD_LOCK_NAMESPACE = 0x50455244


def _key(period_id: int) -> int:
    return period_id % 2**31


def lock_period_for_entries(period_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [PERIOD_LOCK_NAMESPACE, _key(period_id)])


def lock_period_for_closing(period_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PERIOD_LOCK_NAMESPACE, _key(period_id)])
