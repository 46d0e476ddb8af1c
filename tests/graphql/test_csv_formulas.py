"""Spreadsheet formulas in CSV files (docs/security.md "Spreadsheet formulas in CSV files").

A storefront customer enrolls as a partner named `=HYPERLINK("http://evil","x")` (through
the real `partnerEnroll` mutation), earns and is refunded, and the period is closed. Every
CSV the merchant can get (the statements' summary as GraphQL text, as a download link, by
the `period statements` command, by Python and by PostgreSQL's COPY; a statement's lines as
GraphQL text and by the command) carries the name as text behind a single quote, while
negative figures in number columns stay numbers.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from saleor_mlm.core.csv_writer import FORMULA_STARTS, CsvWriter, neutralized
from saleor_mlm.network.models import Partner
from saleor_mlm.payouts.actions import add_adjustment
from saleor_mlm.statements.exports import LINE_COLUMNS, LINE_NUMBERS, SUMMARY_COLUMNS, SUMMARY_NUMBERS
from tests.fixtures.graphql import GRAPHQL_PLAN, STOREFRONT_USER_ID
from tests.graphql.test_periods_queries import gid
from tests.graphql.test_storefront_mutations import PARTNER_ENROLL

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil","x")'
EVIL_EMAIL = "+kim@example.com"


@pytest.fixture
def accountant(dashboard):
    return dashboard("MANAGE_ORDERS")


@pytest.fixture
def evil_period(gql, storefront, sample_network, gql_installation, plan_version_factory, month, volume, close_and_run):
    plan_version_factory(GRAPHQL_PLAN, installation=gql_installation)
    enrolled = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "anna1", "firstName": EVIL}}, as_=storefront(STOREFRONT_USER_ID, EVIL_EMAIL))
    assert enrolled.data["partnerEnroll"]["errors"] == []
    evil = Partner.objects.get(saleor_user_id=STOREFRONT_USER_ID)
    this_month = month(f"{datetime.date.today():%Y-%m}", installation=gql_installation)
    volume(sample_network["anna"], this_month, 100)
    volume(evil, this_month, 100)
    volume(evil, this_month, -130)  # a refund larger than the order: PV -30, lines below 0
    close_and_run(this_month, installation=gql_installation)
    add_adjustment(gql_installation, evil, this_month, "-12.50", "returned goods", "boss@example.com", "finance@example.com")
    return this_month, evil, sample_network["anna"]


def cells(text: str, columns: list[str], numbers: set[str]) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == columns
    for row in rows[1:]:
        for name, cell in zip(columns, row):
            if name in numbers:
                assert cell == "" or Decimal(cell) is not None, (name, cell)
            else:
                assert not cell.startswith(FORMULA_STARTS), (name, cell)
    return [dict(zip(columns, row)) for row in rows[1:]]


def evil_row(text: str, evil: Partner) -> dict:
    rows = cells(text, SUMMARY_COLUMNS, SUMMARY_NUMBERS)
    (row,) = [row for row in rows if row["partner_id"] == str(evil.pk)]
    return row


def test_every_statements_csv_neutralizes_what_people_entered(gql, accountant, evil_period, client, gql_installation, capsys):
    from saleor_mlm.calendar.models import Period
    from saleor_mlm.statements.exports import _copy_statements_csv, _python_statements_csv

    period, evil, _ = evil_period
    period = Period.objects.select_related("close_run").get(pk=period.pk)
    answer = gql("query($id: ID!) { period(id: $id) { statementsCsv statementsCsvUrl } }", {"id": gid(period)}, as_=accountant)
    as_text = answer.data["period"]["statementsCsv"]
    download = client.get(answer.data["period"]["statementsCsvUrl"].removeprefix("http://testserver"))
    by_link = b"".join(download.streaming_content).decode()
    call_command("period", "statements", "--installation", gql_installation.saleor_api_url, "--period", period.label, "--csv", "-")
    by_command = capsys.readouterr().out  # '-' is the process's standard output
    by_python, by_copy = io.StringIO(), io.StringIO()
    _python_statements_csv(period, period.close_run, by_python)
    _copy_statements_csv(period, period.close_run, by_copy)

    for text in (as_text, by_link, by_command, by_python.getvalue(), by_copy.getvalue()):
        row = evil_row(text, evil)
        assert (row["name"], row["email"]) == ("'" + EVIL, "'" + EVIL_EMAIL)
        assert (row["pv"], row["adjustments"]) == ("-30.00", "-12.50")  # numbers stay numbers
    assert by_python.getvalue() == by_copy.getvalue() == as_text == by_link == by_command


def test_every_lines_csv_neutralizes_the_source_name(gql, accountant, evil_period, gql_installation, capsys):
    period, evil, anna = evil_period
    answer = gql(
        "query($p: String!, $id: ID!) { statement(period: $p, partnerId: $id) { linesCsv } }",
        {"p": period.label, "id": gid(anna)},
        as_=accountant,
    )
    call_command("period", "statements", "--installation", gql_installation.saleor_api_url, "--period", period.label, "--partner", anna.referral_code, "--csv", "-")
    by_command = capsys.readouterr().out

    for text in (answer.data["statement"]["linesCsv"], by_command):
        rows = cells(text, LINE_COLUMNS, LINE_NUMBERS)
        from_evil = [row for row in rows if row["source_id"] == f"p{evil.pk}"]
        assert from_evil and {row["source_name"] for row in from_evil} == {"'" + EVIL}
        assert all(Decimal(row["amount"]) < 0 and row["amount"].startswith("-") for row in from_evil)  # a clawback, numeric


def test_the_writer_quotes_text_by_column_and_keeps_numbers():
    handle = io.StringIO()
    writer = CsvWriter(handle, ["name", "code", "amount"], number_columns={"amount"})
    for value in ("=1+2", "+49 30 1234", "-12.50", "@SUM(A1)", "\tx", "\rx", "Ada", "", None):
        writer.writerow([value, value, "-12.50"])
    rows = list(csv.reader(io.StringIO(handle.getvalue())))[1:]
    assert [row[0] for row in rows] == ["'=1+2", "'+49 30 1234", "'-12.50", "'@SUM(A1)", "'\tx", "'\rx", "Ada", "", ""]
    assert {row[2] for row in rows} == {"-12.50"}
    assert neutralized(7) == "7" and neutralized(-7) == "'-7"  # text columns take numbers as text
    with pytest.raises(ValueError):
        CsvWriter(io.StringIO(), ["name"], number_columns={"amount"})
