"""Reading plain exchange files by columns (``simulate``, issue 22).

Terms
-----
plain file
    A comma-separated UTF-8 file without double quotes, carriage returns or blank lines,
    every line with as many fields as the header: what programs export. Its row ``i``
    (0-based) is on line ``i + 2``.
columnar reading
    pyarrow reads a plain file into one string array per column; ids are factorised by one
    hash pass over the ids and the references together; decimals are checked with the
    pattern of ``exchange`` (``money.bounded_decimal_text`` with the same limits) and
    converted exactly, through pyarrow's decimal type, never through a float.
judging
    The columnar reading only accepts. A file that is not plain, or any value that one of
    the row checks of ``exchange`` would report, makes it give up (``None``): the caller
    then reads the file with ``exchange.read_chunks`` and its checks, which name every
    error at ``file:line:column``. So each message has one definition, and an error costs
    a second, slower reading of the one file that has it.

What the checks of the rows find after them (references to no id, a sponsor or Betreuer
that is a customer, cycles) is reported by ``exchange.network_of_rows`` for both readings.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from .exchange import (
    PARTNER_COLUMNS,
    SHARE_DIGITS,
    SHARE_PLACES,
    UNRESOLVED,
    VOLUME_COLUMNS,
    VOLUME_DIGITS,
    ExchangeErrors,
    PartnerRows,
    network_of_rows,
    plan_careers,
    read_chunks,
    read_partners,
    read_volumes,
)
from .money import bounded_decimal_text
from .network import SHARE_SCALE, Network, Status
from .plan import Plan
from .result_json import ArrowIds
from .volumes import VOLUME_PLACES, Volumes

__all__ = ["read_partners_file", "read_volumes_file", "plain_columns", "decimal_units"]

Progress = Callable[[float], None] | None
_MAX_BLOCK = 1 << 30  # pyarrow's block size is a 32-bit integer


def read_partners_file(
    path: str, plan: Plan, file: str | None = None, progress: Progress = None, errors: ExchangeErrors | None = None
) -> tuple[Network, np.ndarray]:
    """``read_partners`` of a ``partners.csv``: by columns if the file is plain and its
    rows are right, else through ``read_chunks`` (same arguments, same errors)."""
    errors = ExchangeErrors() if errors is None else errors
    columns = plain_columns(path, PARTNER_COLUMNS)
    rows = None if columns is None else partner_rows(columns, plan_careers(plan), file or os.path.basename(path))
    if rows is None:
        return read_partners(read_chunks(path, PARTNER_COLUMNS, file, progress, errors=errors), plan, errors)
    if progress is not None:
        progress(1.0)
    return network_of_rows(rows, errors)


def read_volumes_file(
    path: str, network: Network, file: str | None = None, progress: Progress = None, errors: ExchangeErrors | None = None
) -> Volumes:
    """``read_volumes`` of a ``volumes.csv``: by columns if the file is plain, every
    ``node_id`` a node and every value right, else through ``read_chunks``."""
    errors = ExchangeErrors() if errors is None else errors
    columns = plain_columns(path, VOLUME_COLUMNS)
    volumes = None if columns is None else volume_rows(columns, network)
    if volumes is None:
        return read_volumes(read_chunks(path, VOLUME_COLUMNS, file, progress, errors=errors), network, errors)
    if progress is not None:
        progress(1.0)
    return volumes


def plain_columns(path: str, required: Iterable[str]) -> tuple[dict[str, pa.Array], dict[str, int]] | None:
    """The ``required`` columns of a plain file as string arrays, and the 1-based field
    number of each; ``None`` if the file is not plain (or has no rows)."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    end = data.find(b"\n")
    if end < 0 or b'"' in data or b"\r" in data or b"\n\n" in data or len(data) == end + 1:
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    names = [name.strip() for name in data[:end].decode("utf-8").split(",")]
    if any(name not in names for name in required):
        return None
    fields = {name: names.index(name) for name in required}  # the first of a repeated name, as read_chunks
    generic = [f"f{i}" for i in range(len(names))]
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            # One block: every column comes as one array (no copy to join blocks); pyarrow
            # still parses it on every core.
            read_options=pa_csv.ReadOptions(column_names=generic, skip_rows=1, block_size=min(len(data) + 1, _MAX_BLOCK)),
            parse_options=pa_csv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                include_columns=[generic[i] for i in fields.values()],
                column_types={generic[i]: pa.string() for i in fields.values()},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )  # fmt: skip
    except pa.ArrowInvalid:  # a line with another number of fields
        return None
    columns = {name: table.column(generic[i]).combine_chunks() for name, i in fields.items()}
    return columns, {name: i + 1 for name, i in fields.items()}


