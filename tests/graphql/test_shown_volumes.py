"""Shown volumes in the API and the CSV files: hundredths rounded toward minus infinity.

Sam's customer buys for 99.99 PV and is looked after by Bea with a share of 0.5: Sam's PV
is 49.995, below the plan's 50. Half up showed "50.00" beside "not qualified"; now it
reads 49.99 everywhere (live volumes, the next-rank report, the closed period's volumes
and commissions, the statements' CSV), and `met` agrees with what is shown.
"""

import csv
import datetime
import io

import pytest

from saleor_mlm.calendar.models import Period
from saleor_mlm.statements.exports import _copy_statements_csv, _python_statements_csv
from tests.fixtures.periods import SIMPLE_PLAN

pytestmark = pytest.mark.django_db

SAM_USER = "VXNlcjo0OTk5NQ=="  # base64("User:49995")

FIGURES = """
query($period: String) {
  me {
    partner {
      volumes { pv gv qualified }
      closed: volumes(period: $period) { pv gv qualified }
      commissions(period: $period) { pv gv qualified }
      nextRank { qualified requirements { kind needed actual missing met } }
    }
  }
}
"""


@pytest.fixture
def sam(gql_installation, plan_version_factory, partner_factory, customer_factory, care_assignment_factory, month, volume, close_and_run):
    plan_version_factory(SIMPLE_PLAN, installation=gql_installation)  # active_min_pv 50
    sam = partner_factory(installation=gql_installation, saleor_user_id=SAM_USER, first_name="Sam", email="sam@example.com")
    bea = partner_factory(installation=gql_installation, first_name="Bea")
    customer = customer_factory(sam)
    care_assignment_factory(customer, bea, "0.5")
    today = datetime.date.today().replace(day=1)
    last_month = month(f"{today - datetime.timedelta(days=1):%Y-%m}", installation=gql_installation)
    this_month = month(f"{today:%Y-%m}", installation=gql_installation)
    volume(customer, last_month, "99.99")
    volume(customer, this_month, "99.99")
    close_and_run(last_month, installation=gql_installation)
    return sam, Period.objects.select_related("close_run").get(pk=last_month.pk)


def test_pv_49_995_reads_49_99_and_not_qualified_in_the_api(gql, storefront, sam):
    partner, last_month = sam

    result = gql(FIGURES, {"period": last_month.label}, as_=storefront(SAM_USER, "sam@example.com"))

    assert result.errors == []
    figures = result.data["me"]["partner"]
    shown = {"pv": "49.99", "gv": "49.99", "qualified": False}
    assert figures["volumes"] == figures["closed"] == figures["commissions"] == shown
    assert figures["nextRank"] == {
        "qualified": False,
        "requirements": [{"kind": "QUALIFYING_PV", "needed": "50.00", "actual": "49.99", "missing": "0.01", "met": False}],
    }


def test_pv_49_995_reads_49_99_in_the_statements_csv(sam):
    partner, last_month = sam
    for write in (_python_statements_csv, _copy_statements_csv):
        handle = io.StringIO()
        write(last_month, last_month.close_run, handle)
        (row,) = [row for row in csv.DictReader(io.StringIO(handle.getvalue())) if row["partner_id"] == str(partner.pk)]
        assert (row["pv"], row["gv"], row["qualified"]) == ("49.99", "49.99", "false")
