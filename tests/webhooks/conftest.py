import pytest

from saleor_mlm.webhooks import use_cases


class CreditingStep:
    """A stand-in for the ledger's step of the paid-order path
    (`use_cases.credit_new_order_events`): each consumer added is called with every new
    order event and its payload, in the transaction that recorded it."""

    def __init__(self) -> None:
        self.consumers: list = []

    def add(self, consumer) -> None:
        self.consumers.append(consumer)

    def __call__(self, new) -> None:
        for consumer in list(self.consumers):
            for event, payload in new:
                consumer(event, payload)


@pytest.fixture(autouse=True)
def crediting_step(monkeypatch):
    """These tests check the pipeline itself: the ledger's crediting is switched off here
    (the ledger is tested in its own suites, through the same table); a test adds its own
    consumers (`crediting_step.add(consumer)`)."""
    step = CreditingStep()
    monkeypatch.setattr(use_cases, "credit_new_order_events", step)
    return step
