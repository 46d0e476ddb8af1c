"""Exchange files of spec section 6: ``partners.csv``, ``volumes.csv``, the result JSON.

Terms
-----
chunk
    A block of rows of one file as columns of strings, with the physical line number of
    every row (the header is line 1). Files are read in chunks so that a large file is
    never held as Python strings all at once.
position of an error
    ``file:line:column``: the physical line, and the column as the 1-based number of the
    field in that line (``id`` is 1, ``kind`` 2, ... in the order of the file's header).
errors
    Checks report to an ``ExchangeErrors``: by default it raises the first error (the
    engine stops there); ``ExchangeErrors(collect=True)`` keeps every one, at most one per
    field, so that an import can list them all at once.

Files are UTF-8 (a byte order mark is ignored), comma-separated, with a header naming
the columns in any order; other columns are ignored. A file without double quotes is
split directly (fast); one with quotes goes through the ``csv`` module. Volumes have at
most 4 decimal places and at most 11 digits before the point; care shares at most 6
decimal places.

A file whose header is separated by semicolons is read as German Excel writes CSV: fields
separated by ``;`` and decimals with a comma (``0,5``), through the ``csv`` module. A file
that is not UTF-8 (Excel's "CSV" in Windows-1252) is refused at the first line that is
not, with the byte: saved as "CSV UTF-8" it reads.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .money import DECIMAL_TEXT, bounded_decimal_text
from .network import SHARE_SCALE, CycleError, Network, NetworkError, Status
from .period import PeriodResult
from .plan import Plan
from .volumes import VOLUME_PLACES, Volumes

__all__ = [
    "ExchangeErrors",
    "ExchangeFileError",
    "ExchangeFileErrors",
    "PARTNER_COLUMNS",
    "PartnerRows",
    "VOLUME_COLUMNS",
    "read_chunks",
    "row_chunks",
    "parse_partner_rows",
    "read_partners",
    "read_volumes",
    "network_of_rows",
    "plan_careers",
    "write_result",
]

PARTNER_COLUMNS = ("id", "kind", "sponsor_id", "care_id", "care_share", "status", "career_rank")
VOLUME_COLUMNS = ("node_id", "pv", "bv")
# Columns of decimals: a file separated by ";" writes them with a decimal comma.
DECIMAL_COLUMNS = ("care_share", "pv", "bv", "balance")
# The limits of the decimal columns: digits before the point and places after it.
VOLUME_DIGITS = 11  # pv and bv, with VOLUME_PLACES (4) places
SHARE_DIGITS, SHARE_PLACES = 1, 6  # care_share: millionths (SHARE_SCALE)
_CHUNK_BYTES = 1 << 25  # 32 MB of text per chunk: about a million rows


class ExchangeFileError(ValueError):
    """A problem in an exchange file, at ``file:line:column``."""

    def __init__(self, file: str, line: int, column: int, message: str):
        self.file, self.line, self.column, self.message = file, line, column, message
        super().__init__(f"{file}:{line}:{column}: {message}")


class ExchangeFileErrors(ExchangeFileError):
    """Every error collected in a file (``ExchangeErrors(collect=True)``), by position:
    one per line when printed; ``file``, ``line``, ... are those of the first."""

    def __init__(self, errors: list[ExchangeFileError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.file, first.line, first.column, first.message)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class ExchangeErrors:
    """Where the checks of a file report: raise the first error, or collect them all.

    Collected, a field gets at most its first error (a value that fails two checks is
    reported once); ``errors`` keeps them in the order found, ``sorted()`` by position.
    """

    def __init__(self, collect: bool = False):
        self.collect = collect
        self.errors: list[ExchangeFileError] = []
        self._fields: set[tuple[str, int, int]] = set()

    def add(self, error: ExchangeFileError) -> None:
        if not self.collect:
            raise error
        key = (error.file, error.line, error.column)
        if key not in self._fields:
            self._fields.add(key)
            self.errors.append(error)

    def __len__(self) -> int:
        return len(self.errors)

    def sorted(self) -> list[ExchangeFileError]:
        return sorted(self.errors, key=lambda error: (error.file, error.line, error.column))

    def raise_collected(self) -> None:
        """Raise ``ExchangeFileErrors`` with the errors collected so far, if any."""
        if self.errors:
            raise ExchangeFileErrors(self.sorted())


@dataclass
class Chunk:
    file: str
    columns: dict[str, list[str]]  # the required columns and the optional ones present
    lines: np.ndarray  # physical line of each row
    column_numbers: dict[str, int]  # 1-based field number of each column

    def error(self, row: int, column: str, message: str) -> ExchangeFileError:
        return ExchangeFileError(self.file, int(self.lines[row]), self.column_numbers[column], message)


def _header(file: str, names: list[str], required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, int]:
    names = [name.strip() for name in names]
    for name in required:
        if name not in names:
            raise ExchangeFileError(file, 1, 1, f"missing column '{name}' in the header")
    wanted = [*required, *(name for name in optional if name in names and name not in required)]
    return {name: names.index(name) for name in wanted}


def row_chunks(rows: list[dict[str, str]], file: str, required: Iterable[str]) -> Iterator[Chunk]:
    """Rows given as dicts (``simulate``): one chunk, row ``i`` on line ``i + 2``."""
    required = tuple(required)
    numbers = {name: index + 1 for index, name in enumerate(required)}
    columns = {}
    for name in required:
        try:
            columns[name] = ["" if row[name] is None else str(row[name]) for row in rows]
        except KeyError:
            missing = next(i for i, row in enumerate(rows) if name not in row)
            raise ExchangeFileError(file, missing + 2, 1, f"missing column '{name}'") from None
    yield Chunk(file, columns, np.arange(2, len(rows) + 2), numbers)


def read_chunks(
    path: str,
    required: Iterable[str],
    file: str | None = None,
    progress: Callable[[float], None] | None = None,
    optional: Iterable[str] = (),
    errors: ExchangeErrors | None = None,
) -> Iterator[Chunk]:
    """Read a CSV file in chunks of about a million rows: the ``required`` columns, and
    those of the ``optional`` ones that the header names. A line with another number of
    fields than the header is reported to ``errors`` and left out."""
    errors = ExchangeErrors() if errors is None else errors
    file = file or os.path.basename(path)
    required = tuple(required)
    size = max(os.path.getsize(path), 1)
    with open(path, "rb") as raw:
        delimiter = _delimiter(raw.readline())
        raw.seek(0)
        quoted = delimiter != "," or _contains(raw, b'"')
    try:
        with open(path, encoding="utf-8-sig", newline=None if not quoted else "") as handle:
            first = handle.readline()
            if not first:
                raise ExchangeFileError(file, 1, 1, "empty file: a header is needed")
            header = next(csv.reader([first], delimiter=delimiter))
            where = _header(file, header, required, optional)
            numbers = {name: index + 1 for name, index in where.items()}
            width = len(header)
            if quoted:
                rows = _quoted_rows(handle, file, where, width, errors, delimiter)
            else:
                rows = _plain_rows(handle, file, where, width, errors)
            for columns, lines in rows:
                if delimiter == ";":
                    _decimal_commas(columns)
                yield Chunk(file, columns, lines, numbers)
                if progress is not None:
                    progress(min(handle.buffer.tell() / size, 1.0))
    except UnicodeDecodeError:
        raise _not_utf8(path, file, delimiter) from None


def _delimiter(header: bytes) -> str:
    """``;`` for a header separated by semicolons (German Excel), else ``,``."""
    return ";" if b";" in header and b"," not in header else ","


def _decimal_commas(columns: dict[str, list[str]]) -> None:
    for name in DECIMAL_COLUMNS:
        if name in columns:
            columns[name] = [value.replace(",", ".") for value in columns[name]]


def _not_utf8(path: str, file: str, delimiter: str) -> ExchangeFileError:
    """The first line that is not UTF-8, at the field and with the byte that is not."""
    with open(path, "rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                column = line[: error.start].count(delimiter.encode()) + 1
                byte = line[error.start]
                return ExchangeFileError(
                    file, number, column,
                    f"not UTF-8 (byte 0x{byte:02X}; Excel's CSV is Windows-1252): save the file as CSV UTF-8",
                )  # fmt: skip
    return ExchangeFileError(file, 1, 1, "not UTF-8: save the file as CSV UTF-8")  # pragma: no cover


def _contains(raw, needle: bytes) -> bool:
    while block := raw.read(_CHUNK_BYTES):
        if needle in block:
            return True
    return False


def _plain_rows(handle, file, where, width, errors):
    """Split lines without quotes directly: one ``str.split`` per chunk."""
    line = 2
    while True:
        block = handle.readlines(_CHUNK_BYTES)
        if not block:
            return
        numbers = np.arange(line, line + len(block))
        line += len(block)
        if not block[-1].endswith("\n"):
            block[-1] += "\n"
        text = "".join(block)
        if "\n\n" in text or text.startswith("\n"):  # blank lines are skipped
            keep = np.array([line != "\n" for line in block], bool)
            block = [line for line, ok in zip(block, keep) if ok]
            numbers = numbers[keep]
            if not block:
                continue
            text = "".join(block)
        fields = text.replace("\n", ",").split(",")
        fields.pop()  # after the last line's comma
        if len(fields) != len(block) * width:
            keep = np.array([line.count(",") + 1 == width for line in block], bool)
            for index in np.flatnonzero(~keep).tolist():
                found = block[index].count(",") + 1
                errors.add(ExchangeFileError(file, int(numbers[index]), 1, f"expected {width} fields, found {found}"))
            block = [line for line, ok in zip(block, keep) if ok]
            numbers = numbers[keep]
            if not block:
                continue
            fields = "".join(block).replace("\n", ",").split(",")
            fields.pop()
        yield {name: fields[index::width] for name, index in where.items()}, numbers


def _quoted_rows(handle, file, where, width, errors, delimiter=","):
    """Rows through the ``csv`` module (quoted fields, commas or newlines in them)."""
    reader = csv.reader(handle, delimiter=delimiter)
    columns = {name: [] for name in where}
    lines: list[int] = []
    read = 1  # physical lines read so far: the header
    for row in reader:
        first, read = read + 1, reader.line_num + 1  # a quoted field may span lines
        if not row:
            continue
        if len(row) != width:
            errors.add(ExchangeFileError(file, first, 1, f"expected {width} fields, found {len(row)}"))
            continue
        for name, index in where.items():
            columns[name].append(row[index])
        lines.append(first)
        if len(lines) >= 1 << 20:
            yield columns, np.array(lines)
            columns = {name: [] for name in where}
            lines = []
    if lines:
        yield columns, np.array(lines)


# ------------------------------------------------------------------------- decimals


def _bad_decimal_pattern(int_digits: int, places: int) -> re.Pattern:
    """The lines of a text that are no decimal within the limits."""
    return re.compile(rf"^(?!{bounded_decimal_text(int_digits, places)}$).*$", re.M)


_BAD_VOLUME = _bad_decimal_pattern(VOLUME_DIGITS, VOLUME_PLACES)
_BAD_SHARE = _bad_decimal_pattern(SHARE_DIGITS, SHARE_PLACES)


def _decimal_column(
    chunk: Chunk, name: str, rows: np.ndarray | None, places: int, errors: ExchangeErrors | None = None
) -> np.ndarray:
    """Units at scale ``10^places`` of a column (or of the given rows of it), exactly.

    Every value is checked with one regular-expression scan; then it is at most
    ``10^11`` in absolute value with at most ``places`` decimals, so the float parse
    times ``10^places`` is within 0.25 of the integer and ``rint`` recovers it. A bad
    value is reported and counts as 0.
    """
    errors = ExchangeErrors() if errors is None else errors
    values = chunk.columns[name]
    if rows is not None:
        values = [values[i] for i in rows.tolist()]
    if not values:
        return np.zeros(0, np.int64)
    joined = "\n".join(values)
    bad_indexes = []
    index, counted_to = 0, 0
    for bad in (_BAD_SHARE if places == SHARE_PLACES else _BAD_VOLUME).finditer(joined):
        index += joined.count("\n", counted_to, bad.start())
        counted_to = bad.start()
        text = values[index]
        row = index if rows is None else int(rows[index])
        if not DECIMAL_TEXT.fullmatch(text):
            message = f"{name} {text!r} is not a decimal number"
        elif "." in text and len(text.split(".")[1]) > places:
            message = f"{name} {text!r} has more than {places} decimal places"
        else:
            message = f"{name} {text!r} is out of range"
        errors.add(chunk.error(row, name, message))
        bad_indexes.append(index)
    if bad_indexes:
        values = list(values)
        for index in bad_indexes:
            values[index] = "0"
    return np.rint(np.array(values, dtype=np.float64) * 10**places).astype(np.int64)


# ------------------------------------------------------------------------- partners


def _lookup(mapping: dict, texts: list[str], missing: int) -> np.ndarray:
    """``mapping[text]`` for every text, ``missing`` where there is none (C-level loop)."""
    return np.fromiter(map(mapping.get, texts, repeat(missing)), np.int64, count=len(texts))


def _lengths(texts: list[str]) -> np.ndarray:
    return np.fromiter(map(len, texts), np.int64, count=len(texts))


UNRESOLVED = -2  # a sponsor_id or care_id that is no id of the file


@dataclass
class PartnerRows:
    """The rows of ``partners.csv`` as arrays, one entry per node in file order.

    ``sponsor`` and ``care`` are node indexes, -1 for none and ``UNRESOLVED`` for a
    reference to no id of the file (listed in ``unresolved`` as (column, node, text): the
    engine refuses them, an import may find them elsewhere). ``share`` is in millionths,
    -1 where the row gives none; ``status`` a ``Status`` code (-1 for customers),
    ``career`` a rank index (-1 for none). ``extra`` holds the other columns read (the
    optional ones present), one text per node.
    """

    file: str
    ids: Sequence[str]  # a list, or result_json.ArrowIds (columnar reading)
    index: dict[str, int] | None  # id -> node (its first row); None: not built (columnar reading)
    is_partner: np.ndarray
    sponsor: np.ndarray
    care: np.ndarray
    share: np.ndarray
    status: np.ndarray
    career: np.ndarray
    lines: np.ndarray
    column_numbers: dict[str, int]
    extra: dict[str, list[str]]
    unresolved: list[tuple[str, int, str]]

    def __len__(self) -> int:
        return len(self.ids)

    def error(self, node: int, column: str, message: str) -> ExchangeFileError:
        return ExchangeFileError(self.file, int(self.lines[node]), self.column_numbers.get(column, 1), message)

    def check_targets_are_partners(self, errors: ExchangeErrors) -> None:
        """A sponsor or Betreuer must be a partner, not a customer of the file."""
        for column, target in (("sponsor_id", self.sponsor), ("care_id", self.care)):
            for node in np.flatnonzero((target >= 0) & ~self.is_partner[np.maximum(target, 0)]).tolist():
                errors.add(self.error(node, column, f"{column} {self.ids[target[node]]!r} is not a partner (it is a customer)"))

    def cycle_error(self, error: CycleError, node: int, target_id: str) -> ExchangeFileError:
        """The engine's cycle as an error at the field of the row ``node`` that closes it."""
        column = "sponsor_id" if error.field == "sponsor" else "care_id"
        return self.error(node, column, f"{column} {target_id!r} {error.message}")


