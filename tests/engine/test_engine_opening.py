"""The opening of a statement (engine.opening) has exactly the lines of ``explain``, and
its group totals are the exact sums of those lines."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from saleor_mlm.engine import explain
from saleor_mlm.engine.opening import BONUS_CODES, StatementNetwork, Sum
from saleor_mlm.engine.plan import to_units
from tests.engine.test_engine_exactness import SHARES, case, run

# Shares with up to six digits: walks with four or more splits need more than the 18
# digits of the fast weights, so the error bounds are exercised too.
DEEP_SHARES = ["0.333333", "0.666667", "0.123457", "0.5"]


def statement_network(plan, network, volumes, result, partner_rows):
    ordinal = {name: i for i, name in enumerate(network.partner_ids)}
    customers = [row for row in partner_rows if row["kind"] == "customer"]
    by_id = {row["id"]: row for row in partner_rows}
    node = network.index()

    def parents(rows):
        sponsor = [ordinal[row["sponsor_id"]] if row["sponsor_id"] else -1 for row in rows]
        care = [ordinal[row["care_id"]] if row["care_id"] else -1 for row in rows]
        share = [to_units(Decimal(row["care_share"]), 6) if row["care_id"] and row["care_share"] else 0 for row in rows]
        return np.array(sponsor, np.int64), np.array(care, np.int64), np.array(share, np.int64)

    partners = [by_id[name] for name in network.partner_ids]
    sponsor, care, share = parents(partners)
    c_sponsor, c_care, c_share = parents(customers)
    return StatementNetwork(
        plan,
        sponsor=sponsor, care=care, share=share,
        own_bv=volumes.own_bv[[node[row["id"]] for row in partners]],
        customer_sponsor=c_sponsor, customer_care=c_care, customer_share=c_share,
        customer_bv=volumes.own_bv[[node[row["id"]] for row in customers]] if customers else np.zeros(0, np.int64),
        rank=result.rank, qualified=result.qualified, previous_career=result.previous_career_rank,
    ), [row["id"] for row in customers]  # fmt: skip


def keys_of(opening, network, customer_ids):
    keys = []
    rows = opening.rows(0, len(opening))
    for kind, source, level, rate in zip(opening.kind[rows].tolist(), opening.source[rows].tolist(), opening.level[rows].tolist(), opening.rate[rows].tolist()):
        name = customer_ids[source] if BONUS_CODES[kind] == "customer" else network.partner_ids[source]
        keys.append((BONUS_CODES[kind], name, level or None, rate if BONUS_CODES[kind] != "advancement" else None))
    return keys


def check(seed, **options):
    plan_data, partner_rows, volume_rows = case(seed, **options)
    plan, network, volumes, result = run(plan_data, partner_rows, volume_rows)
    prepared, customer_ids = statement_network(plan, network, volumes, result, partner_rows)
    inexact = 0
    for ordinal, partner in enumerate(network.partner_ids):
        lines = explain(plan, network, volumes, result, partner)
        opening = prepared.opening(ordinal)
        expected = [(line.kind, line.source, line.level, to_units(line.rate, 6) if line.rate is not None else None) for line in lines]
        assert sorted(keys_of(opening, network, customer_ids), key=repr) == sorted(expected, key=repr), partner
        sums = defaultdict(lambda: [0, Decimal(0)])
        for line in lines:
            key = (line.kind, line.level if line.kind in ("level", "generation") else None, to_units(line.rate, 6) if line.kind != "advancement" else None)
            sums[key][0] += 1
            sums[key][1] += line.amount
        assert {(g.kind, g.level, g.rate): g.count for g in opening.groups} == {key: value[0] for key, value in sums.items()}
        for group in opening.groups:
            exact = sums[(group.kind, group.level, group.rate)][1].quantize(Decimal("1e-8"), rounding=ROUND_HALF_UP)
            assert group.amount.decimal(8) in (exact, None), (partner, group)
            inexact += group.amount.error > 0
        # statement order: amounts descending; the first page selected before sorting
        # is the start of the whole order, also of one bonus
        rows = opening.rows(0, len(opening))
        assert (np.diff(opening.amount[rows]) <= 0).all()
        assert sorted(rows.tolist()) == list(range(len(opening)))
        for kind in (None, "level", "difference"):
            whole = opening.rows(0, len(opening), kind)
            assert opening.rows(1, 3, kind).tolist() == whole[1:3].tolist()
            assert opening.rows(2, 5, kind).tolist() == whole[2:5].tolist()
    return inexact


@pytest.mark.parametrize("seed", range(30))
def test_opening_has_the_lines_of_explain(seed):
    check(300 + seed, partners=30, customers=20)


@pytest.mark.parametrize("seed", range(6))
def test_opening_of_deep_split_networks(seed):
    check(400 + seed, partners=60, customers=20, depth_bias=0.8, shares=DEEP_SHARES)


def test_some_deep_walks_need_the_error_bound():
    assert sum(check(400 + seed, partners=60, customers=20, depth_bias=0.8, shares=DEEP_SHARES) for seed in range(6)) > 0
    assert SHARES  # the default shares of the random cases


def test_a_sum_rounds_only_when_its_bound_decides():
    assert Sum(12345, 0, 3).decimal(2) == Decimal("12.35")
    assert Sum(12345, 1, 3).decimal(2) is None  # 12.344 .. 12.346
    assert Sum(123456, 1, 4).decimal(2) == Decimal("12.35")
    # 0.0049999999 .. 0.0050000001 to 8 places is 0.00500000 whatever the value, but
    # its cents are not decided: 0.00 or 0.01
    assert Sum(49999999, 1, 10).decimal(8) == Decimal("0.00500000")
    assert Sum(49999999, 1, 10).decimal(8, cents=2) is None
    assert (Sum(1, 0, 2) + Sum(5, 1, 3)).times(500_000) == Sum(7_500_000, 500_000, 9)
