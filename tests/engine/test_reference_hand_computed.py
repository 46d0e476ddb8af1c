"""Small literal networks, computed by hand in the comments, pinning reference and engine.

Every test runs twice, once against ``tests.engine.reference.reference_simulate`` and once
against ``saleor_mlm.engine.simulate``; the expected figures are the hand computation.
Arrows in the comments point upwards: ``B -> A`` is an edge from B to its sponsor A.
Unless a test says otherwise, PV = BV for every volume row.
"""

import pytest

from tests.engine.helpers import IMPLEMENTATIONS, Network, column, implementation, plan, rank, run


@pytest.fixture(params=IMPLEMENTATIONS)
def simulate(request):
    return implementation(request.param)


def simulate_net(simulate, plan_data, net):
    return run(simulate, plan_data, *net.files())


# ------------------------------------------------------------------------ customer bonus


def test_customer_bonus_with_split_customers(simulate):
    # customer_rate 10 %, active_min_pv 50.
    # c1 (200): sponsor A, Betreuer B with share 0.25  -> A gets 0.75, B gets 0.25
    # c2 (40):  sponsor A, no Betreuer                 -> A gets 1
    # c3 (100): sponsor C, C is inactive
    # c4 (49.99): sponsor D
    # PV(A) = 0.75*200 + 40 = 190        customer bonus 0.10 * 190 = 19.00
    # PV(B) = 0.25*200      = 50  >= 50  customer bonus 0.10 * 50  =  5.00 (qualified exactly)
    # PV(C) = 100, inactive: not qualified, earns nothing
    # PV(D) = 49.99 < 50: not qualified, earns nothing
    net = Network()
    for partner_id in "ABD":
        net.partner(partner_id)
    net.partner("C", status="inactive")
    net.customer("c1", sponsor="A", care="B", share="0.25").volume("c1", "200")
    net.customer("c2", sponsor="A").volume("c2", "40")
    net.customer("c3", sponsor="C").volume("c3", "100")
    net.customer("c4", sponsor="D").volume("c4", "49.99")
    result = simulate_net(
        simulate, plan([rank("partner")], active_min_pv="50", customer_rate="0.10"), net
    )
    assert column(result, "pv") == {"A": "190.00", "B": "50.00", "C": "100.00", "D": "49.99"}
    assert column(result, "qualified") == {"A": True, "B": True, "C": False, "D": False}
    assert column(result, "customer") == {"A": "19.00", "B": "5.00", "C": "0.00", "D": "0.00"}
    assert column(result, "total") == {"A": "19.00", "B": "5.00", "C": "0.00", "D": "0.00"}
    assert set(result["partners"]) == {"A", "B", "C", "D"}  # customers never listed
    assert result["totals"] == {
        "customer": "24.00",
        "level": "0.00",
        "difference": "0.00",
        "generation": "0.00",
        "advancement": "0.00",
        "total": "24.00",
        "pv": "389.99",
        "bv": "389.99",
        "partners": 4,
        "qualified": 2,
    }
    assert result["currency"] == "EUR"


# --------------------------------------------------------------------------- level bonus

# A chain by sponsor edges: E -> D -> C -> B -> A.
#   A active  200     rank r2 (min_pv 100, every level)
#   B inactive 50     no rank
#   C active   10     rank r1 (level_depth 1)
#   D active  100     rank r2
#   E active 1000     rank r2
# level_rates 10 %, 5 %, 2 %; active_min_pv 10.
LEVEL_PLAN = dict(
    ranks=[rank("r1", level_depth=1), rank("r2", min_pv=100)],
    active_min_pv="10",
    level_rates=["0.10", "0.05", "0.02"],
)


def level_chain():
    net = Network()
    net.partner("A").volume("A", "200")
    net.partner("B", sponsor="A", status="inactive").volume("B", "50")
    net.partner("C", sponsor="B").volume("C", "10")
    net.partner("D", sponsor="C").volume("D", "100")
    net.partner("E", sponsor="D").volume("E", "1000")
    return net


def test_level_bonus_without_compression(simulate):
    # compression none: level = number of edges.
    # D: E->D level 1: 0.10*1000 = 100.00
    # C: D->C level 1: 0.10*100 = 10.00; E->C level 2 beyond C's level_depth 1 -> 10.00
    # B: inactive, earns nothing
    # A: B level 1 0.10*50 = 5.00; C level 2 0.05*10 = 0.50; D level 3 0.02*100 = 2.00;
    #    E level 4 is beyond level_rates -> 7.50
    result = simulate_net(simulate, plan(compression="none", **LEVEL_PLAN), level_chain())
    assert column(result, "rank") == {"A": "r2", "B": None, "C": "r1", "D": "r2", "E": "r2"}
    assert column(result, "level") == {
        "A": "7.50",
        "B": "0.00",
        "C": "10.00",
        "D": "100.00",
        "E": "0.00",
    }


