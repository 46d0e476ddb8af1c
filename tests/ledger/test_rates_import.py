"""`saleor-mlm rates import`: clear errors, idempotent upsert, parked orders credited after."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.ledger.models import ExchangeRate, LedgerEntry, ParkedOrderEvent
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("rates", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rates_file(tmp_path):
    def write(text: str, name: str = "rates.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def stored():
    return sorted(ExchangeRate.objects.values_list("valid_on", "currency", "plan_currency", "rate"))


def test_import_and_import_again_changes_nothing(installation, rates_file):
    path = rates_file("date,currency,rate\n2026-11-02,USD,0.92\n2026-11-03,usd,0.9215\n\n2026-11-03,CHF,1.05\n")

    first = run("import", path)
    second = run("import", path)

    assert "3 new, 0 updated, 0 unchanged" in first
    assert "0 new, 0 updated, 3 unchanged" in second
    assert stored() == [
        (datetime.date(2026, 11, 2), "USD", "EUR", Decimal("0.92")),
        (datetime.date(2026, 11, 3), "CHF", "EUR", Decimal("1.05")),
        (datetime.date(2026, 11, 3), "USD", "EUR", Decimal("0.9215")),
    ]


def test_a_new_rate_for_the_same_day_replaces_the_old_one(installation, rates_file):
    run("import", rates_file("date,currency,rate\n2026-11-02,USD,0.92\n"))

    out = run("import", rates_file("currency,date,rate,plan_currency\nUSD,2026-11-02,0.93,EUR\n", "fix.csv"))

    assert "0 new, 1 updated" in out
    assert stored() == [(datetime.date(2026, 11, 2), "USD", "EUR", Decimal("0.93"))]


def test_errors_name_line_and_column_and_nothing_is_imported(installation, rates_file):
    path = rates_file(
        "date,currency,rate\n"
        "2026-11-02,USD,0.92\n"
        "02.11.2026,USD,0.92\n"
        "2026-11-03,US,0.92\n"
        "2026-11-04,USD,0,92\n"
        "2026-11-05,USD,-1\n"
        "2026-11-06,EUR,1\n"
        "2026-11-02,USD,0.95\n"
    )

    with pytest.raises(CommandError) as error:
        run("import", path)

    message = str(error.value)
    assert message.splitlines() == [
        "6 problem(s), nothing imported:",
        f"{path}:3: column date: '02.11.2026' is not a date (YYYY-MM-DD)",
        f"{path}:4: column currency: 'US' is not a three-letter currency code",
        # "0,92" without quotes is two cells: the rate is "0", an extra cell is ignored.
        f"{path}:5: column rate: '0' must be a number > 0",
        f"{path}:6: column rate: '-1' must be a number > 0",
        f"{path}:7: column currency: EUR is the plan currency; its rate is always 1",
        f"{path}:8: column date: a second USD->EUR rate for 2026-11-02 (first on line 2)",
    ]
    assert not ExchangeRate.objects.exists()


def test_missing_columns(installation, rates_file):
    with pytest.raises(CommandError, match=r"rates.csv:1: missing column\(s\) rate; expected date,currency,rate"):
        run("import", rates_file("date,currency,value\n2026-11-02,USD,0.92\n"))


def test_installation_must_be_named_when_there_are_several(installation, installation_factory, rates_file):
    other = installation_factory()
    path = rates_file("date,currency,rate\n2026-11-02,USD,0.92\n")

    with pytest.raises(CommandError, match="--installation"):
        run("import", path)
    run("import", path, "--installation", other.saleor_api_url.rstrip("/"))

    assert ExchangeRate.objects.get().installation == other
    with pytest.raises(CommandError, match="No installation with the API URL https://nowhere.example.com/graphql/"):
        run("import", path, "--installation", "https://nowhere.example.com/graphql")


def test_missing_file(installation):
    with pytest.raises(CommandError, match="no such file"):
        run("import", "/nonexistent/rates.csv")


def test_parked_order_is_credited_after_the_rates_arrive(installation, order_event_factory, ledger_partner, rates_file):
    anna = ledger_partner("ANNA", email="anna@example.com")
    created = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC)
    usd = order_event_factory(currency="USD", email="anna@example.com", created=created, lines=[order_line(currency="USD", net="100.00")])
    gbp = order_event_factory(currency="GBP", email="anna@example.com", created=created, lines=[order_line(currency="GBP", net="10.00")])
    assert credit_order_event(usd).outcome == credit_order_event(gbp).outcome == CreditOutcome.PARKED
    # A refund of the USD order, waiting for its payment.
    refund = order_event_factory("refunded", order=usd.order, total_refunded="50.00")
    assert credit_order_event(refund).outcome == CreditOutcome.PARKED

    out = run("import", rates_file("date,currency,rate\n2026-11-01,USD,0.9\n"))

    assert "Parked order events: 2 credited, 1 still parked." in out
    # 100 USD x 0.9 = 90 EUR, half refunded.
    assert sorted(LedgerEntry.objects.filter(partner=anna).values_list("kind", "bv")) == [
        ("order", Decimal("90")),
        ("refund", Decimal("-45")),
    ]
    still = ParkedOrderEvent.objects.get(resolved_at__isnull=True)
    assert (still.order_event, still.message) == (gbp, "no exchange rate for GBP->EUR on 2026-11-03")

    out = run("import", rates_file("date,currency,rate\n2026-11-03,GBP,1.15\n", "gbp.csv"))
    assert "1 credited, 0 still parked" in out
    assert not ParkedOrderEvent.objects.filter(resolved_at__isnull=True).exists()


def test_saleor_mlm_console_script_runs_the_command(installation, rates_file, capsys):
    from saleor_mlm.cli import main

    main(["rates", "import", rates_file("date,currency,rate\n2026-11-02,USD,0.92\n")])

    assert "1 new" in capsys.readouterr().out


def test_retry_parked_command(installation, order_event_factory, ledger_partner, exchange_rate):
    ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(currency="USD", email="anna@example.com", lines=[order_line(currency="USD", net="10.00")])
    credit_order_event(event)
    out = StringIO()
    call_command("retry_parked", stdout=out)
    assert "0 credited, 1 still parked" in out.getvalue()

    exchange_rate("USD", "0.5", on=datetime.date(2026, 1, 1))
    out = StringIO()
    call_command("retry_parked", "--installation", installation.saleor_api_url, stdout=out)

    assert "1 credited, 0 still parked" in out.getvalue()
    assert LedgerEntry.objects.get().bv == Decimal("5.00")
