"""The whole engine is exact to the cent: fast path, exact path and fractions agree.

* ``exact=True`` computes with Python integers only;
* ``arithmetic=FixedPoint(4, 6)`` forces a fast path so short that many decisions are
  ambiguous, so that the fallback to the exact path is exercised on every network;
* small networks are also checked against the literal walk reference
  (``tests/engine/reference.py``), larger and deeper ones against fractions for PV and GV.
"""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from saleor_mlm.engine import (
    PARTNER_COLUMNS,
    VOLUME_COLUMNS,
    compute,
    explain,
    next_rank,
    parse_plan,
    read_partners,
    read_volumes,
    rollup_volumes,
    row_chunks,
)
from saleor_mlm.engine.fixedpoint import FixedPoint
from tests.engine.reference import reference_simulate, round_floor

TINY = FixedPoint(4, 6)
SHARES = ["0.333333", "0.666667", "0.5", "0.000001", "0.999999", "0.3", "0.25", "1", "0"]
VOLUMES = ["12.50", "-12.50", "0.10", "0.30", "0.05", "33.33", "66.67", "100", "0.005", "-0.0050", "1234.5678"]


def case(seed, partners=40, customers=25, depth_bias=0.0, shares=SHARES, volumes=VOLUMES):
    """A random plan and network (rows in file order) with adversarial numbers."""
    rng = np.random.default_rng(seed)
    ranks = []
    rate = 0
    for index in range(int(rng.integers(1, 5))):
        rate += int(rng.integers(0, 3)) * 10_000 + int(rng.integers(0, 2)) * 3_333
        data = {"code": f"r{index}", "difference_rate": f"{rate / 1e6:.6f}"}
        if rng.random() < 0.5:
            data["min_pv"] = str(rng.choice(["0.1", "0.3", "12.5", "50", "33.333333"]))
        if rng.random() < 0.6:
            data["min_gv"] = str(rng.choice(["0.3", "50", "100.005", "333.333333"]))
            if rng.random() < 0.5:
                data["max_leg_share"] = str(rng.choice(["0.3", "0.5", "0.666667"]))
        if rng.random() < 0.4:
            data["min_ov"] = str(rng.choice(["0.2", "40", "66.67"]))
        if index and rng.random() < 0.4:
            data["min_legs"] = {"count": int(rng.integers(1, 3)), "rank": f"r{int(rng.integers(0, index + 1))}"}
        if rng.random() < 0.7:
            data["level_depth"] = int(rng.integers(0, 6))
        if rng.random() < 0.8:
            data["generation_depth"] = int(rng.integers(1, 4))
        data["advancement_bonus"] = str(rng.choice(["0", "12.345", "100.00"]))
        ranks.append(data)
    codes = [r["code"] for r in ranks]
    rate_choices = ["0.05", "0.03", "0.333333", "0.015", "0.125", "0.000001"]
    plan = {
        "currency": str(rng.choice(["EUR", "JPY", "KWD"])),
        "active_min_pv": str(rng.choice(["0", "0.3", "10", "0.15"])),
        "compression": str(rng.choice(["dynamic", "none"])),
        "bonuses": {
            "customer_rate": str(rng.choice(rate_choices)),
            "level_rates": [str(rng.choice(rate_choices)) for _ in range(int(rng.integers(0, 7)))],
            "generation_rates": [str(rng.choice(rate_choices)) for _ in range(int(rng.integers(0, 4)))],
        },
        "ranks": ranks,
    }
    if rng.random() < 0.7:
        plan["breakaway_rank"] = str(rng.choice(codes))
    names = [f"n{k}" for k in rng.permutation(partners + customers)]
    rows = []
    for index, name in enumerate(names):
        is_partner = index < partners
        earlier = names[: min(index, partners)]
        sponsor = care = share = ""
        if earlier and rng.random() < 0.95:
            # with depth_bias, prefer the latest partners: deep chains
            pick = int(len(earlier) * (1 - rng.random() ** (1 + depth_bias * 10))) if depth_bias else int(rng.integers(0, len(earlier)))
            sponsor = earlier[min(pick, len(earlier) - 1)]
        if earlier and rng.random() < 0.35:
            care = earlier[int(rng.integers(max(0, len(earlier) - 3) if depth_bias else 0, len(earlier)))]
            share = str(rng.choice(shares))
        rows.append(
            {
                "id": name,
                "kind": "partner" if is_partner else "customer",
                "sponsor_id": sponsor,
                "care_id": care,
                "care_share": share,
                "status": str(rng.choice(["active"] * 6 + ["inactive", "terminated"])) if is_partner else "",
                "career_rank": str(rng.choice([""] * 3 + codes)) if is_partner else "",
            }
        )
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    volume_rows = [
        {"node_id": name, "pv": str(rng.choice(volumes)), "bv": str(rng.choice(volumes))}
        for name in names
        for _ in range(int(rng.integers(0, 3)))
    ]
    return plan, rows, volume_rows