def test_level_bonus_with_dynamic_compression(simulate):
    # compression dynamic: level = 1 + qualified partners strictly between.
    # D: E->D level 1: 100.00
    # C: D level 1: 10.00; E->D->C: D qualified -> level 2, beyond level_depth 1 -> 10.00
    # A: B level 1: 0.10*50 = 5.00
    #    C->B->A: B inactive, skipped -> level 1: 0.10*10 = 1.00
    #    D->C->B->A: C counts, B not -> level 2: 0.05*100 = 5.00
    #    E->D->C->B->A: D, C count -> level 3: 0.02*1000 = 20.00       -> 31.00
    result = simulate_net(simulate, plan(compression="dynamic", **LEVEL_PLAN), level_chain())
    assert column(result, "level") == {
        "A": "31.00",
        "B": "0.00",
        "C": "10.00",
        "D": "100.00",
        "E": "0.00",
    }
    assert column(result, "gv") == {
        "A": "1360.00",
        "B": "1160.00",
        "C": "1110.00",
        "D": "1100.00",
        "E": "1000.00",
    }


def test_level_bonus_counts_qualified_partners_without_rank(simulate):
    # r1 needs min_pv 100 (difference 10 %); active_min_pv 10; customer_rate 10 %;
    # level_rates 10 %, 5 %; dynamic.   Z -> N -> A, customer c (40) -> N.
    # A: 200 -> r1.  N: 50 + 40 = 90, qualified without rank.  Z: 20, same.
    # N earns the customer bonus only: 0.10*40 = 4.00; no level, no difference bonus.
    # A level: N level 1: 0.10*90 = 9.00; Z->N->A: N qualified (rank or not) -> level 2:
    #   0.05*20 = 1.00 -> 10.00
    # A difference: own 0.10*200 = 20; N: rate(N)=0 -> 0.10*90 = 9; Z: 0.10*20 = 2 -> 31.00
    net = Network()
    net.partner("A").volume("A", "200")
    net.partner("N", sponsor="A").volume("N", "50")
    net.partner("Z", sponsor="N").volume("Z", "20")
    net.customer("c", sponsor="N").volume("c", "40")
    plan_data = plan(
        [rank("r1", min_pv=100, difference_rate="0.10")],
        active_min_pv="10",
        customer_rate="0.10",
        level_rates=["0.10", "0.05"],
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "qualified") == {"A": True, "N": True, "Z": True}
    assert column(result, "rank") == {"A": "r1", "N": None, "Z": None}
    assert column(result, "customer") == {"A": "0.00", "N": "4.00", "Z": "0.00"}
    assert column(result, "level") == {"A": "10.00", "N": "0.00", "Z": "0.00"}
    assert column(result, "difference") == {"A": "31.00", "N": "0.00", "Z": "0.00"}
    assert column(result, "total") == {"A": "41.00", "N": "4.00", "Z": "0.00"}


def test_a_split_reaching_the_same_upline_twice_pays_each_walk_at_its_level(simulate):
    # r1 (difference 5 %), r2 min_pv 100 (difference 10 %); level_rates 10 %, 4 %; dynamic;
    # active_min_pv 10.  S 20 -> A 100;  O 50: sponsor S, Betreuer A with share 0.3.
    # Ranks: A r2, S r1, O r1.
    # Level: S: O->S W 0.7 level 1: 0.10*0.7*50 = 3.50
    #        A: S level 1: 0.10*20 = 2.00; O->A (care) W 0.3 level 1: 0.10*0.3*50 = 1.50;
    #           O->S->A W 0.7, S qualified -> level 2: 0.04*0.7*50 = 1.40       -> 4.90
    # Difference: O own 0.05*50 = 2.50; S own 0.05*20 = 1.00, from O m = 0.05 -> 0;
    #   A own 0.10*100 = 10; S: (0.10-0.05)*20 = 1; O->A: 0.05*0.3*50 = 0.75;
    #   O->S->A: m = 0.05 -> 0.05*0.7*50 = 1.75                                 -> 13.50
    net = Network()
    net.partner("A").volume("A", "100")
    net.partner("S", sponsor="A").volume("S", "20")
    net.partner("O", sponsor="S", care="A", share="0.3").volume("O", "50")
    plan_data = plan(
        [rank("r1", difference_rate="0.05"), rank("r2", min_pv=100, difference_rate="0.10")],
        active_min_pv="10",
        level_rates=["0.10", "0.04"],
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "rank") == {"A": "r2", "S": "r1", "O": "r1"}
    assert column(result, "gv") == {"A": "170.00", "S": "55.00", "O": "50.00"}
    assert column(result, "level") == {"A": "4.90", "S": "3.50", "O": "0.00"}
    assert column(result, "difference") == {"A": "13.50", "S": "1.00", "O": "2.50"}


# ---------------------------------------------------------------------- difference bonus


