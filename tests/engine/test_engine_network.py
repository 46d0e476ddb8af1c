"""The network as arrays: layers, edge order, cycles, downlines."""

import numpy as np
import pytest

from saleor_mlm.engine import CycleError, Network, NetworkError, Status

# Arrows point upwards. A is the root; B -> A, C -> B with Betreuer A (0.3),
# D -> B with Betreuer B (merged), customer e -> C with Betreuer D (0.5).
IDS = ["A", "B", "C", "D", "e"]
KIND = [True, True, True, True, False]
SPONSOR = [-1, 0, 1, 1, 2]
CARE = [-1, -1, 0, 1, 3]
SHARE = [0, 0, 300_000, 250_000, 500_000]


def small():
    return Network.from_arrays(IDS, KIND, SPONSOR, CARE, SHARE)


def test_layers_are_a_topological_order_from_the_leaves():
    net = small()
    assert net.n_nodes == 5 and net.n_partners == 4 and net.n_layers == 3
    layer_of = np.searchsorted(net.layer_bounds, np.arange(net.n_partners), side="right") - 1
    edges = net.edges
    assert (layer_of[edges.child] < layer_of[edges.parent]).all()
    assert [net.partner_ids[o] for o in net.order[net.layer_bounds[0] : net.layer_bounds[1]]] in (
        ["C", "D"],
        ["D", "C"],
    )
    assert list(net.partner_ids) == ["A", "B", "C", "D"]


def test_edges_and_weights():
    net = small()
    edges = net.edges
    pos = {net.partner_ids[o]: int(net.position[o]) for o in range(4)}
    found = {
        (net.partner_ids[net.order[c]], net.partner_ids[net.order[p]]): (int(w), bool(s))
        for c, p, w, s in zip(edges.child, edges.parent, edges.weight, edges.is_sponsor)
    }
    assert found == {
        ("B", "A"): (1_000_000, True),
        ("C", "B"): (700_000, True),
        ("C", "A"): (300_000, False),
        ("D", "B"): (1_000_000, True),  # sponsor and Betreuer edges merged
    }
    assert net.sponsor_position[pos["D"]] == pos["B"]
    assert net.sponsor_position[pos["A"]] == -1
    customers = sorted(zip(net.customer_node.tolist(), net.customer_parent.tolist(), net.customer_weight.tolist()))
    assert customers == [(4, pos["C"], 500_000), (4, pos["D"], 500_000)]


def test_sponsor_edges_of_a_layer_come_grouped_by_parent_in_increasing_order():
    rng = np.random.default_rng(1)
    n = 3000
    sponsor = np.array([-1] + [int(rng.integers(0, i)) for i in range(1, n)])
    care = np.where(rng.random(n) < 0.2, np.floor(rng.random(n) * np.arange(n)).astype(int), -1)
    care[0] = -1
    share = np.where(care >= 0, 400_000, 0)
    net = Network.from_arrays([str(i) for i in range(n)], np.ones(n, bool), sponsor, care, share)
    for h in range(net.n_layers):
        parents = net.sponsor_position[net.layer_bounds[h] : net.layer_bounds[h + 1]]
        assert (np.diff(parents) >= 0).all()
    for b in range(net.block_bounds.size - 1):
        parents = net.care_parent[net.care_bounds[b] : net.care_bounds[b + 1]]
        children = net.care_child[net.care_bounds[b] : net.care_bounds[b + 1]]
        assert (np.diff(parents) >= 0).all()
        assert ((children >= net.block_bounds[b]) & (children < net.block_bounds[b + 1])).all()