def parse_partner_rows(
    chunks: Iterable[Chunk], careers: dict[str, int], errors: ExchangeErrors | None = None
) -> PartnerRows | None:
    """Check and convert the rows of ``partners.csv`` chunk by chunk (None: no rows).

    Reports empty and duplicate ids, kinds, statuses, career ranks (``careers``: rank
    code -> index, ``""`` -> -1) and care shares (at most 6 decimals, in ``[0, 1]``, not
    without a Betreuer). References are resolved to the rows of the file; those to no
    row are left to the caller (``unresolved``).
    """
    errors = ExchangeErrors() if errors is None else errors
    ids: list[str] = []
    index: dict[str, int] = {"": -1}  # "" is no id: it stands for "none" in references
    parts: dict[str, list[np.ndarray]] = {
        key: [] for key in ("partner", "sponsor", "care", "share", "status", "career", "lines")
    }
    extra: dict[str, list[str]] = {}
    unresolved: list[tuple[str, int, str]] = []
    first_chunk = None
    for chunk in chunks:
        if first_chunk is None:
            first_chunk = chunk
            extra = {name: [] for name in chunk.columns if name not in PARTNER_COLUMNS}
        base = len(ids)
        chunk_ids = chunk.columns["id"]
        if "" in chunk_ids:
            for row in [i for i, node_id in enumerate(chunk_ids) if not node_id]:
                errors.add(chunk.error(row, "id", "empty id"))
        ids.extend(chunk_ids)
        fresh = dict(zip(chunk_ids, range(base, base + len(chunk_ids))))
        if len(fresh) == len(chunk_ids) and index.keys().isdisjoint(fresh):
            index.update(fresh)
        else:
            _duplicates(chunk, base, index, errors)

        kinds = chunk.columns["kind"]
        if not set(kinds) <= {"partner", "customer"}:
            for row in [i for i, kind in enumerate(kinds) if kind not in ("partner", "customer")]:
                errors.add(chunk.error(row, "kind", f"kind {kinds[row]!r} is neither partner nor customer"))
        is_partner = _lengths(kinds) != len("customer")  # a misspelt kind counts as a partner
        parts["partner"].append(is_partner)
        parts["status"].append(_codes(chunk, "status", Status.CHOICES, is_partner, errors))
        parts["career"].append(_codes(chunk, "career_rank", careers, is_partner, errors))
        parts["share"].append(_shares(chunk, errors))
        parts["lines"].append(chunk.lines)
        for name, texts in extra.items():
            texts.extend(chunk.columns[name])
        for column, key in (("sponsor_id", "sponsor"), ("care_id", "care")):
            texts = chunk.columns[column]
            found = _lookup(index, texts, UNRESOLVED)
            for row in np.flatnonzero(found == UNRESOLVED).tolist():  # not yet seen: resolved at the end
                unresolved.append((column, base + row, texts[row]))
            parts[key].append(found)
    del index[""]
    if first_chunk is None:
        return None
    arrays = {key: np.concatenate(value) for key, value in parts.items()}
    rows = PartnerRows(
        file=first_chunk.file, ids=ids, index=index, is_partner=arrays["partner"], sponsor=arrays["sponsor"],
        care=arrays["care"], share=arrays["share"], status=arrays["status"], career=arrays["career"],
        lines=arrays["lines"], column_numbers=first_chunk.column_numbers, extra=extra, unresolved=[],
    )  # fmt: skip
    for column, node, text in unresolved:
        target = index.get(text)
        if target is None:
            rows.unresolved.append((column, node, text))
        else:
            (rows.sponsor if column == "sponsor_id" else rows.care)[node] = target
    return rows