def run(plan_data, partner_rows, volume_rows, **options):
    plan = parse_plan(plan_data)
    network, career = read_partners(row_chunks(partner_rows, "partners.csv", PARTNER_COLUMNS), plan)
    volumes = read_volumes(row_chunks(volume_rows, "volumes.csv", VOLUME_COLUMNS), network)
    result = compute(plan, network, volumes, career, **options)
    return plan, network, volumes, result


@pytest.mark.parametrize("seed", range(40))
def test_fast_tiny_and_exact_paths_agree(seed):
    data = case(seed, depth_bias=0.5 if seed % 2 else 0.0)
    fast = run(*data)[3]
    tiny = run(*data, arithmetic=TINY)[3]
    exact = run(*data, exact=True)[3]
    assert fast.to_dict() == exact.to_dict()
    assert tiny.to_dict() == exact.to_dict()
    assert tiny.exact_partners >= fast.exact_partners


def test_the_fallback_is_exercised():
    resolved = sum(run(*case(seed), arithmetic=TINY)[3].exact_partners for seed in range(10))
    assert resolved > 0


@pytest.mark.parametrize("seed", range(25))
def test_tiny_arithmetic_equals_the_walk_reference(seed):
    data = case(100 + seed, partners=9, customers=5)
    assert run(*data, arithmetic=TINY)[3].to_dict() == reference_simulate(*data)


def fractions_pv_gv(partner_rows, volume_rows):
    """PV and GV of every partner by the recursive definitions, in fractions."""
    own = {}
    for row in volume_rows:
        own[row["node_id"]] = own.get(row["node_id"], 0) + Fraction(row["pv"])
    edges = {}
    for row in partner_rows:
        share = Fraction(row["care_share"]) if row["care_id"] and row["care_share"] else None
        out = []
        if row["sponsor_id"]:
            out.append((row["sponsor_id"], 1 - share if share is not None else Fraction(1)))
        if share is not None:
            out.append((row["care_id"], share))
        edges[row["id"]] = (row["kind"], out)
    pv = {n: own.get(n, Fraction(0)) for n, (kind, _) in edges.items() if kind == "partner"}
    for node, (kind, out) in edges.items():
        if kind == "customer":
            for target, weight in out:
                pv[target] += weight * own.get(node, Fraction(0))
    below = {p: [] for p in pv}
    for node, (kind, out) in edges.items():
        if kind == "partner":
            for target, weight in out:
                below[target].append((node, weight))
    memo = {}

    def group(p):
        if p not in memo:
            memo[p] = pv[p] + sum((w * group(q) for q, w in below[p]), Fraction(0))
        return memo[p]

    return pv, {p: group(p) for p in pv}


def half_up(value: Fraction, places=2) -> str:
    scaled = abs(value) * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    text = str(units).rjust(places + 1, "0")
    text = text[:-places] + "." + text[-places:]
    return "-" + text if value < 0 and units else text


