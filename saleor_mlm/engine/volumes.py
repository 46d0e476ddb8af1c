"""Own volumes of a period and the personal volumes of partners (spec section 2).

Terms
-----
own volume
    ``own_pv(n)``, ``own_bv(n)``: the sum of a node's volume rows in the period, as
    integers at scale ``10^4`` (``VOLUME_PLACES``: volumes have at most 4 decimals).
    Refunds are negative rows.
personal volume
    ``PV(p) = own_pv(p) + sum(w * own_pv(c))`` over the customer edges ``c -> p``; ``PBV``
    likewise with BV; ``CBV(p)`` is the customer part of ``PBV(p)`` (the base of the
    customer bonus). A share has 6 decimals, so these are exact integers at scale
    ``10^10`` (``PERSONAL_PLACES``).
shown volume
    A volume as people read it (result JSON, stored run figures, API, CSV, dashboard):
    hundredths, rounded toward minus infinity. Ranks are decided on exact volumes; with
    half up, PV 49.995 would read "50.00" beside "not qualified (needs 50)". Floored, a
    threshold of at most 2 decimals is met exactly when the shown figure meets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

import numpy as np

from .fixedpoint import WEIGHT_SCALE
from .kernel import add_rows, attach_customers, filled
from .network import Network

__all__ = [
    "PERSONAL_PLACES",
    "Personal",
    "SHOWN_VOLUME_PLACES",
    "VOLUME_PLACES",
    "Volumes",
    "personal_volumes",
    "shown_volume",
    "shown_volume_units",
]

VOLUME_PLACES = 4
VOLUME_SCALE = 10**VOLUME_PLACES
PERSONAL_PLACES = VOLUME_PLACES + 6
SHOWN_VOLUME_PLACES = 2  # shown volumes are hundredths
_SHOWN_QUANTUM = Decimal(1).scaleb(-SHOWN_VOLUME_PLACES)
_INT64_SAFE = 4 * 10**18


def shown_volume(value, scale_digits: int = 0) -> Decimal | None:
    """The one way a volume is shown: hundredths, rounded toward minus infinity.

    ``value`` is a ``Decimal``, decimal text or an integer; an integer of units at scale
    ``10^scale_digits`` with ``scale_digits`` (the engine's hundredths: 2). None stays None.

    Examples
    --------
    >>> shown_volume(Decimal("49.995")), shown_volume("50"), shown_volume(Decimal("-0.005"))
    (Decimal('49.99'), Decimal('50.00'), Decimal('-0.01'))
    >>> shown_volume(np.int64(4999), 2)
    Decimal('49.99')
    """
    if value is None:
        return None
    number = Decimal(int(value)).scaleb(-scale_digits) if scale_digits else Decimal(value)
    return number.quantize(_SHOWN_QUANTUM, rounding=ROUND_FLOOR)


def shown_volume_units(units, scale_digits: int):
    """``shown_volume`` of integers at scale ``10^scale_digits`` (an array, or one Python
    integer), as integers in hundredths: floor division is rounding toward minus infinity.

    >>> shown_volume_units(np.array([499950, -50]), 4).tolist()
    [4999, -1]
    """
    if scale_digits <= SHOWN_VOLUME_PLACES:
        return units * 10 ** (SHOWN_VOLUME_PLACES - scale_digits)
    return units // 10 ** (scale_digits - SHOWN_VOLUME_PLACES)


@dataclass(frozen=True)
class Volumes:
    """Own PV and BV per node (index as in ``Network.ids``), integers at scale ``10^4``."""

    own_pv: np.ndarray
    own_bv: np.ndarray

    @classmethod
    def zeros(cls, network: Network) -> Volumes:
        return cls(filled(network.n_nodes, 0), filled(network.n_nodes, 0))

    @classmethod
    def from_rows(cls, network: Network, node, pv, bv) -> Volumes:
        """Sum volume rows: ``node`` indices and ``pv``, ``bv`` at scale ``10^4``.

        Examples
        --------
        >>> net = Network.from_arrays(["a"], [True], [-1])
        >>> Volumes.from_rows(net, [0, 0], [1000, -250], [0, 5]).own_pv
        array([750])
        """
        volumes = cls.zeros(network)
        volumes.add_rows(node, pv, bv)
        return volumes

    def add_rows(self, node, pv, bv) -> None:
        """Add more volume rows in place (exchange files are read in chunks)."""
        node = np.ascontiguousarray(node, np.int64)
        pv, bv = np.ascontiguousarray(pv, np.int64), np.ascontiguousarray(bv, np.int64)
        if self.own_pv.dtype == np.int64 and self.own_bv.dtype == np.int64:
            add_rows(self.own_pv, self.own_bv, node, pv, bv)
        else:
            np.add.at(self.own_pv, node, pv)
            np.add.at(self.own_bv, node, bv)

    def subset(self, nodes: np.ndarray) -> Volumes:
        return Volumes(self.own_pv[nodes], self.own_bv[nodes])

    def magnitude(self) -> int:
        """An upper bound of ``sum(|own_pv|)`` and ``sum(|own_bv|)`` in volume units.

        Every GV, OV, level, difference or generation volume of any partner is at most
        this in absolute value: the walk weights into one partner sum to at most 1.
        """
        total = max(
            float(np.abs(self.own_pv).sum(dtype=np.float64)),
            float(np.abs(self.own_bv).sum(dtype=np.float64)),
        )
        return int(total * 1.000001 / VOLUME_SCALE) + 1


@dataclass(frozen=True)
class Personal:
    """Exact personal volumes per position, integers at scale ``10^10``."""

    pv: np.ndarray
    pbv: np.ndarray
    cbv: np.ndarray


def personal_volumes(network: Network, volumes: Volumes) -> Personal:
    """``PV``, ``PBV`` and ``CBV`` of every partner, by position, exactly.

    ``int64`` when the magnitudes allow it, Python integers (object arrays) otherwise.
    """
    nodes = network.partner_nodes[network.order]
    if volumes.own_pv.dtype == np.int64 and volumes.own_bv.dtype == np.int64:
        # the compiled loop; the numpy one below when int64 may overflow
        pv, pbv, cbv, safe = attach_customers(
            volumes.own_pv[nodes], volumes.own_bv[nodes], network.customer_node,
            network.customer_parent, network.customer_weight, volumes.own_pv, volumes.own_bv,
        )  # fmt: skip
        if safe:
            return Personal(pv=pv, pbv=pbv, cbv=cbv)
    customer_pv = volumes.own_pv[network.customer_node]
    customer_bv = volumes.own_bv[network.customer_node]
    bound = np.bincount(
        network.customer_parent,
        weights=(np.abs(customer_pv) + np.abs(customer_bv)).astype(np.float64)
        * network.customer_weight,
        minlength=network.n_partners,
    ) + (np.abs(volumes.own_pv[nodes]) + np.abs(volumes.own_bv[nodes])) * float(WEIGHT_SCALE)
    dtype = np.int64 if bound.size == 0 or bound.max() < _INT64_SAFE else object

    def attached(own):
        total = np.zeros(network.n_partners, dtype)
        if dtype is object:
            total.fill(0)
        np.add.at(total, network.customer_parent, own.astype(dtype) * network.customer_weight)
        return total

    cbv = attached(customer_bv)
    pv = volumes.own_pv[nodes].astype(dtype) * WEIGHT_SCALE + attached(customer_pv)
    pbv = volumes.own_bv[nodes].astype(dtype) * WEIGHT_SCALE + cbv
    return Personal(pv=pv, pbv=pbv, cbv=cbv)