def decimal_units(texts: pa.Array, int_digits: int, places: int) -> np.ndarray | None:
    """Units at scale ``10^places`` of decimal texts within the limits, exactly (int64);
    ``None`` if any text is not such a decimal."""
    if len(texts) == 0:
        return np.zeros(0, np.int64)
    pattern = "^" + bounded_decimal_text(int_digits, places) + "$"
    if not pc.all(pc.match_substring_regex(texts, pattern)).as_py():
        return None
    decimals = pc.cast(texts, pa.decimal128(int_digits + places, places))
    # A decimal128 is the integer value * 10^places in two 64-bit words, low word first;
    # below 10^18 the low word is that integer.
    words = np.frombuffer(decimals.buffers()[1], np.int64)
    return words[2 * decimals.offset : 2 * (decimals.offset + len(decimals)) : 2].copy()


def _empty(texts: pa.Array) -> np.ndarray:
    return pc.equal(pc.binary_length(texts), 0).to_numpy(zero_copy_only=False)


def _codes(texts: pa.Array, codes: dict[str, int], is_partner: np.ndarray) -> np.ndarray | None:
    """``codes[text]`` of partners, -1 for customers (who must leave the column empty)."""
    found = pc.index_in(texts, value_set=pa.array(list(codes), pa.string()))
    if pc.any(pc.and_(pc.is_null(found), pa.array(is_partner))).as_py() or (~is_partner & ~_empty(texts)).any():
        return None
    values = np.array(list(codes.values()) + [-1], np.int64)
    return np.where(is_partner, values[found.fill_null(len(codes)).to_numpy()], -1)


def partner_rows(columns: tuple[dict[str, pa.Array], dict[str, int]], careers: dict[str, int], file: str) -> PartnerRows | None:
    """``exchange.parse_partner_rows`` of a plain file by columns; ``None`` where one of
    its checks would report an error."""
    texts, numbers = columns
    ids = texts["id"]
    n = len(ids)
    kind = texts["kind"]
    is_partner = pc.equal(kind, "partner").to_numpy(zero_copy_only=False)
    if not (is_partner | pc.equal(kind, "customer").to_numpy(zero_copy_only=False)).all() or _empty(ids).any():
        return None
    status = _codes(texts["status"], Status.CHOICES, is_partner)
    career = _codes(texts["career_rank"], careers, is_partner)
    if status is None or career is None:
        return None
    # One hash pass over the ids and the references given: the dictionary lists the strings
    # in order of first appearance, so the ids are its first n entries exactly when they are
    # unique, and a reference to entry k < n is node k.
    referenced = {column: np.flatnonzero(~_empty(texts[column])) for column in ("sponsor_id", "care_id")}
    parts = [ids] + [texts[column].take(pa.array(rows)) for column, rows in referenced.items()]
    codes = pc.dictionary_encode(pa.concat_arrays(parts)).indices.to_numpy()
    if not np.array_equal(codes[:n], np.arange(n)):
        return None  # a duplicate id
    targets, unresolved = [], []
    start = n
    for column, rows in referenced.items():
        target = np.full(n, -1, np.int64)
        target[rows] = codes[start : start + rows.size]
        start += rows.size
        missing = rows[target[rows] >= n]
        unresolved += [(column, int(node), texts[column][int(node)].as_py()) for node in missing]
        target[missing] = UNRESOLVED
        targets.append(target)
    share_texts = texts["care_share"]
    given = ~_empty(share_texts)
    share = np.full(n, -1, np.int64)
    if given.any():
        where = np.flatnonzero(given)
        values = decimal_units(share_texts.take(pa.array(where)), SHARE_DIGITS, SHARE_PLACES)
        if values is None or ((values < 0) | (values > SHARE_SCALE)).any() or _empty(texts["care_id"])[where].any():
            return None
        share[where] = values
    return PartnerRows(
        file=file, ids=ArrowIds(ids), index=None, is_partner=is_partner, sponsor=targets[0], care=targets[1],
        share=share, status=status, career=career, lines=np.arange(2, n + 2), column_numbers=numbers,
        extra={}, unresolved=unresolved,
    )  # fmt: skip


def volume_rows(columns: tuple[dict[str, pa.Array], dict[str, int]], network: Network) -> Volumes | None:
    """``exchange.read_volumes`` of a plain file by columns; ``None`` where it would report
    an error (a node_id not in partners.csv, a value that is no decimal within the limits)."""
    texts, _ = columns
    ids = network.ids.array if isinstance(network.ids, ArrowIds) else pa.array(list(network.ids), pa.string())
    nodes = pc.index_in(texts["node_id"], value_set=ids)
    if nodes.null_count:
        return None
    pv = decimal_units(texts["pv"], VOLUME_DIGITS, VOLUME_PLACES)
    bv = decimal_units(texts["bv"], VOLUME_DIGITS, VOLUME_PLACES)
    if pv is None or bv is None:
        return None
    volumes = Volumes.zeros(network)
    volumes.add_rows(nodes.to_numpy().astype(np.int64), pv, bv)
    return volumes
