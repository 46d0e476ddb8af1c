"""The app's one CSV writer: files people open in a spreadsheet (statements, lines, exports).

Spreadsheet formulas (CSV injection, OWASP "CSV Injection"): Excel, LibreOffice and Google
Sheets take a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, and a formula can fetch a URL with the sheet's data (`=HYPERLINK(...)`,
`=IMPORTXML(...)`) or, in old Excel, start a program. A storefront customer can enroll as
`=HYPERLINK("http://evil","x")`; the merchant's CSV must show that as text. So every text
cell that starts with one of those characters is written with a single quote in front
(OWASP's rule): spreadsheets show the text, quote hidden, and evaluate nothing.

The rule applies by column, not by value: a writer names its number columns, and every
other column is text. A negative amount in a number column (`-12.50`) stays a number; a
name `-12.50` in a text column is prefixed like any other text. Deciding by value ("does it
look like a number?") would let a text that parses as a number, or a formula dressed as
one, through on the guess of a regular expression.

Why not `defusedcsv`: it decides by value, rewrites the text (a `|` becomes `\\|`, the quote
is added at both ends, so the original is not recoverable), does not cover tab and carriage
return, and the statements' summary is written by PostgreSQL's COPY on PostgreSQL, where a
Python library cannot act. The rule is a few lines; `sql_neutralized` states it in SQL from
the same characters, so both writers apply one definition.

The engine's exchange files (`partners.csv`, `volumes.csv`) are not written here: the app
only reads them (`saleor-mlm simulate`), and their ids are the app's own (`p12`, `c7`), so
the round trip of those files is untouched.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

# The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralized(value) -> str:
    """A text cell as written: None as "", a formula start behind a single quote.

    >>> neutralized('=HYPERLINK("http://evil","x")'), neutralized("Ada"), neutralized(None)
    ('\\'=HYPERLINK("http://evil","x")', 'Ada', '')
    """
    if value is None:
        return ""
    text = str(value)
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def sql_neutralized(expression: str) -> str:
    """`neutralized` in SQL (PostgreSQL), for a CSV written by COPY: a text expression with
    a formula start gets the quote in front; NULL stays NULL."""
    starts = ", ".join(_sql_text(start) for start in FORMULA_STARTS)
    return f"(CASE WHEN LEFT({expression}, 1) IN ({starts}) THEN {_sql_text(QUOTE)} || {expression} ELSE {expression} END)"


def _sql_text(text: str) -> str:
    """A SQL string constant; control characters as E'' escapes (the rule has tab and CR)."""
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return "E'" + "".join(f"\\x{ord(char):02x}" for char in text) + "'"


class CsvWriter:
    """`csv.writer` with a header and typed columns: cells of the columns named in
    `number_columns` are written as they are (numbers, empty for None); every other
    column is text and goes through `neutralized`.

    >>> import io
    >>> handle = io.StringIO()
    >>> writer = CsvWriter(handle, ["name", "amount"], number_columns={"amount"}, lineterminator="\\n")
    >>> writer.writerow(["=1+2", "-12.50"])
    >>> handle.getvalue()
    "name,amount\\n'=1+2,-12.50\\n"
    """

    def __init__(self, handle, columns: Sequence[str], *, number_columns: Iterable[str] = (), lineterminator: str = "\r\n"):
        unknown = set(number_columns) - set(columns)
        if unknown:
            raise ValueError(f"number columns not in the header: {sorted(unknown)}")
        self._writer = csv.writer(handle, lineterminator=lineterminator)
        self._text = [name not in set(number_columns) for name in columns]
        self._writer.writerow(columns)

    def writerow(self, values: Sequence) -> None:
        if len(values) != len(self._text):
            raise ValueError(f"expected {len(self._text)} cells, got {len(values)}")
        self._writer.writerow([neutralized(value) if text else ("" if value is None else value) for value, text in zip(values, self._text)])