def read_partners(chunks: Iterable[Chunk], plan: Plan, errors: ExchangeErrors | None = None) -> tuple[Network, np.ndarray]:
    """The network of ``partners.csv``.

    Parameters
    ----------
    chunks : iterable of Chunk
        From ``read_chunks(path, PARTNER_COLUMNS)`` or ``row_chunks(rows, ...)``.
    plan : Plan
        For the rank codes of ``career_rank``.
    errors : ExchangeErrors, optional
        Where the checks report (the one the chunks were read with); collecting, every
        error of the rows is raised at once as ``ExchangeFileErrors`` (a cycle is checked
        only once the rows are right).

    Returns
    -------
    (Network, numpy.ndarray)
        The network and the career rank index before the period per partner ordinal
        (-1 for none).

    Raises
    ------
    ExchangeFileError
        An unknown or duplicate id, a sponsor or Betreuer that is not a partner, a share
        outside ``[0, 1]``, a cycle, ... at ``file:line:column``.
    """
    errors = ExchangeErrors() if errors is None else errors
    return network_of_rows(parse_partner_rows(chunks, plan_careers(plan), errors), errors)


def plan_careers(plan: Plan) -> dict[str, int]:
    """``career_rank`` codes of a plan: rank code -> index, ``""`` -> -1 (none)."""
    careers = {rank.code: i for i, rank in enumerate(plan.ranks)}
    careers[""] = -1
    return careers


