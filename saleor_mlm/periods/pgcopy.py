"""Bulk reads and writes for a million rows: PostgreSQL COPY, numpy on both ends.

- `read_int_columns` reads a query of non-null `bigint` columns as one packed `bytea`:
  the whole result is one `np.frombuffer` with a structured dtype, no Python object per
  value.
- `copy_binary` writes columns of numpy arrays with `COPY table (...) FROM STDIN (FORMAT
  BINARY)`: each batch of rows is one structured numpy array in PostgreSQL's binary
  tuple format (`Int8`, `Bool`, `Numeric`, `Text` describe the columns), so no Python
  object is made per value and the server parses no text.

Elsewhere (SQLite, the demo) callers use the ORM; `is_postgresql()` tells which.

The binary format (PostgreSQL's "COPY", "Binary Format"): a signature, then per row an
`int16` field count and per field an `int32` length and the type's `*send` bytes, then an
`int16` -1. A `numeric` is `int16` ndigits, `int16` weight, `uint16` sign, `int16` dscale
and ndigits base-10,000 digits, most significant first (leading and trailing zero digits
are allowed: the server strips them, and rounds to the column's scale as for text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection

# Rows per COPY batch of the persist step (results, balances): a batch (about 30 MB for
# results) is built, written and dropped before the next one, which bounds memory.
COPY_BATCH_ROWS = 100_000

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
_TRAILER = b"\xff\xff"
_NBASE_DIGITS = 4  # a numeric digit is base 10,000: four decimal digits
_NUMERIC_NEG = 0x4000


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


# ------------------------------------------------------------------ binary COPY FROM


@dataclass(frozen=True)
class Int8:
    """A `bigint` column; a scalar is the same value in every row."""

    values: np.ndarray | int

    def fields(self, rows: slice, count: int) -> list[tuple[str, np.ndarray | int]]:
        values = self.values if np.isscalar(self.values) else np.asarray(self.values)[rows]
        return [(">i4", 8), (">i8", values)]


@dataclass(frozen=True)
class Bool:
    """A `boolean` column."""

    values: np.ndarray

    def fields(self, rows: slice, count: int) -> list[tuple[str, np.ndarray | int]]:
        return [(">i4", 1), ("u1", np.asarray(self.values)[rows].astype(bool))]


@dataclass(frozen=True)
class Numeric:
    """A `numeric` column of integers at scale 10^places (`12345` at 2 places is 123.45).

    Every row of a batch gets as many digits as its largest value needs, so the batch is
    one fixed-width array."""

    units: np.ndarray
    places: int

    def fields(self, rows: slice, count: int) -> list[tuple[str, np.ndarray | int]]:
        units = np.asarray(self.units, np.int64)[rows]
        magnitude = np.abs(units)
        scale = 10**self.places
        whole, fraction = magnitude // scale, magnitude % scale
        fraction_digits = -(-self.places // _NBASE_DIGITS)  # base-10,000 digits after the point
        fraction = fraction * 10 ** (fraction_digits * _NBASE_DIGITS - self.places)
        largest = int(whole.max()) if whole.size else 0
        whole_digits = 1
        while largest >= 10_000**whole_digits:
            whole_digits += 1
        digits = np.empty((units.size, whole_digits + fraction_digits), np.int64)
        for column in range(whole_digits - 1, -1, -1):
            whole, digits[:, column] = np.divmod(whole, 10_000)
        for column in range(whole_digits + fraction_digits - 1, whole_digits - 1, -1):
            fraction, digits[:, column] = np.divmod(fraction, 10_000)
        size = whole_digits + fraction_digits
        return [
            (">i4", 8 + 2 * size),
            (">i2", size),  # ndigits
            (">i2", whole_digits - 1),  # weight of the first digit
            (">u2", np.where(units < 0, _NUMERIC_NEG, 0)),
            (">i2", self.places),  # display scale
            ((">i2", (size,)), digits),
        ]


@dataclass(frozen=True)
class Text:
    """A text (`varchar`) column with few distinct values: `codes` index into `texts`."""

    codes: np.ndarray
    texts: Sequence[str]

    def encoded(self) -> list[bytes]:
        return [len(data).to_bytes(4, "big") + data for data in (text.encode() for text in self.texts)]


Column = Int8 | Bool | Numeric | Text


def binary_rows(columns: Sequence[Column], rows: slice) -> bytes:
    """Rows `rows` of `columns` as binary COPY tuples (no signature, no trailer). The
    `Text` columns must come last: their length varies, the others' do not."""
    count = rows.stop - rows.start
    fixed = [column for column in columns if not isinstance(column, Text)]
    texts = [column for column in columns if isinstance(column, Text)]
    if columns[: len(fixed)] != fixed:
        raise ValueError("Text columns go last")
    parts: list[tuple[str, np.ndarray | int]] = [(">i2", len(columns))]
    for column in fixed:
        parts += column.fields(rows, count)
    dtype = np.dtype([(f"f{index}", kind) for index, (kind, _value) in enumerate(parts)])
    head = np.empty(count, dtype)
    for index, (_kind, value) in enumerate(parts):
        head[f"f{index}"] = value
    if not texts:
        return head.tobytes()
    # Each text field padded to its column's longest value, then every row's bytes kept up
    # to each field's own length: one boolean mask over the padded rows keeps row order.
    encoded = [column.encoded() for column in texts]
    widths = [max(len(value) for value in values) for values in encoded]
    padded = np.zeros((count, dtype.itemsize + sum(widths)), np.uint8)
    keep = np.ones(padded.shape, bool)
    padded[:, : dtype.itemsize] = head.view(np.uint8).reshape(count, dtype.itemsize)
    at = dtype.itemsize
    for column, values, width in zip(texts, encoded, widths):
        table = np.zeros((len(values), width), np.uint8)
        for index, value in enumerate(values):
            table[index, : len(value)] = np.frombuffer(value, np.uint8)
        codes = np.asarray(column.codes, np.int64)[rows]
        lengths = np.array([len(value) for value in values], np.int64)
        padded[:, at : at + width] = table[codes]
        keep[:, at : at + width] = np.arange(width) < lengths[codes][:, None]
        at += width
    return padded[keep].tobytes()


def copy_binary(table: str, columns: dict[str, Column], count: int, report: Callable[[float], None] | None = None) -> int:
    """COPY `count` rows of `columns` (name -> column; `Text` columns last) into `table`
    in binary format, `COPY_BATCH_ROWS` at a time; `report(fraction)` after each batch."""
    raw = connection.cursor().cursor
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(_SIGNATURE)
        for start in range(0, count, COPY_BATCH_ROWS):
            rows = slice(start, min(start + COPY_BATCH_ROWS, count))
            copy.write(binary_rows(list(columns.values()), rows))
            if report:
                report(rows.stop / max(count, 1))
        copy.write(_TRAILER)
    return count
