"""The result JSON writer as it was before issue 22 (a Python string per figure): the
reference the columnar writer (``saleor_mlm.engine.result_json``) must equal byte for byte."""

import json
import re

import numpy as np

from saleor_mlm.engine.bonuses import BONUS_KINDS

_PLAIN_ID = re.compile(r"[^\"\\\x00-\x1f\x7f-\U0010ffff]*")


def _texts(values: np.ndarray, places: int) -> list[str]:
    """Decimal texts of integers at scale ``10^places`` (zero without sign)."""
    values = np.asarray(values)
    if places == 0:
        return list(map(str, values.tolist()))
    unit = 10**places
    magnitude = np.abs(values)
    pattern = f"{{}}.{{:0{places}d}}"
    texts = list(map(pattern.format, (magnitude // unit).tolist(), (magnitude % unit).tolist()))
    for index in np.flatnonzero(values < 0).tolist():
        texts[index] = "-" + texts[index]
    return texts


_PARTNER_LINE = (
    '\n    {}: {{"pv": "{}", "gv": "{}", "ov": "{}", "qualified": {}, "rank": {}, '
    '"career_rank": {}, "bonuses": {{"customer": "{}", "level": "{}", "difference": "{}", '
    '"generation": "{}", "advancement": "{}"}}, "total": "{}"}}'
)


def write_result_reference(result, handle, progress=None) -> None:
    """Write the result JSON (one partner per line) to a text file object.

    The document equals ``json.dumps(result.to_dict())`` once parsed; it is written in
    blocks without building the dict.
    """
    places = result.minor_digits
    codes = ["null"] + [json.dumps(code) for code in result.rank_codes]
    count = len(result.partner_ids)
    handle.write('{\n  "currency": ' + json.dumps(result.currency) + ',\n  "partners": {')
    block = 1 << 16
    for start in range(0, count, block):
        rows = slice(start, min(start + block, count))
        ids = result.partner_ids[rows]
        if not _PLAIN_ID.fullmatch("".join(ids)):
            quoted = [json.dumps(i) for i in ids]
        else:
            quoted = [f'"{i}"' for i in ids]
        volumes = [_texts(getattr(result, key)[rows], 2) for key in ("pv", "gv", "ov")]
        bonuses = [_texts(result.bonuses[kind][rows], places) for kind in BONUS_KINDS]
        totals = _texts(result.total[rows], places)
        qualified = ["true" if q else "false" for q in result.qualified[rows].tolist()]
        rank = [codes[r + 1] for r in result.rank[rows].tolist()]
        career = [codes[r + 1] for r in result.career_rank[rows].tolist()]
        lines = list(
            map(_PARTNER_LINE.format, quoted, *volumes, qualified, rank, career, *bonuses, totals)
        )
        if start:
            handle.write(",")
        handle.write(",".join(lines))
        if progress is not None:
            progress(rows.stop / count)
    handle.write('\n  },\n  "totals": ' + json.dumps(result.totals()) + "\n}\n")