def network_of_rows(rows: PartnerRows | None, errors: ExchangeErrors) -> tuple[Network, np.ndarray]:
    """The network of checked rows (``read_partners`` after the checks of the rows):
    references to no id, targets that are customers and cycles are reported here."""
    if rows is None:
        errors.raise_collected()
        return Network.from_arrays([], [], []), np.zeros(0, np.int64)
    for column, node, text in rows.unresolved:
        errors.add(rows.error(node, column, f"{column} {text!r} is not a partner"))
    rows.check_targets_are_partners(errors)
    errors.raise_collected()
    # a care_id with an empty share is no care assignment
    care = np.where(rows.share >= 0, rows.care, -1)
    share = np.maximum(rows.share, 0)
    try:
        network = Network.from_arrays(rows.ids, rows.is_partner, rows.sponsor, care, share, rows.status)
    except CycleError as error:
        target = rows.sponsor[error.node] if error.field == "sponsor" else care[error.node]
        raise rows.cycle_error(error, error.node, rows.ids[target]) from None
    except NetworkError as error:  # pragma: no cover - the checks above come first
        raise rows.error(error.node, "id", str(error)) from None
    if rows.index is not None:
        network.remember_index(rows.index)
    return network, rows.career[network.partner_nodes]


def _duplicates(chunk: Chunk, base: int, index: dict[str, int], errors: ExchangeErrors) -> None:
    """Index the chunk's ids one by one: a repeated id keeps its first row."""
    for row, node_id in enumerate(chunk.columns["id"]):
        if not node_id:
            continue  # reported as empty
        if node_id in index:
            errors.add(chunk.error(row, "id", f"duplicate id {node_id!r}"))
        else:
            index[node_id] = base + row


