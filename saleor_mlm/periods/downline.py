"""A partner's downline in a run's snapshot, as a small network of its own.

The statements (`saleor_mlm.statements`) and their line pages (`statement_pages`) explain a
partner's figures on this network: the partner's downline, found with the child lists (both
kinds of edge), and one stand-in partner above everything ("~outside", terminated, no
volume) that every edge leaving it points to, so every weight stays as it is and nothing
outside can change a figure inside (ranks and volumes depend only on what is below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saleor_mlm.engine import Network, Status, Volumes

from .compute import RankView

OUTSIDE = "~outside"


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    counts = stops - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)


def downline(arrays: dict[str, np.ndarray], ordinal: int) -> np.ndarray:
    """Sorted ordinals of a partner and everyone below it (sponsor and care edges)."""
    down, pointer = arrays["down"], arrays["down_pointer"]
    seen = np.zeros(pointer.size - 1, bool)
    seen[ordinal] = True
    frontier = np.array([ordinal], np.int64)
    while frontier.size:
        below = np.unique(np.asarray(down[_ranges(pointer[frontier], pointer[frontier + 1])]))
        frontier = below[~seen[below]]
        seen[frontier] = True
    return np.flatnonzero(seen)


@dataclass(frozen=True)
class Downline:
    network: Network
    volumes: Volumes
    ranks: RankView
    partners: np.ndarray  # ordinals in the run
    customers: np.ndarray  # customer rows in the run


def downline_network(arrays: dict[str, np.ndarray], ordinal: int) -> Downline:
    """The network of a partner's downline with the stand-in above it (module doc)."""
    return partners_network(arrays, downline(arrays, ordinal))


def partners_network(arrays: dict[str, np.ndarray], partners: np.ndarray) -> Downline:
    """The network of these partners (sorted ordinals) and their customers; every edge
    leaving it points to the stand-in above everything."""
    customer_pointer = arrays["customer_pointer"]
    customers = np.unique(np.asarray(arrays["customers"][_ranges(customer_pointer[partners], customer_pointer[partners + 1])]))
    k = partners.size
    outside = k

    def local(targets: np.ndarray) -> np.ndarray:
        targets = np.asarray(targets, np.int64)
        out = np.full(targets.size, -1, np.int64)
        has = np.flatnonzero(targets >= 0)
        at = np.minimum(np.searchsorted(partners, targets[has]), k - 1)
        out[has] = np.where(partners[at] == targets[has], at, outside)
        return out

    def take(name: str, rows: np.ndarray) -> np.ndarray:
        return np.asarray(arrays[name][rows])

    ids = [f"p{pk}" for pk in take("partner_pk", partners).tolist()] + [OUTSIDE]
    ids += [f"c{pk}" for pk in take("customer_pk", customers).tolist()]
    one = np.zeros(1, np.int64)
    network = Network.from_arrays(
        ids,
        np.arange(len(ids)) <= k,
        np.concatenate([local(take("partner_sponsor", partners)), one - 1, local(take("customer_sponsor", customers))]),
        np.concatenate([local(take("partner_care", partners)), one - 1, local(take("customer_care", customers))]),
        np.concatenate([take("partner_share", partners), one, take("customer_share", customers)]).astype(np.int64),
        np.concatenate([take("partner_status", partners), [Status.TERMINATED], np.zeros(customers.size, np.int8)]).astype(np.int8),
    )
    volumes = Volumes(
        np.concatenate([take("partner_pv", partners), one, take("customer_pv", customers)]).astype(np.int64),
        np.concatenate([take("partner_bv", partners), one, take("customer_bv", customers)]).astype(np.int64),
    )
    ranks = RankView(
        rank=np.concatenate([take("result_rank", partners), one - 1]).astype(np.int64),
        qualified=np.concatenate([take("result_qualified", partners), [False]]).astype(bool),
        previous_career_rank=np.concatenate([take("previous_career", partners), one - 1]).astype(np.int64),
    )
    return Downline(network, volumes, ranks, partners, customers)