def test_difference_bonus_own_volume_and_blocking(simulate):
    # r1 3 % (no requirement), r2 6 % (min_pv 100), r3 12 % (min_pv 500); active_min_pv 10.
    # Chain E -> D -> C -> B -> A.
    #   A 1000 -> r3 12 %;  B 20 -> r1 3 %;  C 500 -> r3 12 %;  D 100 -> r2 6 %;
    #   E PV 5, BV 200: not qualified, rate 0.
    # E: rate 0 -> nothing.
    # D: own 0.06*100 = 6; from E: m = 0 -> 0.06*200 = 12                      -> 18.00
    # C: own 0.12*500 = 60; D: (0.12-0.06)*100 = 6; E: m = 0.06 -> 0.06*200 = 12 -> 78.00
    # B: own 0.03*20 = 0.60; C, D, E: m >= 0.12 > 0.03 (C blocks)              ->  0.60
    # A: own 0.12*1000 = 120; B: (0.12-0.03)*20 = 1.80; C, D, E: m = 0.12 -> 0 -> 121.80
    net = Network()
    net.partner("A").volume("A", "1000")
    net.partner("B", sponsor="A").volume("B", "20")
    net.partner("C", sponsor="B").volume("C", "500")
    net.partner("D", sponsor="C").volume("D", "100")
    net.partner("E", sponsor="D").volume("E", "5", "200")
    plan_data = plan(
        [
            rank("r1", difference_rate="0.03"),
            rank("r2", min_pv=100, difference_rate="0.06"),
            rank("r3", min_pv=500, difference_rate="0.12"),
        ],
        active_min_pv="10",
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "rank") == {"A": "r3", "B": "r1", "C": "r3", "D": "r2", "E": None}
    assert column(result, "difference") == {
        "A": "121.80",
        "B": "0.60",
        "C": "78.00",
        "D": "18.00",
        "E": "0.00",
    }
    assert result["totals"]["difference"] == "218.40"
    assert result["totals"]["bv"] == "1820.00"
    assert result["totals"]["pv"] == "1625.00"


# ---------------------------------------------------------------------- generation bonus

# Managers (min_pv 100, generation_depth 2) are breakaways; generation_rates 10 %, 5 %, 1 %.
#   M0 100 (root)
#   M1 100 -> M0          M3 100 -> M0
#   P1  50 -> M1          (partner, no breakaway)
#   M2 200 -> P1 (0.6), Betreuer M3 (0.4)
#   M4 300 -> M2
#   Q   40 -> M4          (partner)
GENERATION_RANKS = [rank("partner"), rank("manager", min_pv=100, generation_depth=2)]


def generation_net():
    net = Network()
    net.partner("M0").volume("M0", "100")
    net.partner("M1", sponsor="M0").volume("M1", "100")
    net.partner("M3", sponsor="M0").volume("M3", "100")
    net.partner("P1", sponsor="M1").volume("P1", "50")
    net.partner("M2", sponsor="P1", care="M3", share="0.4").volume("M2", "200")
    net.partner("M4", sponsor="M2").volume("M4", "300")
    net.partner("Q", sponsor="M4").volume("Q", "40")
    return net


def test_generation_bonus_with_breakaways_open_volume_and_care_edges(simulate):
    # OV (= OBV): Q 40; M4 300 + 40 = 340; M2 200 (M4 breaks away); M3 100 (M2 breaks
    #   away); P1 50; M1 100 + 50 = 150; M0 100 (M1, M3 break away).
    # GV: Q 40; M4 340; M2 540; M3 100 + 0.4*540 = 316; P1 50 + 0.6*540 = 374;
    #   M1 474; M0 100 + 474 + 316 = 890.
    # From M4 (OBV 340):
    #   M4->M2                 W 1    gen 1  M2 += 0.10*340     = 34.00
    #   M4->M2->P1->M1         W 0.6  gen 2  M1 += 0.05*0.6*340 = 10.20
    #   M4->M2->P1->M1->M0     gen 3 beyond generation_depth 2
    #   M4->M2->M3             W 0.4  gen 2  M3 += 0.05*0.4*340 =  6.80
    #   M4->M2->M3->M0         gen 3 -> nothing
    # From M2 (OBV 200):
    #   M2->P1->M1             W 0.6  gen 1  M1 += 0.10*0.6*200 = 12.00
    #   M2->P1->M1->M0         W 0.6  gen 2  M0 += 0.05*0.6*200 =  6.00
    #   M2->M3                 W 0.4  gen 1  M3 += 0.10*0.4*200 =  8.00
    #   M2->M3->M0             W 0.4  gen 2  M0 += 0.05*0.4*200 =  4.00
    # From M1 (150): M1->M0 gen 1: M0 += 15.00.  From M3 (100): M3->M0: M0 += 10.00.
    # M0 35.00, M1 22.20, M2 34.00, M3 14.80, M4 0.
    plan_data = plan(
        GENERATION_RANKS,
        active_min_pv="10",
        breakaway_rank="manager",
        generation_rates=["0.10", "0.05", "0.01"],
    )
    result = simulate_net(simulate, plan_data, generation_net())
    assert column(result, "rank") == {
        "M0": "manager",
        "M1": "manager",
        "M2": "manager",
        "M3": "manager",
        "M4": "manager",
        "P1": "partner",
        "Q": "partner",
    }
    assert column(result, "ov") == {
        "M0": "100.00",
        "M1": "150.00",
        "M2": "200.00",
        "M3": "100.00",
        "M4": "340.00",
        "P1": "50.00",
        "Q": "40.00",
    }
    assert column(result, "gv") == {
        "M0": "890.00",
        "M1": "474.00",
        "M2": "540.00",
        "M3": "316.00",
        "M4": "340.00",
        "P1": "374.00",
        "Q": "40.00",
    }
    assert column(result, "generation") == {
        "M0": "35.00",
        "M1": "22.20",
        "M2": "34.00",
        "M3": "14.80",
        "M4": "0.00",
        "P1": "0.00",
        "Q": "0.00",
    }
    assert result["totals"]["generation"] == "106.00"


