"""Bulk reads and writes for a million rows: PostgreSQL COPY, numpy on both ends.

- `read_int_columns` runs `COPY (SELECT ...) TO STDOUT (FORMAT binary)` for a query whose
  columns are all non-null `bigint`: every row then has the same size, so the whole
  result is one `np.frombuffer` with a structured dtype, no Python object per value.
- `write_rows` streams tab-separated text into `COPY table (...) FROM STDIN`.

Elsewhere (SQLite, the demo) callers use the ORM; `is_postgresql()` tells which.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection

_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def read_int_columns(sql: str, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Columns of a query of non-null bigint columns as int64 arrays.

    `sql` must be complete (values inlined by the caller: COPY takes no parameters).
    """
    width = len(names)
    raw = connection.cursor().cursor  # the psycopg cursor, inside Django's transaction
    chunks = []
    with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)") as copy:
        for data in copy:
            chunks.append(bytes(data))
    data = b"".join(chunks)
    if not data.startswith(_BINARY_SIGNATURE):
        raise ValueError("unexpected COPY binary header")
    extension = int.from_bytes(data[15:19], "big")
    body = memoryview(data)[19 + extension : len(data) - 2]  # the trailer is int16 -1
    fields = [("count", ">i2")]
    for name in names:
        fields += [(f"{name}_length", ">i4"), (name, ">i8")]
    rows = np.frombuffer(body, dtype=np.dtype(fields))
    if rows.size and (rows["count"] != width).any():
        raise ValueError("unexpected field count in COPY data")
    for name in names:
        if rows.size and (rows[f"{name}_length"] != 8).any():
            raise ValueError(f"column {name} is not a non-null bigint")
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