@pytest.mark.parametrize("seed", range(6))
def test_thirds_through_deep_care_chains(seed):
    # A chain of 60 partners, each also cared for by the one two above with a third:
    # walk weights need hundreds of decimal places; the reference would enumerate 10^12 walks.
    rng = np.random.default_rng(seed)
    rows, volumes = [], []
    for k in range(60):
        care = f"p{k - 2}" if k >= 2 else ""
        rows.append({"id": f"p{k}", "kind": "partner", "sponsor_id": f"p{k - 1}" if k else "",
                     "care_id": care, "care_share": str(rng.choice(["0.333333", "0.666667"])) if care else "",
                     "status": "active", "career_rank": ""})  # fmt: skip
        volumes.append({"node_id": f"p{k}", "pv": str(rng.choice(["0.10", "33.33", "66.67", "0.005"])), "bv": "12.50"})
    pv, gv = fractions_pv_gv(rows, volumes)
    plan = {
        "currency": "EUR",
        "compression": "none",
        "breakaway_rank": "r1",
        "bonuses": {"customer_rate": "0.05", "level_rates": ["0.01"] * 20, "generation_rates": ["0.03", "0.02"]},
        "ranks": [
            {"code": "r0", "difference_rate": "0.03"},
            {"code": "r1", "min_gv": half_up(gv["p30"]), "difference_rate": "0.05", "generation_depth": 2},
        ],
    }
    _, _, _, fast = run(plan, rows, volumes)
    exact = run(plan, rows, volumes, exact=True)[3]
    assert fast.to_dict() == exact.to_dict()
    figures = fast.to_dict()["partners"]
    assert {p: figures[p]["gv"] for p in gv} == {p: round_floor(v, 2) for p, v in gv.items()}
    assert {p: figures[p]["pv"] for p in pv} == {p: round_floor(v, 2) for p, v in pv.items()}
    for p, value in gv.items():  # ranks decided on the exact GV
        expected = "r1" if value >= Fraction(plan["ranks"][1]["min_gv"]) else "r0"
        assert figures[p]["rank"] == expected


def test_large_magnitudes_take_the_exact_path():
    rows = [
        {"id": "a", "kind": "partner", "sponsor_id": "", "care_id": "", "care_share": "", "status": "active", "career_rank": ""},
        {"id": "b", "kind": "partner", "sponsor_id": "a", "care_id": "", "care_share": "", "status": "active", "career_rank": ""},
        {"id": "c", "kind": "customer", "sponsor_id": "b", "care_id": "a", "care_share": "0.333333", "status": "", "career_rank": ""},
    ]  # fmt: skip
    volumes = [{"node_id": n, "pv": "99999999999.9999", "bv": "-99999999999.9995"} for n in "abc" for _ in range(50)]
    plan = {"currency": "EUR", "bonuses": {"customer_rate": "0.05", "level_rates": ["0.05"]},
            "ranks": [{"code": "r", "difference_rate": "0.1"}]}  # fmt: skip
    result = run(plan, rows, volumes)[3]
    pv, gv = fractions_pv_gv(rows, volumes)
    figures = result.to_dict()["partners"]
    assert figures["a"]["gv"] == round_floor(gv["a"], 2)
    assert figures["b"]["pv"] == round_floor(pv["b"], 2)
    bv_c = 50 * Fraction("-99999999999.9995")
    assert figures["b"]["bonuses"]["customer"] == half_up(Fraction("0.05") * Fraction("0.666667") * bv_c)


def test_volume_rollup_equals_compute():
    for seed in range(5):
        plan, network, volumes, result = run(*case(seed, partners=300, customers=200))
        rollup = rollup_volumes(network, volumes.own_pv, volumes.own_bv)
        assert rollup.gv.tolist() == result.gv.tolist()
        assert rollup.pv.tolist() == result.pv.tolist()
        assert rollup.gbv.tolist() == result.gbv.tolist()
        tiny = rollup_volumes(network, volumes.own_pv, volumes.own_bv, exact=True)
        assert tiny.gv.tolist() == result.gv.tolist()