def test_no_breakaway_rank_means_open_volume_is_group_volume(simulate):
    # Same network, the plan names no breakaway_rank: OV = GV, no generation bonus
    # although the managers have a generation_depth.
    plan_data = plan(GENERATION_RANKS, active_min_pv="10", generation_rates=["0.10", "0.05"])
    result = simulate_net(simulate, plan_data, generation_net())
    assert column(result, "ov") == column(result, "gv")
    assert column(result, "ov")["M0"] == "890.00"
    assert set(column(result, "generation").values()) == {"0.00"}


@pytest.mark.parametrize(
    "y_pv, x_rank, x_ov",
    [
        # Y 100 -> manager, a breakaway: OV(X) = 450 + 40 = 490 < 500 -> manager.
        ("100", "manager", "490.00"),
        # Y 99 -> partner, no breakaway: OV(X) = 450 + 99 + 40 = 589 -> director.
        ("99", "director", "589.00"),
    ],
)
def test_breakaway_removes_volume_from_open_volume(simulate, y_pv, x_rank, x_ov):
    # partner; manager min_pv 100 (breakaway rank); director min_ov 500. Y -> X, Z 40 -> X.
    net = Network()
    net.partner("X").volume("X", "450")
    net.partner("Y", sponsor="X").volume("Y", y_pv)
    net.partner("Z", sponsor="X").volume("Z", "40")
    plan_data = plan(
        [rank("partner"), rank("manager", min_pv=100), rank("director", min_ov=500)],
        active_min_pv="10",
        breakaway_rank="manager",
    )
    result = simulate_net(simulate, plan_data, net)
    assert result["partners"]["X"]["rank"] == x_rank
    assert result["partners"]["X"]["ov"] == x_ov
    assert result["partners"]["X"]["gv"] == str(450 + int(y_pv) + 40) + ".00"


# ------------------------------------------------------------------------ rank requirements


@pytest.mark.parametrize(
    "r_pv, cap, p_rank",
    [
        # cap 0.3*1000 = 300. Lines of P: Q (sponsor and Betreuer edges merged, weight 1):
        # min(500, 300) = 300; S (care 0.5 of 800 = 400): 300; R: min(300, 300) = 300.
        # 100 + 300 + 300 + 300 = 1000 >= 1000 (met exactly).
        ("300", "0.3", "consultant"),
        # R 299.99: 999.99 < 1000. Capping Q's two edges separately would give
        # min(350, 300) + min(150, 300) = 450 and 1149.99: the merge is what decides.
        ("299.99", "0.3", "partner"),
        # No cap: 100 + 500 + 400 + 299.99 = 1299.99.
        ("299.99", None, "consultant"),
    ],
)
def test_leg_cap_merges_sponsor_and_care_edges(simulate, r_pv, cap, p_rank):
    net = Network()
    net.partner("P").volume("P", "100")
    net.partner("Q", sponsor="P", care="P", share="0.3").volume("Q", "500")
    net.partner("R", sponsor="P").volume("R", r_pv)
    net.partner("X").volume("X", "10")
    net.partner("S", sponsor="X", care="P", share="0.5").volume("S", "800")
    consultant = rank("consultant", min_gv=1000)
    if cap is not None:
        consultant["max_leg_share"] = cap
    result = simulate_net(simulate, plan([rank("partner"), consultant], active_min_pv="10"), net)
    assert result["partners"]["P"]["rank"] == p_rank
    # GV(P) = 100 + 500 + 0.5*800 + R, uncapped
    assert result["partners"]["P"]["gv"] == {"300": "1300.00", "299.99": "1299.99"}[r_pv]
    assert result["partners"]["X"]["gv"] == "410.00"


def min_legs_net(variant):
    # P 10 with legs L1 (100, consultant) and L2 (10).
    # C1 (100, consultant): sponsor Y, Betreuer P with share 1: all its volume goes to P,
    #   but a care edge never makes a leg.
    net = Network()
    net.partner("P").volume("P", "10")
    net.partner("L1", sponsor="P").volume("L1", "100")
    net.partner("L2", sponsor="P").volume("L2", "10")
    net.partner("Y").volume("Y", "10")
    net.partner("C1", sponsor="Y", care="P", share="1").volume("C1", "100")
    if variant == "consultant below L2":
        net.partner("L2a", sponsor="L2").volume("L2a", "100")
    elif variant == "inactive below L2":
        net.partner("L2a", sponsor="L2", status="inactive").volume("L2a", "100")
    elif variant == "consultant cared for by L2":
        # K's sponsor line is Y's; the care edge to L2 carries all of K's volume but
        # does not put K into L2's sponsor subtree.
        net.partner("K", sponsor="Y", care="L2", share="1").volume("K", "100")
    return net


