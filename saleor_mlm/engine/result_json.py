"""The result JSON of ``simulate`` (spec section 6), written column by column.

Terms
-----
line
    One partner: ``"id": {"pv": "12.50", ..., "total": "3.10"}`` on a line of its own,
    after a comma (but the first). The document is the currency, the lines, the totals.
column by column
    The figures of a block of partners are formatted as whole arrays by pyarrow (decimal
    text of integers at scale ``10^k``, quoted ids, rank codes) and joined into the block's
    lines in one call; the block is written as one string. No Python object is made per
    figure, only per block (and per id where an id needs JSON escapes).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .bonuses import BONUS_KINDS
from .network import IdView
from .period import PeriodResult

__all__ = ["ArrowIds", "decimal_texts", "write_result"]

_BLOCK = 1 << 17  # partners per block: about 35 MB of text
# A character that must be escaped in JSON or that json.dumps writes as \uXXXX (not ASCII):
# an id without any is written between quotes as it is.
_NEEDS_ESCAPE = r'[^ !#-\[\]-~]'


class ArrowIds(Sequence[str]):
    """Node ids kept in a pyarrow string array (columnar reading): a sequence of ``str``
    for the engine, the array itself for the columnar steps."""

    def __init__(self, array: pa.Array):
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, item):  # type: ignore[override]
        if isinstance(item, slice):
            return self.array[item].to_pylist()
        return self.array[int(item)].as_py()

    def __iter__(self):
        return iter(self.array.to_pylist())


def decimal_texts(values: np.ndarray, places: int) -> pa.Array:
    """Decimal text of integers at scale ``10^places``, as ``money.units_text`` writes one
    (``-0.05``, ``0.00``, zero without a sign), for a whole array.

    Examples
    --------
    >>> decimal_texts(np.array([123450, -5, 0]), 2).to_pylist()
    ['1234.50', '-0.05', '0.00']
    """
    values = np.asarray(values, np.int64)
    if places == 0:
        return pc.cast(pa.array(values), pa.string())
    unit = 10**places
    magnitude = np.abs(values)
    whole = pc.cast(pa.array(magnitude // unit), pa.string())
    fraction = pc.utf8_lpad(pc.cast(pa.array(magnitude % unit), pa.string()), width=places, padding="0")
    sign = pc.if_else(pa.array(values < 0), "-", "")
    return pc.binary_join_element_wise(sign, whole, ".", fraction, "")


def _quoted_ids(partner_ids: Sequence[str], start: int, stop: int) -> pa.Array:
    if isinstance(partner_ids, IdView) and isinstance(partner_ids.all_ids, ArrowIds):
        ids = partner_ids.all_ids.array.take(pa.array(partner_ids.nodes[start:stop]))
    else:
        ids = pa.array(partner_ids[start:stop], pa.string())
    if pc.any(pc.match_substring_regex(ids, _NEEDS_ESCAPE)).as_py():
        return pa.array([json.dumps(i) for i in ids.to_pylist()], pa.string())
    return pc.binary_join_element_wise('"', ids, '"', "")


def _text(lines: pa.Array, skip: int = 0) -> memoryview:
    """The UTF-8 bytes of every string of ``lines``, one after another (no copy), without
    the first ``skip`` bytes."""
    offsets = np.frombuffer(lines.buffers()[1], np.int32)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]) + skip : int(offsets[-1])]


def _writer(handle) -> Callable[[bytes | memoryview], object]:
    """Write UTF-8 bytes to a binary file object as they are, to a text one decoded."""
    if isinstance(handle, io.TextIOBase):
        return lambda data: handle.write(str(data, "utf-8"))
    return handle.write


def write_result(
    result: PeriodResult, handle, progress: Callable[[float], None] | None = None, block: int = _BLOCK
) -> None:
    """Write the result JSON (one partner per line) to a file object, binary (UTF-8) or text.

    The document equals ``json.dumps(result.to_dict())`` once parsed; it is written in
    blocks of ``block`` partners, each formatted column by column.
    """
    places = result.minor_digits
    codes = pa.array(["null"] + [json.dumps(code) for code in result.rank_codes], pa.string())
    count = len(result.partner_ids)
    write = _writer(handle)
    write(('{\n  "currency": ' + json.dumps(result.currency) + ',\n  "partners": {').encode())
    for start in range(0, count, block):
        stop = min(start + block, count)
        rows = slice(start, stop)
        pv, gv, ov = (decimal_texts(getattr(result, key)[rows], 2) for key in ("pv", "gv", "ov"))
        bonuses: list = []
        for kind in BONUS_KINDS:
            bonuses += ['", "' if bonuses else '{"', f'{kind}": "', decimal_texts(result.bonuses[kind][rows], places)]
        lines = pc.binary_join_element_wise(
            ",\n    ", _quoted_ids(result.partner_ids, start, stop),
            ': {"pv": "', pv, '", "gv": "', gv, '", "ov": "', ov,
            '", "qualified": ', pc.if_else(pa.array(result.qualified[rows]), "true", "false"),
            ', "rank": ', codes.take(pa.array(result.rank[rows] + 1)),
            ', "career_rank": ', codes.take(pa.array(result.career_rank[rows] + 1)),
            ', "bonuses": ', *bonuses, '"}, "total": "', decimal_texts(result.total[rows], places), '"}',
            "",  # the separator between the pieces
        )  # fmt: skip
        write(_text(lines, skip=1 if start == 0 else 0))  # no comma before the first partner
        if progress is not None:
            progress(stop / count)
    write(('\n  },\n  "totals": ' + json.dumps(result.totals()) + "\n}\n").encode())