# ----------------------------------------------------------------------- statement lines


def rounded(value: Decimal, places: int) -> int:
    return round_half_up(Fraction(value) * 10**places)


def round_half_up(value: Fraction) -> int:
    units = (2 * abs(value.numerator) + value.denominator) // (2 * value.denominator)
    return -units if value < 0 else units


@pytest.mark.parametrize("seed", range(12))
def test_statement_lines_sum_to_every_bonus(seed):
    plan, network, volumes, result = run(*case(200 + seed, partners=30, customers=20))
    places = plan.minor_digits
    for ordinal, partner in enumerate(network.partner_ids):
        lines = explain(plan, network, volumes, result, partner)
        for kind, amounts in result.bonuses.items():
            total = sum((Fraction(line.amount) for line in lines if line.kind == kind), Fraction(0))
            assert round_half_up(total * 10**places) == int(amounts[ordinal]), (partner, kind)
        for line in lines:
            if line.volume is not None:
                assert Fraction(line.amount) == Fraction(line.volume) * Fraction(line.rate)


def test_statement_lines_of_a_split():
    # B -> A; C -> B with Betreuer A (0.3); customer c1 -> C. PV = BV.
    rows = [
        ("A", "partner", "", "", ""), ("B", "partner", "A", "", ""),
        ("C", "partner", "B", "A", "0.3"), ("c1", "customer", "C", "", ""),
    ]  # fmt: skip
    partner_rows = [
        {"id": i, "kind": k, "sponsor_id": s, "care_id": c, "care_share": sh,
         "status": "active" if k == "partner" else "", "career_rank": ""}
        for i, k, s, c, sh in rows
    ]  # fmt: skip
    volume_rows = [{"node_id": n, "pv": v, "bv": v} for n, v in (("A", "100"), ("B", "60"), ("C", "70"), ("c1", "12.50"))]
    plan_data = {
        "currency": "EUR", "active_min_pv": 50,
        "bonuses": {"customer_rate": "0.05", "level_rates": ["0.05", "0.03"]},
        "ranks": [{"code": "partner", "difference_rate": "0.03", "level_depth": 1}],
    }  # fmt: skip
    plan, network, volumes, result = run(plan_data, partner_rows, volume_rows)
    lines = explain(plan, network, volumes, result, "A")
    described = [(line.kind, line.source, line.level, str(line.volume), str(line.rate), str(line.amount)) for line in lines]
    assert sorted(described) == [
        ("difference", "A", None, "100.00", "0.03", "3.00"),
        ("level", "B", 1, "60.00", "0.05", "3.00"),
        # C's volume reaches A through the care edge at level 1 (0.3 * 82.50) and
        # through B at level 2, which A's level_depth 1 does not pay.
        ("level", "C", 1, "24.75", "0.05", "1.2375"),
    ]
    assert result.bonuses["level"][0] == 424  # 4.2375 -> 4.24
    customer = explain(plan, network, volumes, result, "C")
    assert [(line.kind, line.source, str(line.amount)) for line in customer if line.kind == "customer"] == [
        ("customer", "c1", "0.625")
    ]