@pytest.mark.parametrize(
    "variant, expected",
    [
        # L1 and L2 (through L2a) are two legs holding a consultant -> P manager.
        ("consultant below L2", {"P": "manager", "L2": "partner", "Y": "partner"}),
        # L2a inactive: no paid-as rank, L2 is no qualifying leg; C1 is no leg of P.
        ("inactive below L2", {"P": "partner", "L2": "partner", "Y": "partner"}),
        # L2's sponsor subtree is L2 alone -> P partner. Y has legs C1 and K, both
        # consultants (their volume all goes to their Betreuer) -> Y manager.
        ("consultant cared for by L2", {"P": "partner", "L2": "partner", "Y": "manager"}),
    ],
)
def test_min_legs_counts_sponsor_lines_only(simulate, variant, expected):
    # partner; consultant min_pv 100; manager min_legs {2, consultant}; active_min_pv 10.
    # Y has 1 leg (C1) holding a consultant in the first two variants -> partner.
    plan_data = plan(
        [
            rank("partner"),
            rank("consultant", min_pv=100),
            rank("manager", min_legs={"count": 2, "rank": "consultant"}),
        ],
        active_min_pv="10",
    )
    result = simulate_net(simulate, plan_data, min_legs_net(variant))
    ranks = column(result, "rank")
    assert {key: ranks[key] for key in expected} == expected
    assert ranks["L1"] == "consultant"
    assert ranks["C1"] == "consultant"


def test_each_rank_is_checked_on_its_own(simulate):
    # r1 no requirement; r2 min_pv 100; r3 min_gv 150. Q 100 -> P 50.
    # P: r2 fails (50 < 100), r3 holds (GV 150): paid as r3, the highest that holds.
    # Q: r2 holds, r3 fails (GV 100) -> r2.
    net = Network()
    net.partner("P").volume("P", "50")
    net.partner("Q", sponsor="P").volume("Q", "100")
    plan_data = plan(
        [rank("r1"), rank("r2", min_pv=100), rank("r3", min_gv=150)], active_min_pv="10"
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "rank") == {"P": "r3", "Q": "r2"}


# -------------------------------------------------------------- negative volumes, rounding


def test_refunds_claw_back_and_round_half_up_away_from_zero(simulate):
    # r1 (difference 10 %); customer_rate 5 %; level_rates 5 %; active_min_pv 10.
    # A own PV 100, BV 0. Customer c -> A: rows (30, 100.00) and (-45, -112.50).
    # B -> A: rows (50, 20.00) and (-40, -50.10).
    # PV(A) = 100 + 30 - 45 = 85, PBV(A) = -12.50. PV(B) = 10 (qualified exactly), PBV -30.10.
    # A customer:   0.05 * -12.50 = -0.625  -> -0.63
    # A level:      0.05 * -30.10 = -1.505  -> -1.51
    # A difference: own 0.10 * -12.50 = -1.25; from B: m = 0.10 -> 0    -> -1.25
    # B difference: own 0.10 * -30.10 = -3.01
    # totals A -3.39, B -3.01.
    net = Network()
    net.partner("A").volume("A", "100", "0")
    net.customer("c", sponsor="A").volume("c", "30", "100.00").volume("c", "-45", "-112.50")
    net.partner("B", sponsor="A").volume("B", "50", "20.00").volume("B", "-40", "-50.10")
    plan_data = plan(
        [rank("r1", difference_rate="0.10")],
        active_min_pv="10",
        customer_rate="0.05",
        level_rates=["0.05"],
    )
    result = simulate_net(simulate, plan_data, net)
    assert result["partners"]["A"] == {
        "pv": "85.00",
        "gv": "95.00",
        "ov": "95.00",
        "qualified": True,
        "rank": "r1",
        "career_rank": "r1",
        "bonuses": {
            "customer": "-0.63",
            "level": "-1.51",
            "difference": "-1.25",
            "generation": "0.00",
            "advancement": "0.00",
        },
        "total": "-3.39",
    }
    assert result["partners"]["B"]["bonuses"]["difference"] == "-3.01"
    assert result["partners"]["B"]["total"] == "-3.01"
    assert result["totals"] == {
        "customer": "-0.63",
        "level": "-1.51",
        "difference": "-4.26",
        "generation": "0.00",
        "advancement": "0.00",
        "total": "-6.40",
        "pv": "95.00",
        "bv": "-42.60",
        "partners": 2,
        "qualified": 2,
    }


