"""Volume in the partner programs other than the default (docs/programs.md).

The default program's volume is what the ledger always wrote: entries without a program.
An order line also counts in every other program whose volume source takes the line
(`Program.takes`), with the program's own PV/BV keys read first (`Program.pv_key`: its own or `mlm.<code>.pv`, then the
installation's keys, then the price): one more entry per line and program, on the same
buyer node. Each program's network splits it later, in that program's run.

What a payment credited per program is kept on the order's attribution, line by line
(`lines[].programs`: {program id: {pv, bv, pv_source, bv_source}}), so refunds and
cancellations take back from it with the same shares as from the default program's lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from decimal import Decimal

from saleor_mlm.programs.models import Program

from .volume import LineVolume, OrderLine, VolumeRules, order_volumes

PROGRAMS_KEY = "programs"


def other_programs(installation_id: int) -> list[Program]:
    """The installation's programs other than the default, by id."""
    return list(Program.objects.filter(installation_id=installation_id, is_default=False).order_by("pk"))


def program_rules(rules: VolumeRules, program: Program) -> VolumeRules:
    return dataclasses.replace(rules, program_pv_key=program.pv_key(rules.pv_key), program_bv_key=program.bv_key(rules.bv_key))


def program_volumes(
    lines: Iterable[OrderLine], rules: VolumeRules, rate: Decimal | None, programs: Iterable[Program]
) -> dict[int, list[LineVolume]]:
    """PV and BV of the lines each program takes, by program id (programs taking no line
    are left out). Raises `VolumeError` like the default program's volumes."""
    lines = list(lines)
    found = {}
    for program in programs:
        taken = [line for line in lines if program.takes(line.product_type_id, line.category_id, line.collection_ids)]
        if taken:
            found[program.pk] = order_volumes(taken, program_rules(rules, program), rate)
    return found


def lines_json(volumes: list[LineVolume], by_program: Mapping[int, list[LineVolume]]) -> list[dict]:
    """The attribution's `lines`: each line as the default program credited it, with what
    each other program credited of it (only where one did)."""
    per_line: dict[str, dict[str, dict]] = {}
    for program_id, program_lines in by_program.items():
        for volume in program_lines:
            per_line.setdefault(volume.line_id, {})[str(program_id)] = {
                "pv": str(volume.pv),
                "bv": str(volume.bv),
                "pv_source": volume.pv_source,
                "bv_source": volume.bv_source,
            }
    rows = []
    for volume in volumes:
        row = volume.as_json()
        if volume.line_id in per_line:
            row[PROGRAMS_KEY] = per_line.pop(volume.line_id)
        rows.append(row)
    return rows


def credited_lines(lines: Iterable[Mapping]) -> dict[int | None, list[LineVolume]]:
    """What a payment credited, per program (None: the default program), from the
    attribution's `lines`."""
    found: dict[int | None, list[LineVolume]] = {None: []}
    for line in lines:
        volume = LineVolume.from_json(line)
        found[None].append(volume)
        for program_id, credited in (line.get(PROGRAMS_KEY) or {}).items():
            found.setdefault(int(program_id), []).append(
                dataclasses.replace(
                    volume,
                    pv=Decimal(credited["pv"]),
                    bv=Decimal(credited["bv"]),
                    pv_source=credited.get("pv_source", ""),
                    bv_source=credited.get("bv_source", ""),
                )
            )
    return found
