"""Processing a batch in rounds, where an item may read what an earlier item writes.

A batch (webhook deliveries, order events to credit) is worth processing together when all
its items are decided from one read and written with one write. That is right only when no
item reads what an earlier item of the batch writes: a person's second order must see the
customer its first order created; a refund must see the payment it takes back from.

`next_round` takes, in order, the items whose keys meet no key written by an earlier item
of the round; the others wait for the next round, where a fresh read sees what this round
wrote. An item that waits also holds back every later item that shares a key with it, so
items that share a key keep their order, and items that share none commute. Processing
round after round therefore gives what processing the items one by one, in order, gives.

Keys are strings naming what an item depends on, e.g. `order:<id>` and a person's
`network.person_keys` (`user:<id>`, `email:<E-MAIL>`). The callers say which items write
which keys: `webhooks.use_cases` for deliveries, `ledger.crediting` for order events.

>>> items = [("a", "X", True), ("b", "Y", False), ("c", "X", False), ("d", "Z", False)]
>>> now, later = next_round(items, reads=lambda item: {item[1]}, writes=lambda item: {item[1]} if item[2] else set())
>>> [name for name, *_ in now], [name for name, *_ in later]
(['a', 'b', 'd'], ['c'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")


def next_round(
    items: Iterable[Item], *, reads: Callable[[Item], set[str]], writes: Callable[[Item], set[str]]
) -> tuple[list[Item], list[Item]]:
    """(the items of this round, the items left for the next ones), both in order.

    `writes(item)` is called once for each item taken into the round, in order, and may
    decide there what the item will do (the ledger decides an order's attribution there)."""
    written: set[str] = set()
    taken: list[Item] = []
    left: list[Item] = []
    for item in items:
        keys = reads(item)
        if keys & written:
            left.append(item)
            written |= keys  # what shares a key with a waiting item waits behind it
        else:
            taken.append(item)
            written |= writes(item)
    return taken, left