def test_negative_amount_rounding_to_zero_is_plain_zero(simulate):
    # customer_rate 5 %; customer e -> D with BV -0.09: 0.05 * -0.09 = -0.0045 -> 0.00
    # (written "0.00", not "-0.00").  PV of G: 0.5 * -0.009 = -0.0045, a shown volume, is
    # floored: "-0.01"; PV of H (0.5 * 0.009 = 0.0045) floors to a plain "0.00".
    net = Network()
    net.partner("D").volume("D", "10", "0")
    net.customer("e", sponsor="D").volume("e", "0", "-0.09")
    net.partner("G").partner("H")
    net.customer("g", sponsor="G", care="H", share="0.5").volume("g", "-0.009", "0")
    net.partner("I").partner("J")
    net.customer("i", sponsor="I", care="J", share="0.5").volume("i", "0.009", "0")
    result = simulate_net(simulate, plan([rank("r1")], customer_rate="0.05"), net)
    assert result["partners"]["D"]["bonuses"]["customer"] == "0.00"
    assert result["partners"]["D"]["total"] == "0.00"
    assert result["partners"]["G"]["pv"] == "-0.01"
    assert result["partners"]["I"]["pv"] == "0.00"
    assert result["totals"]["customer"] == "0.00"
    assert result["totals"]["total"] == "0.00"


def test_rounding_ties_at_half_a_cent(simulate):
    # customer_rate 5 %, level_rates 10 %, active_min_pv 0, rank r1 without requirements.
    # A: customer a1 12.50             -> 0.05*12.50 = 0.625 -> 0.63
    # B: customers b1, b2 12.50 each   -> 0.05*25.00 = 1.25 (rounded once, not 0.63 + 0.63)
    # C, D: customer cd 25.00, sponsor C, Betreuer D 0.5 -> 12.50 each -> 0.63 each
    # E (PV 0, BV 0.05) -> A: level 0.10*0.05 = 0.005 -> 0.01
    # F (PV 0, BV -0.05) -> B: level -0.005 -> -0.01
    # G, H: customer gh PV 0.01 split 0.5 -> PV 0.005 -> "0.00" each (volumes are shown
    #       floored, docs/engine.md "Shown volumes"; bonuses round half up)
    # J, K: customer jk PV -0.01 split 0.5 -> PV -0.005 -> "-0.01" each (not qualified)
    # Totals are sums of the rounded amounts: customer 0.63 + 1.25 + 0.63 + 0.63 = 3.14.
    net = Network()
    for partner_id in "ABCDGHJK":
        net.partner(partner_id)
    net.customer("a1", sponsor="A").volume("a1", "12.50")
    net.customer("b1", sponsor="B").volume("b1", "12.50")
    net.customer("b2", sponsor="B").volume("b2", "12.50")
    net.customer("cd", sponsor="C", care="D", share="0.5").volume("cd", "25.00")
    net.partner("E", sponsor="A").volume("E", "0", "0.05")
    net.partner("F", sponsor="B").volume("F", "0", "-0.05")
    net.customer("gh", sponsor="G", care="H", share="0.5").volume("gh", "0.01", "0")
    net.customer("jk", sponsor="J", care="K", share="0.5").volume("jk", "-0.01", "0")
    plan_data = plan([rank("r1")], customer_rate="0.05", level_rates=["0.10"])
    result = simulate_net(simulate, plan_data, net)
    customer = column(result, "customer")
    assert {key: customer[key] for key in "ABCD"} == {
        "A": "0.63",
        "B": "1.25",
        "C": "0.63",
        "D": "0.63",
    }
    level = column(result, "level")
    assert (level["A"], level["B"]) == ("0.01", "-0.01")
    pv = column(result, "pv")
    assert (pv["G"], pv["H"], pv["J"], pv["K"]) == ("0.00", "0.00", "-0.01", "-0.01")
    assert column(result, "total")["A"] == "0.64"
    assert column(result, "total")["B"] == "1.24"
    assert result["totals"]["customer"] == "3.14"
    assert result["totals"]["level"] == "0.00"
    assert result["totals"]["total"] == "3.14"
    assert result["totals"]["qualified"] == 8  # J, K have PV -0.005 < 0
    assert (result["totals"]["pv"], result["totals"]["bv"]) == ("62.50", "62.50")


def test_tie_reached_through_a_long_split_chain(simulate):
    # O (BV 12.50) gives 0.3333 to a1 and the rest to T; every a_i gives its share to the
    # next a and the rest to T; a7 gives everything to T. All of them are inactive, so T
    # receives O's volume on 8 walks whose weights add up to exactly 1, each walk at
    # level 1 (dynamic compression) and with m = 0 (nobody before T has a rate):
    #   GV(T) = 12.50 (min_gv 12.50 met exactly -> r1)
    #   level:      0.05 * 12.50 = 0.625 -> 0.63
    #   difference: 0.05 * 12.50 = 0.625 -> 0.63
    # The walk weights themselves need up to 2 + 4*8 decimals.
    shares = ["0.3333", "0.1234", "0.6667", "0.4321", "0.9876", "0.3333", "0.1111"]
    net = Network()
    net.partner("T")
    net.partner("a7", sponsor="T", status="inactive")
    for index in range(6, 0, -1):
        net.partner(
            f"a{index}", sponsor="T", care=f"a{index + 1}", share=shares[index], status="inactive"
        )
    net.partner("O", sponsor="T", care="a1", share=shares[0], status="inactive")
    net.volume("O", "12.50")
    plan_data = plan(
        [rank("r0"), rank("r1", min_gv="12.50", difference_rate="0.05")], level_rates=["0.05"]
    )
    result = simulate_net(simulate, plan_data, net)
    assert result["partners"]["T"] == {
        "pv": "0.00",
        "gv": "12.50",
        "ov": "12.50",
        "qualified": True,
        "rank": "r1",
        "career_rank": "r1",
        "bonuses": {
            "customer": "0.00",
            "level": "0.63",
            "difference": "0.63",
            "generation": "0.00",
            "advancement": "0.00",
        },
        "total": "1.26",
    }


