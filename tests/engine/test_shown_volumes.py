"""Shown volumes (docs/engine.md "Shown volumes"): hundredths rounded toward minus infinity,
so a threshold of at most 2 decimals is met exactly when the shown figure meets it.

A customer's 99.99 PV split half to its sponsor and half to its Betreuer gives both PV
49.995: half up showed "50.00" beside "not qualified (needs 50)".
"""

import json
from decimal import Decimal

from saleor_mlm.engine import rollup_volumes, simulate
from saleor_mlm.engine.cli import main
from saleor_mlm.engine.volumes import shown_volume, shown_volume_units
from tests.engine.test_engine_cli import files
from tests.engine.test_engine_exactness import run
from tests.engine.test_engine_exchange import rows_of

PLAN = {
    "currency": "EUR",
    "active_min_pv": 50,
    "bonuses": {"customer_rate": "0.05"},
    "ranks": [{"code": "partner", "difference_rate": "0.03"}, {"code": "manager", "min_gv": "100.01", "difference_rate": "0.06"}],
}

# S and B share c1 (99.99 PV: 49.995 each); E has 50 of its own; M sponsors S and E
# (GV 100.005 with S's 49.995 and E's 50: not the 100.01 of manager).
PARTNERS = """id,kind,sponsor_id,care_id,care_share,status,career_rank
M,partner,,,,active,
S,partner,M,,,active,
B,partner,,,,active,
E,partner,M,,,active,
c1,customer,S,B,0.5,,
"""

VOLUMES = """node_id,pv,bv
c1,99.99,99.99
E,50,50
M,0.01,0
"""


def test_simulate_shows_49_995_as_49_99_and_not_qualified(tmp_path):
    assert main(files(tmp_path, PARTNERS, VOLUMES, PLAN)) == 0
    result = json.loads((tmp_path / "result.json").read_text())
    partners = result["partners"]

    assert {p: partners[p]["pv"] for p in "SBE"} == {"S": "49.99", "B": "49.99", "E": "50.00"}
    assert {p: partners[p]["qualified"] for p in "SBE"} == {"S": False, "B": False, "E": True}
    assert partners["M"]["gv"] == "100.00"  # 0.01 + 49.995 + 50 = 100.005
    assert partners["M"]["rank"] is None  # not qualified: PV 0.01 < 50
    assert result["totals"]["pv"] == "150.00"
    assert result == simulate(PLAN, rows_of(PARTNERS), rows_of(VOLUMES))


def test_a_threshold_is_met_exactly_when_the_shown_figure_meets_it():
    # every partner of a network with shares in thirds: qualified <=> shown PV >= 50
    partners = "id,kind,sponsor_id,care_id,care_share,status,career_rank\n"
    volumes = "node_id,pv,bv\n"
    for i in range(40):
        partners += f"p{i},partner,,,,active,\nq{i},partner,,,,active,\nc{i},customer,p{i},q{i},0.333333,,\n"
        volumes += f"c{i},{Decimal('74.99') + Decimal(i) / 1000},0\n"  # PV 49.99.. to 50.03.. for p
    result = simulate(PLAN, rows_of(partners), rows_of(volumes))
    shown = {p: Decimal(figures["pv"]) for p, figures in result["partners"].items()}
    assert {p: figures["qualified"] for p, figures in result["partners"].items()} == {p: pv >= 50 for p, pv in shown.items()}
    assert sorted({result["partners"][f"p{i}"]["qualified"] for i in range(40)}) == [False, True]


def test_live_rollup_floors_as_the_run_does():
    plan, network, volumes, result = run(PLAN, rows_of(PARTNERS), rows_of(VOLUMES))
    rollup = rollup_volumes(network, volumes.own_pv, volumes.own_bv)
    assert rollup.pv.tolist() == result.pv.tolist()
    assert rollup.gv.tolist() == result.gv.tolist()
    assert int(rollup.pv[network.partner_ids.index("S")]) == 4999


def test_shown_volume_is_the_floor_to_hundredths():
    assert [shown_volume(v) for v in (Decimal("49.995"), Decimal("49.9999"), "50", 7, Decimal("-0.001"), None)] == [
        Decimal("49.99"),
        Decimal("49.99"),
        Decimal("50.00"),
        Decimal("7.00"),
        Decimal("-0.01"),
        None,
    ]
    assert shown_volume_units(499_950, 4) == 4999
    assert shown_volume_units(-1, 10) == -1
