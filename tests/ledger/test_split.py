"""Split volume reaches both uplines: the ledger keeps own volume per node, the engine's
rollup splits it by the edge weights (sponsor 1 - share, Betreuer share).

The network comes from `network.fetch.network_partner_rows`, the volumes from
`periods.fetch.own_volume_rows` (the close run's query, as rows): exactly what a period run
hands the engine.
"""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.ledger.actions import assign_house_customer
from saleor_mlm.ledger.crediting import credit_order_event
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.network.fetch import network_partner_rows
from tests.engine.helpers import IMPLEMENTATIONS, implementation, plan, rank, run
from tests.fixtures.ledger import adjustment_entry
from tests.fixtures.orders import order_line
from tests.fixtures.periods import period_volume_rows

pytestmark = pytest.mark.django_db

NOV = datetime.datetime(2026, 11, 10, tzinfo=datetime.UTC)
PLAN = plan([rank("partner")])


@pytest.fixture(params=IMPLEMENTATIONS)
def simulate(request):
    if request.param == "engine":
        engine = pytest.importorskip("saleor_mlm.engine")
        if not hasattr(engine, "simulate"):
            pytest.skip("saleor_mlm.engine.simulate is not there yet")
    return implementation(request.param)


def figures(simulate, installation, period_id, key):
    result = run(simulate, PLAN, network_partner_rows(installation), period_volume_rows(installation.pk, period_id))
    return {partner_id: Decimal(values[key]) for partner_id, values in result["partners"].items()}


def test_customer_volume_split_between_sponsor_and_betreuer_uplines(
    installation, simulate, order_event_factory, ledger_partner, ledger_customer, care_assignment
):
    # Sponsor line: R1 <- A (recruits on stage). Care line: R2 <- C (looks after locally).
    r1, r2 = ledger_partner("R1"), ledger_partner("R2")
    a = ledger_partner("A", sponsor=r1)
    c = ledger_partner("C", sponsor=r2)
    k = ledger_customer("k@example.com", sponsor=a)
    care_assignment(k, c, "0.3")
    # B, a partner A recruited, is looked after by C too, half and half.
    b = ledger_partner("B", sponsor=a, email="b@example.com")
    care_assignment(b, c, "0.5")

    credit_order_event(order_event_factory(email="k@example.com", created=NOV, issued_at=NOV, lines=[order_line(net="100.00")]))
    credit_order_event(order_event_factory(email="b@example.com", created=NOV, issued_at=NOV, lines=[order_line(net="40.00")]))

    # The ledger holds own volume only: 100 on the customer, 40 on B.
    period_id = LedgerEntry.objects.values_list("period_id", flat=True).first()
    own = {row["node_id"]: Decimal(row["pv"]) for row in period_volume_rows(installation.pk, period_id)}
    assert own == {f"c{k.pk}": Decimal("100"), f"p{b.pk}": Decimal("40")}

    pv = figures(simulate, installation, period_id, "pv")
    gv = figures(simulate, installation, period_id, "gv")
    ids = {name: f"p{partner.pk}" for name, partner in {"R1": r1, "R2": r2, "A": a, "B": b, "C": c}.items()}
    assert {name: pv[node] for name, node in ids.items()} == {"R1": 0, "R2": 0, "A": 70, "B": 40, "C": 30}
    # B's 40 goes half to A's line, half to C's; both uplines carry their part to the top.
    assert {name: gv[node] for name, node in ids.items()} == {"R1": 90, "R2": 50, "A": 90, "B": 40, "C": 50}


def test_assigning_a_house_customer_moves_its_open_period_volume(installation, simulate, order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA")
    credit_order_event(order_event_factory(email="walk-in@example.com", created=NOV, issued_at=NOV, lines=[order_line(net="60.00")]))
    entry = LedgerEntry.objects.get()
    house = entry.customer
    adjustment_entry(house, "5", "5", "phone order", "chef@example.com", entry.period)

    before = figures(simulate, installation, entry.period_id, "pv")
    assign_house_customer(house, anna, changed_by="merchant@example.com", reason="asked for Anna")
    after = figures(simulate, installation, entry.period_id, "pv")

    assert before[f"p{anna.pk}"] == 0
    assert after[f"p{anna.pk}"] == 65
    assert LedgerEntry.objects.count() == 2  # nothing rewritten
