"""The run inputs of a partner program other than the default (docs/programs.md).

The default program's network is the partner table (`fetch.fetch_inputs` as always). Any
other program's network is its enrollments (`network.ProgramEnrollment`):

- partners: the enrolled ones, sorted by primary key (their ordinals in the program's run);
  their status is the person's;
- sponsor and Betreuer: the enrollment's (a sponsor or Betreuer not enrolled in the program
  counts as none); the Betreuer's share is the enrollment's, 0 without one;
- customers: as in the default network (their sponsor, Betreuer and share in force at the
  run's moment) where that partner is enrolled in the program, otherwise none there (a
  house customer of the program);
- volumes: the program's own ledger entries (`LedgerEntry.program`). A partner who is not
  a member buys there for nobody: its entries are left out, with a warning.

Career ranks before the period come from the program's own close run of the latest
settled period; rank overrides apply to the default program only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np

from saleor_mlm.calendar.models import Period
from saleor_mlm.engine import SHARE_SCALE, Plan
from saleor_mlm.network.models import ProgramEnrollment
from saleor_mlm.programs.models import Program

from . import RunKind, RunStatus
from .fetch import (
    CUSTOMER_ARRAYS,
    NO_OVERRIDE,
    RunInputs,
    consistent_read,
    network_inputs,
    own_volume_rows,
    previous_settled_period,
)
from .models import PartnerPeriodResult, PeriodRun


def _ordinals(sorted_pks: np.ndarray, pks: np.ndarray) -> np.ndarray:
    """Position of each pk in `sorted_pks`, -1 where it is missing (or -1 already)."""
    if sorted_pks.size == 0:
        return np.full(pks.size, -1, np.int64)
    at = np.minimum(np.searchsorted(sorted_pks, pks), sorted_pks.size - 1)
    return np.where((pks >= 0) & (sorted_pks[at] == pks), at, -1).astype(np.int64)


def fetch_program_inputs(period: Period, plan: Plan, at: datetime.datetime, program: Program) -> RunInputs:
    """`fetch.fetch_inputs` of a program other than the default, in one consistent read."""
    with consistent_read():
        inputs = program_network_inputs(period, program, at)
        inputs.previous_career, warnings = program_previous_career(period, plan, program, inputs.partner_pk)
        inputs.warnings += warnings
    return inputs


def program_network_inputs(period: Period, program: Program, at: datetime.datetime) -> RunInputs:
    """The program's network and volumes (no career ranks yet): see the module doc."""
    base = network_inputs(period, at)
    rows = list(
        ProgramEnrollment.objects.filter(program=program)
        .order_by("partner_id")
        .values_list("partner_id", "sponsor_id", "care_partner_id", "care_share")
    )
    partner_pk = np.array([row[0] for row in rows], np.int64)
    n = partner_pk.size
    sponsor_pk = np.array([row[1] if row[1] is not None else -1 for row in rows], np.int64)
    care_pk = np.array([row[2] if row[2] is not None else -1 for row in rows], np.int64)
    share = np.array([int(Decimal(row[3]) * SHARE_SCALE) if row[2] is not None and row[3] is not None else 0 for row in rows], np.int64)
    care = _ordinals(partner_pk, care_pk)
    status = base.partner_status[_ordinals(base.partner_pk, partner_pk)] if n else np.zeros(0, np.int8)

    # Customers: their default sponsor and Betreuer, by pk, then by the program's ordinals.
    def remap(ordinals: np.ndarray) -> np.ndarray:
        pks = np.where(ordinals >= 0, base.partner_pk[np.maximum(ordinals, 0)] if base.n_partners else -1, -1)
        return _ordinals(partner_pk, pks)

    customer_sponsor = remap(base.customer_sponsor.astype(np.int64))
    customer_care = remap(base.customer_care.astype(np.int64))
    customer_share = np.where(customer_care >= 0, base.customer_share, 0)
    inputs = RunInputs(
        partner_pk=partner_pk,
        partner_sponsor=_ordinals(partner_pk, sponsor_pk).astype(np.int32),
        partner_care=care.astype(np.int32),
        partner_share=np.where(care >= 0, share, 0).astype(np.int32),
        partner_status=np.asarray(status, np.int8),
        partner_pv=np.zeros(n, np.int64),
        partner_bv=np.zeros(n, np.int64),
        previous_career=np.full(n, -1, np.int16),
        override=np.full(n, NO_OVERRIDE, np.int16),
        customer_pk=base.customer_pk,
        customer_sponsor=customer_sponsor.astype(np.int32),
        customer_care=customer_care.astype(np.int32),
        customer_share=customer_share.astype(np.int32),
        customer_pv=np.zeros(base.n_customers, np.int64),
        customer_bv=np.zeros(base.n_customers, np.int64),
    )
    _add_program_volumes(inputs, period, program)
    return inputs


def _add_program_volumes(inputs: RunInputs, period: Period, program: Program) -> None:
    rows = own_volume_rows(period.installation_id, period.pk, program.pk)
    by_partner = rows["partner_id"] >= 0
    ordinal = _ordinals(inputs.partner_pk, rows["partner_id"][by_partner])
    member = ordinal >= 0
    inputs.partner_pv[ordinal[member]] = rows["pv"][by_partner][member]
    inputs.partner_bv[ordinal[member]] = rows["bv"][by_partner][member]
    outside = int((~member).sum())
    if outside:
        inputs.warnings.append(f"{outside} partner(s) bought in program {program.code} without being members: their volume counts for nobody there.")
    by_customer = ~by_partner
    index = _ordinals(inputs.customer_pk, rows["customer_id"][by_customer])
    inputs.customer_pv[index] = rows["pv"][by_customer]
    inputs.customer_bv[index] = rows["bv"][by_customer]
    keep = (inputs.customer_pv != 0) | (inputs.customer_bv != 0)
    for name in CUSTOMER_ARRAYS:
        setattr(inputs, name, getattr(inputs, name)[keep])


def program_previous_career(period: Period, plan: Plan, program: Program, partner_pk: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Career rank index before the period per ordinal: what the program's close run of the
    latest settled period stored (by rank code), -1 elsewhere."""
    career = np.full(partner_pk.size, -1, np.int16)
    previous = previous_settled_period(period)
    if previous is None:
        return career, []
    run = (
        PeriodRun.objects.filter(period=previous, program=program, kind=RunKind.CLOSE, status=RunStatus.SUCCEEDED).order_by("-id").first()
    )
    if run is None:
        return career, []
    rows = list(PartnerPeriodResult.objects.filter(run=run).exclude(career_rank="").values_list("partner_id", "career_rank"))
    index = {rank.code: i for i, rank in enumerate(plan.ranks)}
    unknown = sorted({code for _pk, code in rows if code not in index})
    pks = np.array([pk for pk, _code in rows], np.int64)
    values = np.array([index.get(code, -1) for _pk, code in rows], np.int16)
    at = _ordinals(partner_pk, pks)
    career[at[at >= 0]] = values[at >= 0]
    return career, [f"Career rank {code!r} is not a rank of the plan in force; it is ignored." for code in unknown]