# ------------------------------------------------------------------- statuses, career ranks


@pytest.mark.parametrize("compression, a_level", [("dynamic", "114.00"), ("none", "77.00")])
def test_inactive_and_terminated_partners_stay_in_place_and_never_earn(
    simulate, compression, a_level
):
    # r1 (difference 5 %); customer_rate 10 %; level_rates 10 %, 5 %; active_min_pv 10.
    # Chain X -> I -> T -> A; customer c (40) -> I.
    #   A active 100; T terminated 500 (career r1 before); I inactive 500 + 40 = 540;
    #   X active 100.
    # T and I are not qualified: no rank, no bonus (I's customer earns I nothing), but
    # their volume flows up and they stay where they are.
    # Level, dynamic: A gets T level 1: 0.10*500 = 50; I: T skipped, level 1: 0.10*540 = 54;
    #   X: I and T skipped, level 1: 0.10*100 = 10 -> 114.00.
    # Level, none: T level 1: 50; I level 2: 0.05*540 = 27; X level 3: beyond -> 77.00.
    # Difference: X own 0.05*100 = 5.00. A own 5; T: m = 0 -> 0.05*500 = 25;
    #   I: m = 0 -> 0.05*540 = 27; X: m = rate(X) = 0.05 -> 0 -> 57.00.
    net = Network()
    net.partner("A").volume("A", "100")
    net.partner("T", sponsor="A", status="terminated", career="r1").volume("T", "500")
    net.partner("I", sponsor="T", status="inactive").volume("I", "500")
    net.partner("X", sponsor="I").volume("X", "100")
    net.customer("c", sponsor="I").volume("c", "40")
    plan_data = plan(
        [rank("r1", difference_rate="0.05")],
        active_min_pv="10",
        compression=compression,
        customer_rate="0.10",
        level_rates=["0.10", "0.05"],
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "qualified") == {"A": True, "T": False, "I": False, "X": True}
    assert column(result, "rank") == {"A": "r1", "T": None, "I": None, "X": "r1"}
    assert column(result, "career_rank") == {"A": "r1", "T": "r1", "I": None, "X": "r1"}
    assert column(result, "gv") == {
        "A": "1240.00",
        "T": "1140.00",
        "I": "640.00",
        "X": "100.00",
    }
    assert column(result, "level") == {"A": a_level, "T": "0.00", "I": "0.00", "X": "0.00"}
    assert column(result, "difference") == {"A": "57.00", "T": "0.00", "I": "0.00", "X": "5.00"}
    assert column(result, "customer") == {"A": "0.00", "T": "0.00", "I": "0.00", "X": "0.00"}
    assert result["totals"]["partners"] == 4
    assert result["totals"]["qualified"] == 2


def test_career_rank_never_falls_and_advancement_sums_each_rank_passed(simulate):
    # r1 (adv 10), r2 min_pv 100 (adv 50), r3 min_pv 200 (adv 100), r4 min_pv 500 (adv 1000).
    # active_min_pv 10. Roots, each with its own PV:
    #   N  no career, 250 -> r3: 10 + 50 + 100 = 160.00, career r3
    #   F  career r4, 250 -> r3: nothing, career stays r4
    #   G  career r1, 600 -> r4: 50 + 100 + 1000 = 1150.00, career r4
    #   H  career r2, 100 -> r2: nothing (not above), career r2
    #   U  career r3,   5 -> not qualified, no rank, career r3
    #   V  no career,   5 -> not qualified, career null
    net = Network()
    for partner_id, career, pv in [
        ("N", "", "250"),
        ("F", "r4", "250"),
        ("G", "r1", "600"),
        ("H", "r2", "100"),
        ("U", "r3", "5"),
        ("V", "", "5"),
    ]:
        net.partner(partner_id, career=career).volume(partner_id, pv)
    plan_data = plan(
        [
            rank("r1", advancement_bonus="10.00"),
            rank("r2", min_pv=100, advancement_bonus="50.00"),
            rank("r3", min_pv=200, advancement_bonus="100.00"),
            rank("r4", min_pv=500, advancement_bonus="1000.00"),
        ],
        active_min_pv="10",
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "rank") == {
        "N": "r3",
        "F": "r3",
        "G": "r4",
        "H": "r2",
        "U": None,
        "V": None,
    }
    assert column(result, "career_rank") == {
        "N": "r3",
        "F": "r4",
        "G": "r4",
        "H": "r2",
        "U": "r3",
        "V": None,
    }
    assert column(result, "advancement") == {
        "N": "160.00",
        "F": "0.00",
        "G": "1150.00",
        "H": "0.00",
        "U": "0.00",
        "V": "0.00",
    }
    assert result["totals"]["advancement"] == "1310.00"
    assert result["totals"]["total"] == "1310.00"