def _codes(chunk: Chunk, column: str, codes: dict[str, int], is_partner: np.ndarray, errors: ExchangeErrors) -> np.ndarray:
    """``status`` or ``career_rank`` codes; customers must leave the column empty."""
    texts = chunk.columns[column]
    result = _lookup(codes, texts, -9)
    for row in np.flatnonzero(is_partner & (result == -9)).tolist():
        if column == "status":
            message = f"status {texts[row]!r} is not one of active, inactive, terminated"
        else:
            message = f"career_rank {texts[row]!r} is not a rank of the plan"
        errors.add(chunk.error(row, column, message))
    for row in np.flatnonzero(~is_partner & (_lengths(texts) > 0)).tolist():
        errors.add(chunk.error(row, column, f"{column} must be empty for a customer"))
    return np.where(is_partner & (result != -9), result, -1)


def _shares(chunk: Chunk, errors: ExchangeErrors) -> np.ndarray:
    """Care shares in millionths; -1 where there is no share."""
    texts = chunk.columns["care_share"]
    given = np.flatnonzero(_lengths(texts) > 0)
    share = np.full(len(texts), -1, np.int64)
    if given.size:
        values = _decimal_column(chunk, "care_share", given, SHARE_PLACES, errors)
        for at in np.flatnonzero((values < 0) | (values > SHARE_SCALE)).tolist():
            row = int(given[at])
            errors.add(chunk.error(row, "care_share", f"care_share {texts[row]!r} is outside [0, 1]"))
        share[given] = np.clip(values, 0, SHARE_SCALE)
        for row in [int(row) for row in given.tolist() if not chunk.columns["care_id"][row]]:
            errors.add(chunk.error(row, "care_share", "care_share without care_id"))
    return share


