"""Live volumes: a partner's PV, GV and OV in the open period, fresh after every order.

Nothing is written per order for this: no upline row is updated (that would make every
order lock the top of the tree). The figures are the engine's rollup
(`engine.rollup_volumes`, and `engine.compute` for OV) of the ledger's own volumes over
the network, held in memory per process and installation and brought up to date on
every request from what was committed since the last one.

This module is the entry point: the API below, `LiveVolumes`, and the per-process
registry of states. The rest lives by role in

- `live_state`: the state (network arrays, own volumes, rollup) and its refresh;
- `live_feed`: the feeds the refresh reads, safe against out-of-order commits.

Terms
-----
state
    Per process and installation (`live_state.State`): the network as engine arrays,
    the open period's own PV/BV per node, and the last rollup.
feed
    The rows of an append-only table (ledger entries, network changes) above a floor,
    read once each although transactions commit out of id order (`live_feed.Feed`).
refresh
    What a request does first (`State.refresh`): read the feeds, apply what is new, or
    rebuild the state. A request waits for a refresh that started after it arrived, so
    what was committed before the request is in the answer ("fresh").

PV, GV, PBV, GBV come from `rollup_volumes`. OV (and OBV) need the paid-as ranks of the
downline (spec 2: breakaway lines leave the open volume), so they come from
`engine.compute` with the plan version in force for the period, without rank
overrides (those apply when the period is closed). Without a plan in force, or with a
plan without `breakaway_rank`, OV = GV (spec 2). `ov_basis` says which.

Cost (docs/ledger.md, "Live volumes", has the measurements): a refresh with new entries
only is a handful of small queries plus the rollup, O(network) in numpy; a rebuild loads
the network (`network.fetch`) and aggregates the period once.

Call it outside a transaction (GraphQL queries and payload fields are): inside one, its
own uncommitted rows are visible, so a private state is built for the call instead.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from saleor_mlm.calendar.models import Period
from saleor_mlm.engine.volumes import SHOWN_VOLUME_PLACES, shown_volume

from .feed import SETTLE_SECONDS
from .state import OV_MAX_AGE, RESYNC_SECONDS, OVBasis, State, current_period_start

__all__ = [
    "MAX_STATES",
    "OV_MAX_AGE",
    "RESYNC_SECONDS",
    "SETTLE_SECONDS",
    "SHARE_INSIDE_TRANSACTIONS",
    "LiveVolumeError",
    "LiveVolumes",
    "OVBasis",
    "current_period_start",
    "invalidate",
    "live_volumes",
    "live_volumes_bulk",
    "refreshed_state",
]

# SETTLE_SECONDS (live_feed), RESYNC_SECONDS and OV_MAX_AGE (live_state) are read in
# the module that defines them: named here for importers, setting them here changes
# nothing (set them there).

# Tests that run inside one transaction (rolled back at the end, the state forgotten
# with it) set this to exercise the shared state there.
SHARE_INSIDE_TRANSACTIONS = False
# Installations kept in memory per process (least recently used is dropped first).
MAX_STATES = 8
class LiveVolumeError(LookupError):
    """The partner is not part of the installation's network."""


