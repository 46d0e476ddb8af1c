"""The one way to serialize writes to an installation's network.

A cycle check reads the graph and then writes one edge. Two such writes running at once
could each pass their check and together close a cycle (A under B and B under A), so
every tree write of an installation holds one transaction-scoped PostgreSQL advisory
lock, taken before it reads anything it decides on. The lock is released at commit or
rollback. Reads (period runs, the dashboard) never take it.

On SQLite (demo) this is a no-op: SQLite lets one writer at a time commit anyway.
"""

from __future__ import annotations

import zlib

from django.db import connection

# Fixed namespaces so that our keys never meet another feature's advisory locks. The key
# is `namespace << 32 | id`, a signed bigint while ids stay below 2**32.
TREE_LOCK_NAMESPACE = 0x4D4C4D4E  # "MLMN": network tree of one installation
CUSTOMER_EMAIL_LOCK_NAMESPACE = 0x4D4C4D43  # "MLMC": guest customers of one e-mail


def _xact_lock(key: int) -> None:
    if not connection.in_atomic_block:
        # Outside a transaction the lock would be released at once: a programming error.
        raise RuntimeError("network locks must be taken inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def tree_lock_key(installation_id: int) -> int:
    return (TREE_LOCK_NAMESPACE << 32) | (int(installation_id) & 0xFFFFFFFF)


def network_tree_lock(installation_id: int) -> None:
    """Block until this transaction holds the network lock of the installation."""
    _xact_lock(tree_lock_key(installation_id))


def network_tree_lock_shared(installation_id: int) -> None:
    """The same lock in shared mode, for writes that cannot conflict with each other but
    must not interleave with a tree write: attaching brand-new customers (no edge points
    at a customer, so no cycle; no Betreuer yet to compare with the sponsor) while a
    merchant terminates or moves their sponsor. Batches of paid orders in parallel
    workers each attach new customers; with the exclusive lock they would queue on each
    other for their whole transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("network locks must be taken inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [tree_lock_key(installation_id)])


def customer_email_lock_key(installation_id: int, email: str) -> int:
    digest = zlib.crc32(f"{installation_id}:{email.strip().lower()}".encode())
    return (CUSTOMER_EMAIL_LOCK_NAMESPACE << 32) | digest


def customer_email_lock(installation_id: int, email: str) -> None:
    """Serialize get-or-create of guest customers by e-mail (no unique constraint can:
    a guest's e-mail may also belong to a registered customer)."""
    _xact_lock(customer_email_lock_key(installation_id, email))


def customer_email_locks(installation_id: int, emails: list[str]) -> None:
    """The same for many e-mails at once, in one query. Taken in ascending key order, as
    any two transactions that take several must, or they could deadlock."""
    if not connection.in_atomic_block:
        raise RuntimeError("network locks must be taken inside transaction.atomic()")
    keys = sorted({customer_email_lock_key(installation_id, email) for email in emails if email})
    if not keys or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # unnest() yields the array in order, and the locks are taken row by row as read.
        cursor.execute("SELECT count(pg_advisory_xact_lock(key)) FROM unnest(%s::bigint[]) AS key", [keys])