# ------------------------------------------------------------------ the seed article's case


def test_split_between_recruiter_and_betreuer_reaches_both_uplines(simulate):
    # Seed 002: recruiter R (team of U1) signs up many customers and a partner but cannot
    # look after them; Betreuer B in another team (U2's) does, for a negotiated share of
    # 0.4 of everything R recruited and hands over. The split carries the volume (PV, GV)
    # and the level and difference bonuses up both uplines.
    #
    # Plan: active_min_pv 50, dynamic, customer_rate 10 %, level_rates 5 %, 3 %;
    #   partner (difference 4 %), consultant min_gv 220 (difference 8 %).
    #   c1, c2, c3 (100 each): sponsor R, Betreuer B, share 0.4
    #   c4 (50): sponsor R, R looks after c4 himself
    #   P (200): sponsor R, Betreuer B, share 0.4
    #   R 20 -> U1 (60);  B 30 -> U2 (60)
    # PV:  R = 20 + 0.6*300 + 50 = 250;  B = 30 + 0.4*300 = 150;  P 200;  U1, U2 60.
    # GV:  P 200;  R = 250 + 0.6*200 = 370;  B = 150 + 0.4*200 = 230;
    #      U1 = 60 + 370 = 430;  U2 = 60 + 230 = 290.
    # Ranks: R, B, U1, U2 consultant (GV >= 220); P partner (GV 200).
    # Customer: R 0.10*(180 + 50) = 23.00;  B 0.10*120 = 12.00.
    # Level (all between are qualified):
    #   P->R    W 0.6 level 1: R  += 0.05*0.6*200 = 6.00
    #   P->R->U1      level 2: U1 += 0.03*0.6*200 = 3.60
    #   P->B    W 0.4 level 1: B  += 0.05*0.4*200 = 4.00
    #   P->B->U2      level 2: U2 += 0.03*0.4*200 = 2.40
    #   R->U1: U1 += 0.05*250 = 12.50;  B->U2: U2 += 0.05*150 = 7.50
    #   -> R 6.00, B 4.00, U1 16.10, U2 9.90
    # Difference: P own 0.04*200 = 8.00; P->R (0.08-0.04)*0.6*200 = 4.80;
    #   P->B 0.04*0.4*200 = 3.20; above R and B m = 0.08 -> 0.
    #   R own 0.08*250 = 20; B own 0.08*150 = 12; U1, U2 own 0.08*60 = 4.80.
    #   -> P 8.00, R 24.80, B 15.20, U1 4.80, U2 4.80
    # Totals: R 53.80, B 31.20, U1 20.90, U2 14.70, P 8.00 -> 128.60.
    net = Network()
    net.partner("U1").volume("U1", "60")
    net.partner("U2").volume("U2", "60")
    net.partner("R", sponsor="U1").volume("R", "20")
    net.partner("B", sponsor="U2").volume("B", "30")
    for customer_id in ("c1", "c2", "c3"):
        net.customer(customer_id, sponsor="R", care="B", share="0.4").volume(customer_id, "100")
    net.customer("c4", sponsor="R").volume("c4", "50")
    net.partner("P", sponsor="R", care="B", share="0.4").volume("P", "200")
    plan_data = plan(
        [
            rank("partner", difference_rate="0.04"),
            rank("consultant", min_gv=220, difference_rate="0.08"),
        ],
        active_min_pv="50",
        customer_rate="0.10",
        level_rates=["0.05", "0.03"],
    )
    result = simulate_net(simulate, plan_data, net)
    assert column(result, "pv") == {
        "U1": "60.00",
        "U2": "60.00",
        "R": "250.00",
        "B": "150.00",
        "P": "200.00",
    }
    assert column(result, "gv") == {
        "U1": "430.00",
        "U2": "290.00",
        "R": "370.00",
        "B": "230.00",
        "P": "200.00",
    }
    assert column(result, "rank") == {
        "U1": "consultant",
        "U2": "consultant",
        "R": "consultant",
        "B": "consultant",
        "P": "partner",
    }
    assert column(result, "customer") == {
        "U1": "0.00",
        "U2": "0.00",
        "R": "23.00",
        "B": "12.00",
        "P": "0.00",
    }
    assert column(result, "level") == {
        "U1": "16.10",
        "U2": "9.90",
        "R": "6.00",
        "B": "4.00",
        "P": "0.00",
    }
    assert column(result, "difference") == {
        "U1": "4.80",
        "U2": "4.80",
        "R": "24.80",
        "B": "15.20",
        "P": "8.00",
    }
    assert column(result, "total") == {
        "U1": "20.90",
        "U2": "14.70",
        "R": "53.80",
        "B": "31.20",
        "P": "8.00",
    }
    assert result["totals"]["total"] == "128.60"
    assert result["totals"]["pv"] == "720.00"
