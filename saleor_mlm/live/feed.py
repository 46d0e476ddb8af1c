"""The live volumes' feeds: rows of append-only tables read once each, although
transactions commit out of id order. Used by the live state (`live_state`); `live` has
the overview.

Terms
-----
feed
    The rows of an append-only table (ledger entries, network changes) with an id above
    `floor`, read once each (`Feed`). Ids are taken from a sequence when a row is
    inserted, but transactions commit in any order: a row with a lower id can become
    visible after one with a higher id was read. So a read returns every row above the
    floor, rows already seen are skipped, and the floor only moves past an id once no
    transaction that could still commit below it is running (PostgreSQL transaction
    ids, see `Feed`), or at the latest `SETTLE_SECONDS` later. On SQLite (the demo)
    one writer commits at a time, in id order, and the floor follows the last id at once.
snapshot
    What a feed's floor is moved with (`Snapshot`, taken by `snapshot()` right after a
    read): a transaction id assigned then, and the oldest transaction still running.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from django.db import connection

# A transaction that inserted a row and has not committed this long after is assumed
# gone: the feed's floor moves past it even if PostgreSQL still lists it as running
# (for instance a long transaction in another database of the same cluster). Writers of
# ledger entries and network changes commit within milliseconds.
SETTLE_SECONDS = 60


@dataclass(frozen=True)
class Snapshot:
    """Read right after a read of the feeds, in two statements: `bound`, a transaction
    id assigned then (every transaction that started before has a lower id), and then
    `oldest`, the oldest transaction id still running in this database (None: none)."""

    bound: int
    oldest: int | None


@dataclass
class _Window:
    top: int  # the highest id seen after a read
    bound: int  # a transaction id assigned right after that read
    at: float  # time.monotonic() of the read


@dataclass
class Feed:
    """Rows of one append-only table above `floor`, each returned once.

    A row that becomes visible late, below ids already read, belongs to a transaction
    that had its transaction id before the row got its id (every writer of ledger
    entries and network changes writes or locks a row first), so before the read that
    saw the higher id. After each read a transaction id is assigned (`bound`); when a
    later look at the running transactions, taken before a later read, finds none older
    than the bound, every transaction that could commit below the earlier read's top has
    ended, the later read saw its rows, and the floor moves up to that top.

    (Two things that look simpler do not hold: a snapshot's `xmax` is the last
    *completed* transaction id plus one, so a running transaction above it is in no list;
    and `pg_current_snapshot()` read in the same statement as the rows is not always the
    snapshot the rows were read with.)
    """

    floor: int = 0
    seen: set[int] = field(default_factory=set)
    windows: deque = field(default_factory=deque)

    def top(self) -> int:
        return max(self.seen, default=self.floor)

    def accept(self, rows: list[tuple]) -> list[tuple]:
        """The rows (id first) not seen before."""
        fresh = [row for row in rows if row[0] > self.floor and row[0] not in self.seen]
        self.seen.update(row[0] for row in fresh)
        return fresh

    def settle(self, before: Snapshot | None, after: Snapshot | None) -> None:
        """Move the floor after a read. `before`: the snapshot taken after the previous
        read (so before this one), `after`: the one taken after this read; both None
        where commits come in id order (SQLite, or a private state read once)."""
        if after is None:
            self._advance(self.top())
            return
        now = time.monotonic()
        while self.windows:
            window = self.windows[0]
            ended = before is not None and (before.oldest is None or before.oldest >= window.bound)
            if not ended and now - window.at < SETTLE_SECONDS:
                break
            self.windows.popleft()
            self._advance(window.top)
        top = self.top()
        if top > self.floor:
            self.windows.append(_Window(top, after.bound, now))

    def _advance(self, floor: int) -> None:
        if floor > self.floor:
            self.floor = floor
            self.seen = {pk for pk in self.seen if pk > floor}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


RUNNING_SQL = """
SELECT backend_xid::text FROM pg_stat_activity
 WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
UNION ALL
SELECT transaction::text FROM pg_prepared_xacts WHERE database = current_database()
"""


def snapshot() -> Snapshot:
    """The bound and the oldest running transaction of this database (see `Feed`)."""
    with connection.cursor() as cursor:
        # One transaction id per call (autocommit: it ends at once).
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        bound = cursor.fetchone()[0]
        if connection.in_atomic_block:
            # pg_stat_activity is read once per transaction unless told to look again.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(RUNNING_SQL)  # a statement of its own: after the bound
        running = [_widen(int(row[0]), bound) for row in cursor.fetchall()]
    return Snapshot(bound, min(running, default=None))


def _widen(xid: int, near: int) -> int:
    """A 32-bit transaction id as the 64-bit one closest to `near`."""
    delta = (xid - near) % (1 << 32)
    return near + delta if delta < (1 << 31) else near + delta - (1 << 32)
