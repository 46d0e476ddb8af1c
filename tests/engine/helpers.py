"""Builders for plans and networks in the engine tests, and the two implementations.

A test writes a network as a few calls::

    net = Network()
    net.partner("A")
    net.partner("B", sponsor="A", care="C", share="0.3")
    net.customer("c1", sponsor="B")
    net.volume("c1", "100")            # pv = bv = 100
    result = simulate(plan(...), *net.files())
"""

from __future__ import annotations

import copy

from tests.engine.reference import reference_simulate

IMPLEMENTATIONS = ("reference", "engine")


def implementation(name):
    """``simulate`` of the reference or of the engine (imported late: it may not exist)."""
    if name == "reference":
        return reference_simulate
    from saleor_mlm.engine import simulate

    return simulate


def run(simulate, plan_data, partner_rows, volume_rows):
    """Run an implementation on copies, so that neither can see the other's mutations."""
    return simulate(
        copy.deepcopy(plan_data), copy.deepcopy(partner_rows), copy.deepcopy(volume_rows)
    )


def rank(code, **requirements):
    """A rank entry of a plan: ``rank("manager", min_pv=100, difference_rate="0.12")``."""
    return {"code": code, **requirements}


def plan(
    ranks,
    *,
    active_min_pv="0",
    compression="dynamic",
    breakaway_rank=None,
    customer_rate="0",
    level_rates=(),
    generation_rates=(),
    currency="EUR",
):
    data = {
        "name": "Test plan",
        "currency": currency,
        "active_min_pv": active_min_pv,
        "compression": compression,
        "bonuses": {
            "customer_rate": customer_rate,
            "level_rates": list(level_rates),
            "generation_rates": list(generation_rates),
        },
        "ranks": list(ranks),
    }
    if breakaway_rank is not None:
        data["breakaway_rank"] = breakaway_rank
    return data


class Network:
    """partners.csv and volumes.csv rows, built one node at a time."""

    def __init__(self):
        self.partner_rows: list[dict[str, str]] = []
        self.volume_rows: list[dict[str, str]] = []

    def partner(self, id, sponsor="", care="", share="", status="active", career=""):
        self.partner_rows.append(
            {
                "id": id,
                "kind": "partner",
                "sponsor_id": sponsor,
                "care_id": care,
                "care_share": share,
                "status": status,
                "career_rank": career,
            }
        )
        return self

    def customer(self, id, sponsor="", care="", share=""):
        self.partner_rows.append(
            {
                "id": id,
                "kind": "customer",
                "sponsor_id": sponsor,
                "care_id": care,
                "care_share": share,
                "status": "",
                "career_rank": "",
            }
        )
        return self

    def volume(self, node, pv, bv=None):
        """One volume row; ``bv`` defaults to ``pv``."""
        self.volume_rows.append({"node_id": node, "pv": pv, "bv": pv if bv is None else bv})
        return self

    def files(self):
        return self.partner_rows, self.volume_rows


def column(result, key):
    """``{partner id: value}`` of a result field ("pv", "rank", ...) or bonus ("level", ...)."""
    out = {}
    for partner_id, figures in result["partners"].items():
        out[partner_id] = figures["bonuses"][key] if key in figures["bonuses"] else figures[key]
    return out
