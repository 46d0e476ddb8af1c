"""Rank overrides: a paid-as rank set by the company, seen by the partner and its upline."""

import numpy as np
import pytest

from saleor_mlm.engine import NO_OVERRIDE, compute, explain
from tests.engine.test_engine_exactness import TINY, case, run

# Arrows point upwards. Q -> P, R -> Q; everyone 100 PV = BV; plan: partner (3 %),
# manager (min_pv 500, 10 %, breakaway, generation 1 at 5 %).
PLAN = {
    "currency": "EUR",
    "breakaway_rank": "manager",
    "bonuses": {"level_rates": ["0.05", "0.04"], "generation_rates": ["0.05"]},
    "ranks": [
        {"code": "partner", "difference_rate": "0.03"},
        {"code": "manager", "min_pv": 500, "difference_rate": "0.10", "generation_depth": 1,
         "advancement_bonus": "100.00"},
    ],
}  # fmt: skip


def rows():
    partners = [
        {"id": i, "kind": "partner", "sponsor_id": s, "care_id": "", "care_share": "",
         "status": st, "career_rank": ""}
        for i, s, st in (("P", "", "active"), ("Q", "P", "active"), ("R", "Q", "active"), ("X", "P", "inactive"))
    ]  # fmt: skip
    volumes = [{"node_id": n, "pv": "100", "bv": "100"} for n in "PQRX"]
    return PLAN, partners, volumes


def overridden(**ranks):
    """Override array by partner ordinal (P, Q, R, X)."""
    return np.array([ranks.get(p, NO_OVERRIDE) for p in "PQRX"], np.int64)


def test_an_override_is_the_paid_as_rank_for_the_partner_and_its_upline():
    plan, network, volumes, plain = run(*rows())
    assert plain.rank.tolist() == [0, 0, 0, -1]
    _, _, _, result = run(*rows(), rank_override=overridden(Q=1))
    figures = result.to_dict()["partners"]
    assert result.rank.tolist() == [0, 1, 0, -1]
    assert result.calculated_rank.tolist() == [0, 0, 0, -1]
    assert figures["Q"]["career_rank"] == "manager"
    assert figures["Q"]["bonuses"]["advancement"] == "100.00"
    # Q at 10 %: own 100 and R's 100 at the difference 10 % - 3 %
    assert figures["Q"]["bonuses"]["difference"] == "17.00"
    # The upline sees Q as a breakaway: P's open volume drops Q's line (200 + X's 100 stays)
    assert figures["P"]["ov"] == "200.00" and figures["P"]["gv"] == "400.00"
    # and as a 10 % rate met on the walks from Q and R: P (3 %) earns no difference on them
    assert figures["P"]["bonuses"]["difference"] == "6.00"  # own 100 and X's 100 at 3 %
    lines = explain(plan, network, volumes, result, "Q")
    assert sum(line.amount for line in lines if line.kind == "difference") == 17


def test_an_override_never_makes_an_unqualified_partner_earn():
    _, _, _, result = run(*rows(), rank_override=overridden(X=1))
    assert result.rank.tolist()[3] == -1
    assert result.to_dict()["partners"]["X"]["total"] == "0.00"


def test_an_override_can_take_the_rank_away():
    _, _, _, result = run(*rows(), rank_override=overridden(P=-1))
    figures = result.to_dict()["partners"]["P"]
    assert figures["rank"] is None and figures["total"] == "0.00"
    assert result.calculated_rank.tolist()[0] == 0


def test_invalid_overrides_are_refused():
    plan, network, volumes, _ = run(*rows())
    with pytest.raises(ValueError):
        compute(plan, network, volumes, rank_override=[0, 2, 0, 0])


@pytest.mark.parametrize("seed", range(10))
def test_overrides_reach_the_exact_path(seed):
    data = case(400 + seed)
    plan, network, _, _ = run(*data)
    rng = np.random.default_rng(seed)
    override = np.where(
        rng.random(network.n_partners) < 0.3,
        rng.integers(-1, len(plan.ranks), network.n_partners),
        NO_OVERRIDE,
    )
    fast = run(*data, rank_override=override)[3]
    assert fast.to_dict() == run(*data, rank_override=override, exact=True)[3].to_dict()
    assert fast.to_dict() == run(*data, rank_override=override, arithmetic=TINY)[3].to_dict()
    applied = (override != NO_OVERRIDE) & fast.qualified
    assert (fast.rank[applied] == override[applied]).all()
    assert (fast.rank[~applied] == fast.calculated_rank[~applied]).all()