@pytest.mark.parametrize(
    "sponsor, care, cycle, kinds",
    [
        ([0, -1, -1], [-1, -1, -1], [0], ["sponsor"]),  # own sponsor
        ([-1, 0, -1], [1, -1, -1], [1, 0], ["sponsor", "care"]),  # A's Betreuer is B
        ([2, 0, 1], [-1, -1, -1], [2, 1, 0], ["sponsor"] * 3),
    ],
)
def test_a_cycle_is_a_clear_error(sponsor, care, cycle, kinds):
    share = [500_000 if c >= 0 else 0 for c in care]
    with pytest.raises(CycleError) as info:
        Network.from_arrays(["A", "B", "C"], [True] * 3, sponsor, care, share)
    assert info.value.cycle == cycle
    assert info.value.kinds == kinds
    assert "closes a cycle" in str(info.value)


def test_cycle_above_a_tree_is_found():
    # D -> C -> B -> A -> C: the cycle is A, B, C; D hangs below it.
    with pytest.raises(CycleError) as info:
        Network.from_arrays(list("ABCD"), [True] * 4, [2, 0, 1, 2])
    assert sorted(info.value.cycle) == [0, 1, 2]
    assert str(info.value).endswith("C -> B -> A -> C")


@pytest.mark.parametrize(
    "sponsor, care, share, field, message",
    [
        ([-1, 2, -1], None, None, "sponsor", "'c' is not a partner"),
        ([-1, -1, 0], [-1, 2, -1], [0, 300_000, 0], "care", "'c' is not a partner"),
        ([-1, 0, 0], [-1, -1, -1], [0, 250_000, 0], "care_share", "without a Betreuer"),
        ([-1, 0, 0], [-1, 0, -1], [0, 1_000_001, 0], "care_share", "outside [0, 1]"),
        ([-1, 5, 0], None, None, "sponsor", "no node 5"),
    ],
)
def test_invalid_relations(sponsor, care, share, field, message):
    with pytest.raises(NetworkError) as info:
        Network.from_arrays(["a", "b", "c"], [True, True, False], sponsor, care, share)
    assert info.value.field == field
    assert message in info.value.message


def test_statuses_and_empty_network():
    net = Network.from_arrays(["a", "b"], [True, True], [-1, 0], status=[Status.INACTIVE, Status.TERMINATED])
    assert net.status.tolist() == [Status.INACTIVE, Status.TERMINATED]
    empty = Network.from_arrays([], [], [])
    assert empty.n_partners == 0 and empty.n_layers == 0


def test_downline_subnetwork_and_split_hops():
    net = small()
    pos = {net.partner_ids[o]: int(net.position[o]) for o in range(4)}
    below_b = net.downline([pos["B"]])
    assert sorted(net.partner_ids[net.order[p]] for p in below_b) == ["B", "C", "D"]
    sub, nodes = net.subnetwork(below_b)
    assert sorted(sub.ids[: sub.n_partners]) == ["B", "C", "D"]
    assert [net.ids[n] for n in nodes] == list(sub.ids)
    # C's care edge to A left the set; its sponsor edge keeps its weight 0.7
    assert sorted(sub.edges.weight.tolist()) == [700_000, 1_000_000]
    assert net.max_split_hops() == 1  # C -> B (0.7) or C -> A (0.3)
    assert net.partner_position("C") == pos["C"]
    with pytest.raises(KeyError):
        net.partner_position("e")


def test_every_cycle_is_found_each_at_the_edge_that_closes_it():
    from saleor_mlm.engine import find_cycles

    # a <-> b by sponsor edges; c -> d by sponsor, d -> c by care; e above the first cycle;
    # f is its own Betreuer; g, h fine.
    ids = ["a", "b", "c", "d", "e", "f", "g", "h"]
    sponsor = [1, 0, 3, -1, 0, -1, -1, 6]
    care = [-1, -1, -1, 2, -1, 5, -1, -1]

    cycles = find_cycles(ids, sponsor, care)

    assert [(e.node, e.field, e.message) for e in cycles] == [
        (1, "sponsor", "closes a cycle: b -> a -> b"),
        (3, "care", "closes a cycle: d -> c -> d"),
        (5, "care", "closes a cycle: f -> f"),
    ]
    assert find_cycles(ids[6:], [-1, 0], [-1, -1]) == []