# ------------------------------------------------------------------------- volumes


def read_volumes(chunks: Iterable[Chunk], network: Network, errors: ExchangeErrors | None = None) -> Volumes:
    """Own volumes per node from ``volumes.csv`` chunks (rows of one node are summed).

    Reports (to ``errors``: by default raises the first) an id not in ``partners.csv`` or
    a value that is not a decimal with at most 4 places and 11 digits before the point;
    collecting, raises them all at once (``ExchangeFileErrors``) at the end.
    """
    errors = ExchangeErrors() if errors is None else errors
    volumes = Volumes.zeros(network)
    index = network.index()
    for chunk in chunks:
        texts = chunk.columns["node_id"]
        nodes = _lookup(index, texts, -1)
        unknown = np.flatnonzero(nodes < 0)
        for row in unknown.tolist():
            errors.add(chunk.error(row, "node_id", f"node_id {texts[row]!r} is not in partners.csv"))
        pv = _decimal_column(chunk, "pv", None, VOLUME_PLACES, errors)
        bv = _decimal_column(chunk, "bv", None, VOLUME_PLACES, errors)
        if unknown.size:  # collected: the rows that are there still get their checks
            known = nodes >= 0
            nodes, pv, bv = nodes[known], pv[known], bv[known]
        volumes.add_rows(nodes, pv, bv)
    errors.raise_collected()
    return volumes


# ------------------------------------------------------------------------- result


def write_result(result: PeriodResult, handle, progress: Callable[[float], None] | None = None) -> None:
    """Write the result JSON to a file object: ``result_json.write_result``, imported
    when first used (it needs pyarrow, which the rest of the engine does not load)."""
    from .result_json import write_result as write

    write(result, handle, progress)
