"""Money after the run: minimum payout with carry-forward, negative balances, holds,
adjustments with a reason and a second person."""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.calendar import PeriodEventKind
from saleor_mlm.calendar.models import PeriodEvent
from saleor_mlm.core.errors import DomainError
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.actions import add_adjustment, place_payout_hold, release_payout_hold, set_minimum_payout
from saleor_mlm.payouts.models import BalanceAdjustment, PartnerBalance
from saleor_mlm.periods.actions import approve_period, commit_period
from tests.fixtures.periods import APPROVER

pytestmark = pytest.mark.django_db

FINANCE = "finance@example.com"
BOSS = "boss@example.com"


@pytest.fixture
def anna(active_plan, partner_factory):
    return partner_factory(first_name="Anna")


@pytest.fixture
def kunde(customer_factory, anna):
    return customer_factory(anna)


@pytest.fixture
def earn(month, volume, anna, kunde, close_and_run):
    """`earn("2026-10", "5.00")`: anna earns that customer bonus (5 % of her customer's BV)
    in the month, which is then closed."""

    def run(label: str, amount: str):
        period = month(label)
        volume(anna, period, 60, 0)  # qualifies, earns nothing on it
        volume(kunde, period, Decimal(amount) * 20)
        return close_and_run(period)

    return run


def balance(period, partner) -> tuple:
    row = PartnerBalance.objects.get(period=period, partner=partner)
    return (row.earned, row.adjustments, row.carried_in, row.payable, row.paid, row.carried_forward, row.reason)