def test_diamonds_of_thirds_meet_a_rounding_tie_exactly():
    # m -> n (2/3) and m -> c (1/3); n and c each -> p (2/3) and -> q (1/3); p, q -> r.
    # GV(r) = 0.0100 * (2/3 + 1/3)^2 = 0.01 exactly, a boundary of the floor to hundredths
    # (0.01 or 0.00 a hair below), but the four walk terms need 16 decimal places: the
    # tiny arithmetic cannot decide it alone.
    def partner(i, sponsor="", care="", share=""):
        return {"id": i, "kind": "partner", "sponsor_id": sponsor, "care_id": care,
                "care_share": share, "status": "active", "career_rank": ""}  # fmt: skip

    rows = [
        partner("r"), partner("p", "r"), partner("q", "r"),
        partner("n", "p", "q", "0.333333"), partner("c", "p", "q", "0.333333"),
        partner("m", "n", "c", "0.333333"),
    ]  # fmt: skip
    volumes = [{"node_id": "m", "pv": "0.0100", "bv": "0.0100"}]
    plan = {"currency": "EUR", "bonuses": {"level_rates": ["1"]}, "compression": "none",
            "ranks": [{"code": "r0", "min_gv": "0.01"}]}  # fmt: skip
    tiny = run(plan, rows, volumes, arithmetic=TINY)[3]
    assert tiny.exact_partners > 0
    assert tiny.to_dict() == run(plan, rows, volumes, exact=True)[3].to_dict()
    figures = tiny.to_dict()["partners"]["r"]
    assert figures["gv"] == "0.01" and figures["rank"] == "r0"


@pytest.mark.parametrize("seed", range(12))
def test_next_rank_report_agrees_with_the_ranks(seed):
    plan, network, volumes, result = run(*case(300 + seed, partners=30, customers=20))
    for ordinal, partner in enumerate(network.partner_ids):
        report = next_rank(plan, network, volumes, result, partner)
        paid = int(result.rank[ordinal])
        if report is None:
            assert paid == len(plan.ranks) - 1
            continue
        assert report.rank == plan.ranks[paid + 1].code
        assert report.qualified == bool(result.qualified[ordinal])
        # the paid-as rank is the highest that holds: the next one cannot hold
        assert not (report.qualified and all(r.met for r in report.requirements))
        figures = {r.key: r for r in report.requirements}
        if "min_pv" in figures:
            assert math.floor(Fraction(figures["min_pv"].actual) * 100) == int(result.pv[ordinal])
        if "min_ov" in figures:
            assert math.floor(Fraction(figures["min_ov"].actual) * 100) == int(result.ov[ordinal])
        rank = plan.ranks[paid + 1]
        if "min_gv" in figures and rank.max_leg_share is None:
            assert math.floor(Fraction(figures["min_gv"].actual) * 100) == int(result.gv[ordinal])
        assert set(figures) == {
            key for key in ("min_pv", "min_gv", "min_ov") if getattr(rank, key) is not None
        } | ({"min_legs"} if rank.min_legs else set())


def test_fast_equals_exact_on_a_benchmark_shaped_network():
    # 20,000 partners shaped like the benchmark's (huge frontlines, 15 % care relations
    # with shares 0.2 .. 0.5, refunds): every figure of every partner agrees.
    import importlib.util
    import os

    path = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "engine.py")
    spec = importlib.util.spec_from_file_location("engine_benchmark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = bench.generate(20_000, seed=7)
    plan = parse_plan(bench.PLAN)
    from saleor_mlm.engine import Network, Volumes

    network = Network.from_arrays(
        bench.Ids(20_000, data["is_partner"].size - 20_000), data["is_partner"],
        data["sponsor"], data["care"], data["share"], data["status"],
    )  # fmt: skip
    volumes = Volumes.from_rows(network, data["rows_node"], data["rows_pv"] * 100, data["rows_bv"] * 100)
    fast = compute(plan, network, volumes, data["career"])
    exact = compute(plan, network, volumes, data["career"], exact=True)
    for key in ("pv", "gv", "ov", "pbv", "gbv", "obv", "rank", "career_rank", "total"):
        assert getattr(fast, key).tolist() == getattr(exact, key).tolist(), key
    for kind, amounts in fast.bonuses.items():
        assert amounts.tolist() == exact.bonuses[kind].tolist(), kind
    assert (fast.rank >= 3).sum() > 0  # breakaways, so generation bonuses, exist
