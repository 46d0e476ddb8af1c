"""The compensation engine: pure Python, numpy and a kernel compiled with numba, no Django
(docs/adr/0002-pure-engine.md, docs/adr/0005-compiled-engine-kernel.md).

Terms are defined where they are used: ``plan`` (the plan document), ``network`` (nodes,
edges, layers; compiled in ``ordering``), ``volumes`` (own and personal volumes),
``propagation`` (the per-node vectors that replace walks, the numpy sweep), ``kernel``
(the same in one compiled pass), ``ranks``, ``bonuses``, ``fixedpoint`` (exact
arithmetic), ``period`` (one computation), ``explain`` (statement lines), ``exchange``
(the files of spec section 6). docs/engine.md explains the design.

Two ways in:

* ``simulate(plan_data, partner_rows, volume_rows) -> dict``: the exchange-file rows in,
  the result JSON of spec section 6 out;
* arrays: ``parse_plan``, ``Network.from_arrays``, ``Volumes.from_rows``, then
  ``compute(plan, network, volumes, previous_career_rank)`` -> ``PeriodResult``,
  ``explain(...)`` -> statement lines of one partner, ``next_rank(...)`` -> the next-rank
  report, ``rollup_volumes`` for live volumes.
"""

from .bonuses import BONUS_KINDS
from .exchange import (
    PARTNER_COLUMNS,
    VOLUME_COLUMNS,
    ExchangeFileError,
    ExchangeFileErrors,
    read_partners,
    read_volumes,
    row_chunks,
)
from .explain import NextRank, Requirement, StatementLine, explain, next_rank
from .network import SHARE_SCALE, CycleError, Network, NetworkError, Status, find_cycles
from .period import PeriodResult, VolumeRollup, compute, rollup_volumes
from .plan import Plan, PlanValidationError, parse_plan
from .ranks import NO_OVERRIDE
from .volumes import VOLUME_PLACES, Volumes

__all__ = [
    "BONUS_KINDS",
    "CycleError",
    "ExchangeFileError",
    "ExchangeFileErrors",
    "Network",
    "NetworkError",
    "NO_OVERRIDE",
    "NextRank",
    "PeriodResult",
    "Plan",
    "PlanValidationError",
    "Requirement",
    "SHARE_SCALE",
    "StatementLine",
    "Status",
    "VOLUME_PLACES",
    "VolumeRollup",
    "Volumes",
    "compute",
    "explain",
    "find_cycles",
    "next_rank",
    "parse_plan",
    "rollup_volumes",
    "simulate",
]


def simulate(plan_data: dict, partner_rows: list[dict], volume_rows: list[dict]) -> dict:
    """Run one period on exchange-file rows and return the result JSON as a dict.

    Parameters
    ----------
    plan_data : dict
        The parsed plan document (spec section 5).
    partner_rows : list of dict
        Rows of ``partners.csv`` (``id, kind, sponsor_id, care_id, care_share, status,
        career_rank``), values as strings, ``""`` for none.
    volume_rows : list of dict
        Rows of ``volumes.csv`` (``node_id, pv, bv``).

    Returns
    -------
    dict
        ``{"currency", "partners": {id: {...}}, "totals": {...}}`` (spec section 6).

    Raises
    ------
    PlanValidationError
        The plan is invalid (the message names the key).
    ExchangeFileError
        A row is invalid (file, line as if the rows were a file with a header, column).

    Examples
    --------
    >>> plan = {"currency": "EUR", "bonuses": {"customer_rate": "0.05"},
    ...         "ranks": [{"code": "partner"}]}
    >>> partners = [
    ...     {"id": "a", "kind": "partner", "sponsor_id": "", "care_id": "", "care_share": "",
    ...      "status": "active", "career_rank": ""},
    ...     {"id": "c", "kind": "customer", "sponsor_id": "a", "care_id": "", "care_share": "",
    ...      "status": "", "career_rank": ""},
    ... ]
    >>> result = simulate(plan, partners, [{"node_id": "c", "pv": "12.50", "bv": "12.50"}])
    >>> result["partners"]["a"]["bonuses"]["customer"]  # 0.05 * 12.50 = 0.625
    '0.63'
    """
    plan = parse_plan(plan_data)
    network, career = read_partners(row_chunks(partner_rows, "partners.csv", PARTNER_COLUMNS), plan)
    volumes = read_volumes(row_chunks(volume_rows, "volumes.csv", VOLUME_COLUMNS), network)
    return compute(plan, network, volumes, career).to_dict()
