"""Case-insensitive matching of many values at once, as the database matches one.

`email__iexact=value` compares `UPPER(email)` with `UPPER(value)`, both computed by the
database. Code that looks up many values in one query reads `UPPER(column)` for the rows and
has to upper-case its values the way the database does. Python's `str.upper` agrees on ASCII
but not beyond it: PostgreSQL keeps `ß` where Python writes `SS`, and SQLite upper-cases
ASCII letters only. `database_upper` upper-cases ASCII in Python and asks the database for
the rest, in one query (none when every value is ASCII, as nearly all e-mails and codes are).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

# Values per query: far below PostgreSQL's 1,664 columns of a select list.
CHUNK = 500


def database_upper(values: Iterable[str]) -> dict[str, str]:
    """{value: UPPER(value) as the database computes it} for every value."""
    upper: dict[str, str] = {}
    others = []
    for value in set(values):
        if value.isascii():
            upper[value] = value.upper()
        else:
            others.append(value)
    for start in range(0, len(others), CHUNK):
        chunk = others[start : start + CHUNK]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["UPPER(CAST(%s AS TEXT))"] * len(chunk)), chunk)
            upper.update(zip(chunk, cursor.fetchone(), strict=True))
    return upper
