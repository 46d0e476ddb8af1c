import pytest

from saleor_mlm.orders.actions import order_event_consumers


@pytest.fixture(autouse=True)
def isolated_order_event_consumers():
    """These tests check the pipeline itself: other apps' consumers (the ledger) are
    switched off here and tested in their own suites; tests register their own."""
    saved = order_event_consumers.snapshot()
    for consumer in saved[0]:
        order_event_consumers.unregister(consumer)
    yield order_event_consumers
    order_event_consumers.restore(saved)