@dataclass(frozen=True)
class LiveVolumes:
    """A partner's figures in the open period, shown volumes (hundredths rounded toward
    minus infinity) as in a run.

    `as_of`: every ledger entry and network change committed before this moment is in
    the figures; OV, rank and qualification with a plan are as of `ov_as_of`, at most
    `OV_MAX_AGE` (1 s) older. `period_id` is None while the month has no period yet (no entry so far).
    `qualified` and `rank` (the paid-as rank code) are None without a plan in force.
    """

    partner_id: int
    period_id: int | None
    period_starts_on: datetime.date
    pv: Decimal
    gv: Decimal
    ov: Decimal
    pbv: Decimal
    gbv: Decimal
    obv: Decimal
    ov_basis: str
    qualified: bool | None
    rank: str | None
    as_of: datetime.datetime
    ov_as_of: datetime.datetime | None = None  # when OV, rank and qualification were computed

    def as_json(self) -> dict:
        return {
            "partner_id": self.partner_id,
            "period": f"{self.period_starts_on:%Y-%m}",
            **{key: str(getattr(self, key)) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")},
            "ov_basis": self.ov_basis,
            "qualified": self.qualified,
            "rank": self.rank,
            "as_of": self.as_of.isoformat(),
            "ov_as_of": self.ov_as_of.isoformat() if self.ov_as_of else None,
        }


# ---------------------------------------------------------------------------- public API


def live_volumes(installation, partner, *, period: Period | None = None) -> LiveVolumes:
    """PV, GV, OV (and PBV, GBV, OBV) of one partner in the open period, fresh.

    `installation` and `partner` may be model instances or primary keys. `period` picks
    another open period (for instance last month, still open for late orders); by
    default the one new entries go to now.
    """
    partner_id = _pk(partner)
    return live_volumes_bulk(installation, [partner_id], period=period)[partner_id]


def live_volumes_bulk(installation, partners: Iterable, *, period: Period | None = None, with_ov: bool = True) -> dict[int, LiveVolumes]:
    """`live_volumes` of many partners from one refresh: {partner id: LiveVolumes}.

    `with_ov=False` skips the plan computation (OV = GV in the result, `ov_basis`
    "gv"): for lists that show PV and GV only.
    """
    installation_id = _pk(installation)
    partner_ids = [_pk(partner) for partner in partners]
    if connection.in_atomic_block and not SHARE_INSIDE_TRANSACTIONS:
        # Inside a transaction its own uncommitted entries are visible and may still be
        # rolled back: they must not reach the state shared by the process. A private
        # state is built for this call (correct, but it loads the whole network).
        state = State(installation_id, period, shared=False)
        state.refresh(requested_at=time.monotonic())
        return _figures(state, partner_ids, with_ov=with_ov)
    state = _state_for(installation_id, period)
    with state.lock:
        state.refresh(requested_at=time.monotonic())
        return _figures(state, partner_ids, with_ov=with_ov)


@contextmanager
def refreshed_state(installation, *, period: Period | None = None, always_shared: bool = False):
    """The live state, brought up to date and held (locked) for the `with` block: for
    readers that need the whole network at once (downline pages, next-rank reports).
    Read only. Attributes: `network` (engine `Network`; partner ordinal = node index,
    ascending with the partner's pk), `partner_node` ({partner pk: ordinal}),
    `period_id`, `period_start`, `as_of`, `valid_until` (the next moment the shares in
    force change); `all_figures(with_ov)` gives the figures by ordinal
    (hundredths: `pv`, `gv`, `ov`, `pbv`, `gbv`, `obv`; `qualified`, `rank`,
    `rank_codes` with a plan). Inside a transaction the state is private (see
    `live_volumes_bulk`), unless `always_shared`: then it is the process's shared state
    there too (`periods.next_rank` asks for it: the downline index and the next-rank
    reports have always read the shared state, and a private one loads the whole
    network for every call)."""
    installation_id = _pk(installation)
    if not always_shared and connection.in_atomic_block and not SHARE_INSIDE_TRANSACTIONS:
        state = State(installation_id, period, shared=False)
        state.refresh(requested_at=time.monotonic())
        yield state
        return
    state = _state_for(installation_id, period)
    with state.lock:
        state.refresh(requested_at=time.monotonic())
        yield state


def invalidate(installation_id: int | None = None) -> None:
    """Forget the in-memory state (of one installation, or all). Needed only after
    writing network rows without the network's actions (tests, data repairs): the
    actions record every change in `NetworkChange`, which the refresh follows."""
    with _states_lock:
        if installation_id is None:
            _states.clear()
        else:
            for key in [key for key in _states if key[0] == installation_id]:
                del _states[key]


# ---------------------------------------------------------------------------- state registry


_states: OrderedDict[tuple[int, int | None], State] = OrderedDict()
_states_lock = threading.Lock()


def _pk(value) -> int:
    return int(getattr(value, "pk", value))


def _state_for(installation_id: int, period: Period | None) -> State:
    if period is not None:
        if period.installation_id != installation_id:
            raise LiveVolumeError("The period belongs to another installation.")
        key = (installation_id, period.pk)
    else:
        key = (installation_id, None)  # "the current period": resolved on every refresh
    with _states_lock:
        state = _states.get(key)
        if state is None:
            state = _states[key] = State(installation_id, period)
            while len(_states) > MAX_STATES:
                _states.popitem(last=False)
        _states.move_to_end(key)
        return state


# ---------------------------------------------------------------------------- figures


def _figures(state: State, partner_ids: list[int], *, with_ov: bool) -> dict[int, LiveVolumes]:
    """`LiveVolumes` of these partners from a refreshed state the caller holds."""
    missing = [pk for pk in partner_ids if pk not in state.partner_node]
    if missing:
        raise LiveVolumeError(f"Partner {missing[0]} is not in the network of installation {state.installation_id}.")
    rollup = state.all_figures(with_ov)
    result = {}
    for pk in partner_ids:
        i = state.partner_node[pk]
        with_plan = with_ov and rollup.qualified is not None
        ov, obv = (rollup.ov, rollup.obv) if with_ov else (rollup.gv, rollup.gbv)
        rank = int(rollup.rank[i]) if with_plan else -1
        result[pk] = LiveVolumes(
            partner_id=pk,
            period_id=state.period_id,
            period_starts_on=state.period_start,
            pv=_hundredths(rollup.pv[i]),
            gv=_hundredths(rollup.gv[i]),
            ov=_hundredths(ov[i]),
            pbv=_hundredths(rollup.pbv[i]),
            gbv=_hundredths(rollup.gbv[i]),
            obv=_hundredths(obv[i]),
            ov_basis=rollup.ov_basis if with_ov else OVBasis.GV,
            qualified=bool(rollup.qualified[i]) if with_plan else None,
            rank=rollup.rank_codes[rank] if with_plan and rank >= 0 else None,
            as_of=state.as_of,
            ov_as_of=(rollup.ov_as_of or state.as_of) if with_ov else state.as_of,
        )
    return result


def _hundredths(value) -> Decimal:
    return shown_volume(value, SHOWN_VOLUME_PLACES)
