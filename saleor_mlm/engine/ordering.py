"""The network's edges, layers and positions, compiled (``network`` defines the terms).

One definition of the edge rules (``edge_rule``) serves the network, the statement
openings and every other builder of edges. Arrays are allocated here rather than by numpy:
numpy advises the kernel to back large arrays with huge pages, and on a machine whose
memory is fragmented each such page fault compacts memory first, which cost more than the
computation itself. The layers and positions are computed in
linear time: one pass over the partners when the input is already in order (every
sponsor and Betreuer has a lower ordinal than the partner: the order in which people
join, the usual export order), Kahn's algorithm from the leaves otherwise; the positions
of a layer, sorted by the position of the sponsor, come from one walk down the layers
without a sort.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .fixedpoint import WEIGHT_SCALE

__all__ = [
    "RELATION_CHECKS", "below", "check_relations", "edge_rule", "layers", "node_edges",
    "positions", "split_edges",
]  # fmt: skip

SHARE_SCALE = WEIGHT_SCALE  # shares are millionths (network.SHARE_SCALE)

# What ``check_relations`` looks for, in the order the errors are reported.
RELATION_CHECKS = (
    "sponsor below -1", "care below -1", "sponsor no node", "sponsor not a partner",
    "care no node", "care not a partner", "share outside", "share without Betreuer",
)  # fmt: skip


@njit(cache=True)
def edge_rule(sponsor, care, share):
    """The edges of one node: ``n -> sponsor(n)`` weighs ``1 - share`` when ``n`` has a
    Betreuer other than its sponsor, else 1; ``n -> care(n)`` weighs ``share``; a Betreuer
    who is also the sponsor makes one edge of weight 1.

    Returns ``(sponsor_weight, care_parent, care_weight)``; ``care_parent`` is -1 where
    there is no separate care edge.
    """
    if care >= 0 and care != sponsor:
        return SHARE_SCALE - share, care, share
    return SHARE_SCALE, -1, 0


@njit(cache=True)
def split_edges(sponsor, care, share):
    """``edge_rule`` of every row (indices are passed through as they are)."""
    count = sponsor.size
    sponsor_weight = np.empty(count, np.int64)
    care_parent = np.empty(count, np.int64)
    care_weight = np.empty(count, np.int64)
    for row in range(count):
        weight, parent, side = edge_rule(sponsor[row], care[row], share[row])
        sponsor_weight[row] = weight
        care_parent[row] = parent
        care_weight[row] = side
    return sponsor_weight, care_parent, care_weight


@njit(cache=True)
def node_edges(is_partner, sponsor, care, share):
    """The edges of a network's nodes by ``edge_rule``: per partner ordinal the sponsor's
    ordinal (-1: none) and weight and the separate care edge's ordinal (-1: none) and
    weight; the customer edges of positive weight (node, partner ordinal, weight),
    sponsor edges first; and the node of each partner ordinal."""
    count = is_partner.size
    ordinal = np.empty(count, np.int64)
    partners = 0
    for node in range(count):
        ordinal[node] = partners if is_partner[node] else -1
        partners += 1 if is_partner[node] else 0
    partner_nodes = np.empty(partners, np.int64)
    up = np.full(partners, -1, np.int64)
    up_weight = np.empty(partners, np.int64)
    side = np.full(partners, -1, np.int64)
    side_weight = np.empty(partners, np.int64)
    by_sponsor = by_care = 0
    for node in range(count):
        sponsor_weight, care_parent, care_weight = edge_rule(sponsor[node], care[node], share[node])
        if is_partner[node]:
            at = ordinal[node]
            partner_nodes[at] = node
            if sponsor[node] >= 0:
                up[at] = ordinal[sponsor[node]]
            if care_parent >= 0:
                side[at] = ordinal[care_parent]
            up_weight[at] = sponsor_weight
            side_weight[at] = care_weight
        else:
            by_sponsor += 1 if sponsor[node] >= 0 and sponsor_weight > 0 else 0
            by_care += 1 if care_parent >= 0 and care_weight > 0 else 0
    customer_node = np.empty(by_sponsor + by_care, np.int64)
    customer_parent = np.empty(by_sponsor + by_care, np.int64)
    customer_weight = np.empty(by_sponsor + by_care, np.int64)
    first, second = 0, by_sponsor
    for node in range(count):
        if is_partner[node]:
            continue
        sponsor_weight, care_parent, care_weight = edge_rule(sponsor[node], care[node], share[node])
        if sponsor[node] >= 0 and sponsor_weight > 0:
            customer_node[first] = node
            customer_parent[first] = ordinal[sponsor[node]]
            customer_weight[first] = sponsor_weight
            first += 1
        if care_parent >= 0 and care_weight > 0:
            customer_node[second] = node
            customer_parent[second] = ordinal[care_parent]
            customer_weight[second] = care_weight
            second += 1
    return (partner_nodes, up, up_weight, side, side_weight,
            customer_node, customer_parent, customer_weight)  # fmt: skip


@njit(cache=True)
def check_relations(is_partner, sponsor, care, share):
    """The first node failing each check of ``RELATION_CHECKS`` (-1: none)."""
    count = is_partner.size
    first = np.full(len(RELATION_CHECKS), -1, np.int64)
    for node in range(count - 1, -1, -1):  # backwards: the last write is the first node
        for target, offset in ((sponsor[node], 0), (care[node], 1)):
            if target < -1:
                first[offset] = node
            elif target >= count:
                first[2 + 2 * offset] = node
            elif target >= 0 and not is_partner[target]:
                first[3 + 2 * offset] = node
        if care[node] >= 0:
            if share[node] < 0 or share[node] > SHARE_SCALE:
                first[6] = node
        elif share[node] != 0:
            first[7] = node
    return first


@njit(cache=True)
def layers(sponsor, care):
    """Layer of every partner ordinal (``network`` module doc), -1 on or above a cycle.

    ``sponsor`` and ``care`` are parent ordinals per ordinal (-1: none).
    """
    count = sponsor.size
    layer = np.zeros(count, np.int64)
    in_order = True
    for child in range(count):
        if sponsor[child] >= child or care[child] >= child:
            in_order = False
            break
    if in_order:  # parents first: children before parents when read backwards
        for child in range(count - 1, -1, -1):
            height = layer[child] + 1
            for parent in (sponsor[child], care[child]):
                if parent >= 0 and layer[parent] < height:
                    layer[parent] = height
        return layer
    pending = np.zeros(count, np.int64)  # edges from partners not layered yet
    for child in range(count):
        for parent in (sponsor[child], care[child]):
            if parent >= 0:
                pending[parent] += 1
    queue = np.empty(count, np.int64)
    tail = 0
    for child in range(count):
        if pending[child] == 0:
            queue[tail] = child
            tail += 1
    head = 0
    while head < tail:
        child = queue[head]
        head += 1
        height = layer[child] + 1
        for parent in (sponsor[child], care[child]):
            if parent >= 0:
                if layer[parent] < height:
                    layer[parent] = height
                pending[parent] -= 1
                if pending[parent] == 0:
                    queue[tail] = parent
                    tail += 1
    if tail < count:
        for child in range(count):
            if pending[child] > 0:
                layer[child] = -1
    return layer


@njit(cache=True)
def positions(layer, sponsor, layer_bounds):
    """Position of every ordinal: layers one after another from the leaves up, within a
    layer the partners without sponsor first, then by the position of the sponsor, ties
    in ordinal order.

    From the top layer down: once a layer's positions are known, its partners, in
    position order, hand their sponsored children to the children's layers. A layer
    receives them in runs, one run per sponsor layer, each run in sponsor-position order
    but the runs from the higher layers first; the lower layers hold the lower positions,
    so the layer reverses the order of its runs.
    """
    count = layer.size
    n_layers = layer_bounds.size - 1
    # Sponsored children by sponsor ordinal, in ordinal order (a counting sort).
    start = np.zeros(count + 1, np.int64)
    for child in range(count):
        if sponsor[child] >= 0:
            start[sponsor[child] + 1] += 1
    for parent in range(count):
        start[parent + 1] += start[parent]
    children = np.empty(start[count], np.int64)
    fill = start[:count].copy()
    for child in range(count):
        if sponsor[child] >= 0:
            children[fill[sponsor[child]]] = child
            fill[sponsor[child]] += 1
    # Each layer's slots: the partners without sponsor first, in ordinal order.
    slots = np.empty(count, np.int64)
    cursor = layer_bounds[:-1].copy()
    for child in range(count):
        if sponsor[child] < 0:
            slots[cursor[layer[child]]] = child
            cursor[layer[child]] += 1
    unsponsored_end = cursor.copy()
    run_start = np.empty(count + 1, np.int64)  # runs as linked lists, latest first
    run_next = np.empty(count + 1, np.int64)
    latest_run = np.full(n_layers, -1, np.int64)
    run_from = np.full(n_layers, -1, np.int64)  # the layer that made the latest run
    runs = 0
    position = np.empty(count, np.int64)
    scratch = np.empty(count, np.int64)
    for h in range(n_layers - 1, -1, -1):
        # Reverse the runs: [unsponsored | run 1 | ... | run m] -> [unsponsored | m | ... | 1]
        at = unsponsored_end[h]
        end = cursor[h]
        run = latest_run[h]
        while run >= 0:
            for slot in range(run_start[run], end):
                scratch[at] = slots[slot]
                at += 1
            end = run_start[run]
            run = run_next[run]
        for slot in range(unsponsored_end[h], cursor[h]):
            slots[slot] = scratch[slot]
        for slot in range(layer_bounds[h], layer_bounds[h + 1]):
            position[slots[slot]] = slot
        for slot in range(layer_bounds[h], layer_bounds[h + 1]):
            parent = slots[slot]
            for index in range(start[parent], start[parent + 1]):
                child = children[index]
                below = layer[child]
                if run_from[below] != h:
                    run_from[below] = h
                    run_start[runs] = cursor[below]
                    run_next[runs] = latest_run[below]
                    latest_run[below] = runs
                    runs += 1
                slots[cursor[below]] = child
                cursor[below] += 1
    return position


@njit(cache=True)
def below(sponsor, care, chosen):
    """``chosen`` (by position) widened to everyone below: a parent has a higher position
    than its children, so one pass from the top down decides every position."""
    for x in range(chosen.size - 1, -1, -1):
        if not chosen[x]:
            if (sponsor[x] >= 0 and chosen[sponsor[x]]) or (care[x] >= 0 and chosen[care[x]]):
                chosen[x] = True
    return chosen