def error_of(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_small_balances_are_carried_until_they_reach_the_minimum(month, anna, earn):
    earn("2026-10", "5.00")
    earn("2026-11", "19.99")
    earn("2026-12", "0.02")

    assert balance(month("2026-10"), anna) == (5, 0, 0, 5, 0, 5, BalanceReason.BELOW_MINIMUM)
    assert balance(month("2026-11"), anna) == (Decimal("19.99"), 0, 5, Decimal("24.99"), 0, Decimal("24.99"), BalanceReason.BELOW_MINIMUM)
    assert balance(month("2026-12"), anna) == (Decimal("0.02"), 0, Decimal("24.99"), Decimal("25.01"), Decimal("25.01"), 0, BalanceReason.PAID)


def test_a_negative_balance_is_carried_forward_and_never_charged(month, volume, anna, kunde, earn, close_and_run):
    earn("2026-10", "30.00")
    november = month("2026-11")
    volume(anna, november, 900, 0)  # PV 900 - 800 = 100: qualifies
    volume(kunde, november, -800)  # returns: -40.00 customer bonus
    close_and_run(november)
    earn("2026-12", "45.00")

    assert balance(month("2026-10"), anna)[4:] == (Decimal("30"), 0, BalanceReason.PAID)
    assert balance(november, anna) == (Decimal("-40"), 0, 0, Decimal("-40"), 0, Decimal("-40"), BalanceReason.NEGATIVE)
    # December: 45.00 - 40.00 = 5.00, below the minimum.
    assert balance(month("2026-12"), anna)[2:] == (Decimal("-40"), Decimal("5"), 0, Decimal("5"), BalanceReason.BELOW_MINIMUM)


def test_the_minimum_payout_is_taken_when_the_period_closes(installation, month, anna, earn):
    set_minimum_payout(installation, "50", FINANCE)
    october = earn("2026-10", "30.00")

    set_minimum_payout(installation, "10", FINANCE)

    assert october.settings == {"minimum_payout": "50.00"}
    assert balance(month("2026-10"), anna)[-1] == BalanceReason.BELOW_MINIMUM
    assert PeriodEvent.objects.filter(kind=PeriodEventKind.SETTINGS_CHANGED).count() == 2


def test_a_hold_carries_the_balance_until_it_is_released(installation, month, anna, earn):
    hold = place_payout_hold(installation, anna, "missing VAT id", FINANCE, starts_on=datetime.date(2026, 10, 1))
    earn("2026-10", "30.00")
    earn("2026-11", "40.00")

    assert balance(month("2026-10"), anna)[4:] == (0, Decimal("30"), BalanceReason.HELD)
    assert balance(month("2026-11"), anna)[2:] == (Decimal("30"), Decimal("70"), 0, Decimal("70"), BalanceReason.HELD)

    for label in ("2026-10", "2026-11"):
        approve_period(installation, month(label), APPROVER)
        commit_period(installation, month(label), APPROVER)
    release_payout_hold(hold, FINANCE, "VAT id received")
    earn("2026-12", "1.00")

    hold.refresh_from_db()
    assert hold.ends_on == datetime.date(2026, 11, 30)
    assert balance(month("2026-12"), anna)[2:] == (Decimal("70"), Decimal("71"), Decimal("71"), 0, BalanceReason.PAID)
    assert error_of(release_payout_hold, hold, FINANCE, "again").code == "HOLD_RELEASED"


def test_a_hold_placed_after_the_close_resettles_the_uncommitted_period(installation, month, anna, earn):
    earn("2026-10", "30.00")
    assert balance(month("2026-10"), anna)[-1] == BalanceReason.PAID

    hold = place_payout_hold(installation, anna, "dispute", FINANCE)

    assert hold.starts_on == datetime.date(2026, 10, 1)
    assert balance(month("2026-10"), anna)[4:] == (0, Decimal("30"), BalanceReason.HELD)

    release_payout_hold(hold, FINANCE, "settled")

    assert balance(month("2026-10"), anna)[4:] == (Decimal("30"), 0, BalanceReason.PAID)


def test_an_adjustment_after_the_close_changes_the_balance_and_the_next_ones(installation, month, anna, earn):
    earn("2026-10", "5.00")
    earn("2026-11", "5.00")

    adjustment = add_adjustment(installation, anna, month("2026-10"), "20.00", "bonus for the trade fair", BOSS, FINANCE)

    assert balance(month("2026-10"), anna) == (5, 20, 0, 25, 25, 0, BalanceReason.PAID)
    assert balance(month("2026-11"), anna) == (5, 0, 0, 5, 0, 5, BalanceReason.BELOW_MINIMUM)
    event = PeriodEvent.objects.get(kind=PeriodEventKind.ADJUSTMENT_ADDED)
    assert (event.actor, event.reason, event.data["amount"], event.data["approved_by"]) == (FINANCE, "bonus for the trade fair", "20.00", BOSS)
    assert adjustment.amount == Decimal("20")


def test_an_adjustment_can_create_a_balance(installation, month, anna, partner_factory, earn):
    earn("2026-10", "5.00")
    bernd = partner_factory()

    add_adjustment(installation, bernd, month("2026-10"), "-12.50", "advance paid in cash", BOSS, FINANCE)

    assert balance(month("2026-10"), bernd) == (0, Decimal("-12.5"), 0, Decimal("-12.5"), 0, Decimal("-12.5"), BalanceReason.NEGATIVE)


def test_an_adjustment_in_an_open_period_counts_when_it_closes(installation, month, anna, earn):
    add_adjustment(installation, anna, month("2026-10"), "30", "welcome bonus", BOSS, FINANCE)

    earn("2026-10", "5.00")

    assert balance(month("2026-10"), anna)[:5] == (5, 30, 0, 35, 35)


def test_adjustment_rules(installation, installation_factory, month, anna, partner_factory, earn):
    earn("2026-10", "5.00")
    october = month("2026-10")

    assert error_of(add_adjustment, installation, anna, october, "10", "why", FINANCE, FINANCE.upper()).code == "SAME_USER"
    assert error_of(add_adjustment, installation, anna, october, "10", " ", BOSS, FINANCE).field == "reason"
    assert error_of(add_adjustment, installation, anna, october, "0", "why", BOSS, FINANCE).code == "INVALID"
    assert error_of(add_adjustment, installation, anna, october, "1.005", "why", BOSS, FINANCE).code == "INVALID"
    assert error_of(add_adjustment, installation, anna, october, "ten", "why", BOSS, FINANCE).code == "INVALID"
    other = partner_factory(installation=installation_factory())
    assert error_of(add_adjustment, installation, other, october, "10", "why", BOSS, FINANCE).code == "WRONG_INSTALLATION"
    approve_period(installation, october, APPROVER)
    assert error_of(add_adjustment, installation, anna, october, "10", "why", BOSS, FINANCE).code == "INVALID_STATUS"
    assert not BalanceAdjustment.objects.exists()


def test_holds_start_in_an_uncommitted_month(installation, month, anna, earn):
    earn("2026-10", "30.00")
    approve_period(installation, month("2026-10"), APPROVER)
    commit_period(installation, month("2026-10"), APPROVER)

    error = error_of(place_payout_hold, installation, anna, "x", FINANCE, starts_on=datetime.date(2026, 10, 1))

    assert (error.code, error.field) == ("INVALID", "starts_on")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_adjustment_made_while_the_close_persists_is_not_lost(installation, month, anna, kunde, volume, monkeypatch):
    import threading

    from django.db import connection

    from saleor_mlm.periods import runs as runs_module
    from saleor_mlm.periods.actions import close_period
    from saleor_mlm.periods.runs import execute_run
    from tests.fixtures.periods import after

    october = month("2026-10")
    volume(anna, october, 60, 0)
    volume(kunde, october, 600)  # 30.00
    run = close_period(installation, october, "closer@example.com", now=after(october), enqueue=False)
    persisting, go_on = threading.Event(), threading.Event()
    real_persist = runs_module.persist

    def slow_persist(*args, **kwargs):
        real_persist(*args, **kwargs)
        persisting.set()  # the period's row lock is held until this transaction commits
        go_on.wait(10)

    monkeypatch.setattr(runs_module, "persist", slow_persist)
    closing = threading.Thread(target=lambda: (execute_run(run.pk), connection.close()))
    closing.start()
    assert persisting.wait(10)
    adding = threading.Thread(
        target=lambda: (add_adjustment(installation, anna, october, "15", "fair bonus", BOSS, FINANCE), connection.close())
    )
    adding.start()
    adding.join(0.5)
    assert adding.is_alive()  # waits for the close's transaction
    go_on.set()
    closing.join(10)
    adding.join(10)

    assert balance(october, anna) == (30, 15, 0, 45, 45, 0, BalanceReason.PAID)
