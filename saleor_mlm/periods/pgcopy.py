"""Bulk reads and writes for a million rows: PostgreSQL COPY, numpy on both ends.

- `read_int_columns` reads a query of non-null `bigint` columns as one packed `bytea`:
  the whole result is one `np.frombuffer` with a structured dtype, no Python object per
  value.
- `write_rows` streams tab-separated text into `COPY table (...) FROM STDIN`.

Elsewhere (SQLite, the demo) callers use the ORM; `is_postgresql()` tells which.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection

# Rows per COPY batch of the persist step (results, balances): a batch's text (about 20 MB
# for results) is built, written and dropped before the next one, which bounds memory.
COPY_BATCH_ROWS = 100_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def read_int_columns(sql: str, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Columns of a query of non-null bigint columns as int64 arrays (rows in no order).

    The server packs every row into 8 bytes per column (`int8send`) and concatenates them
    into one `bytea` (one aggregate, so the columns of a row stay together); the client
    reads it in one binary round trip and views it as a structured array. Three million
    rows take about a second, where a row per message (COPY) or a tuple per row (fetch)
    would take ten. `sql` must be complete (values inlined by the caller).
    """
    columns = [f"c{i}" for i in range(len(names))]
    packed = " || ".join(f"int8send({column})" for column in columns)
    query = f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS rows ({', '.join(columns)})"
    import psycopg

    connection.ensure_connection()
    # A plain (server-side binding) psycopg cursor on Django's connection, inside its
    # transaction: Django's own client-side cursors cannot return binary results.
    with psycopg.Cursor(connection.connection) as raw:
        raw.execute(query, binary=True)
        data = raw.fetchone()[0] or b""
    rows = np.frombuffer(data, dtype=np.dtype([(name, ">i8") for name in names]))
    return {name: rows[name].astype(np.int64) for name in names}


def int_texts(values: np.ndarray) -> list[str]:
    return list(map(str, np.asarray(values).tolist()))


def scaled_texts(values: np.ndarray, places: int) -> list[str]:
    """Integers at scale 10^places as numeric input text (`12345e-2` is 123.45)."""
    if places == 0:
        return int_texts(values)
    suffix = f"e-{places}"
    return [f"{value}{suffix}" for value in np.asarray(values).tolist()]


def bool_texts(values: np.ndarray) -> list[str]:
    return ["t" if value else "f" for value in np.asarray(values).tolist()]


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """COPY text rows (already escaped: no tab, newline or backslash in values)."""
    raw = connection.cursor().cursor
    count = 0
    block: list[str] = []
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            block.append("\t".join(row))
            count += 1
            if len(block) >= 50_000:  # about 5 MB of text per write
                copy.write("\n".join(block) + "\n")
                block = []
        if block:
            copy.write("\n".join(block) + "\n")
    return count
