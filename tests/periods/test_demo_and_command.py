"""The demo's periods and `saleor-mlm period ...`."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.demo import DEMO_APPROVER, DEMO_CLOSER, create_demo_periods
from saleor_mlm.periods.models import PeriodRun
from saleor_mlm.plans.models import PlanVersion
from saleor_mlm.statements.partner import partner_statement

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC)


@pytest.fixture
def shop(installation, partner_factory, customer_factory, month, volume):
    root = partner_factory(first_name="Root")
    anna = partner_factory(root, first_name="Anna")
    kunde = customer_factory(anna)
    for label in ("2026-08", "2026-09", "2026-10", "2026-11"):
        period = month(label)
        volume(root, period, 120)
        volume(anna, period, 300)
        volume(kunde, period, 80)
    return root, anna


@pytest.mark.slow
def test_the_demo_settles_the_past_and_previews_the_current_month(installation, shop):
    out = io.StringIO()

    done = create_demo_periods(installation, out, now=NOW)

    statuses = dict(Period.objects.filter(installation=installation).values_list("starts_on", "status"))
    assert statuses == {
        datetime.date(2026, 8, 1): PeriodStatus.COMMITTED,
        datetime.date(2026, 9, 1): PeriodStatus.COMMITTED,
        datetime.date(2026, 10, 1): PeriodStatus.APPROVED,
        datetime.date(2026, 11, 1): PeriodStatus.OPEN,
    }
    assert (done.closed, done.committed, done.preview) == (["2026-08", "2026-09", "2026-10"], ["2026-08", "2026-09"], "2026-11")
    october = Period.objects.get(starts_on=datetime.date(2026, 10, 1))
    assert (october.closed_by, october.approved_by) == (DEMO_CLOSER, DEMO_APPROVER)
    statement = partner_statement(installation, shop[0], october)
    # Level 1: 5 % of anna's 380.00 PBV (her customer's 80.00 included); difference: 3 % of
    # root's own 120.00 (anna's rank has the same rate, so nothing on hers).
    assert [(g.kind, g.amount) for g in statement.groups] == [("level", Decimal("19.00")), ("difference", Decimal("3.60"))]
    november = Period.objects.get(starts_on=datetime.date(2026, 11, 1))
    assert partner_statement(installation, shop[0], november).run_kind == RunKind.PREVIEW
    assert PlanVersion.objects.get().name == "Demo career plan"
    assert "2026-11 open, preview" in out.getvalue()

    again = create_demo_periods(installation, io.StringIO(), now=NOW)

    assert (again.closed, again.committed, again.preview) == ([], [], "2026-11")
    assert PeriodRun.objects.filter(kind=RunKind.PREVIEW, status=RunStatus.SUCCEEDED).count() == 1


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("period", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_month_end_from_the_command_line(installation, active_plan, shop, tmp_path):
    closed = run_command("close", "--period", "2026-08", "--by", "anna@example.com", "--no-progress")
    assert "close of 2026-08: run" in closed and "succeeded" in closed

    with pytest.raises(CommandError, match="another person approves it"):
        run_command("approve", "--period", "2026-08", "--by", "anna@example.com")
    assert "approved by bob@example.com" in run_command("approve", "--period", "2026-08", "--by", "bob@example.com")
    assert "re-opened" in run_command("reopen", "--period", "2026-08", "--by", "bob@example.com", "--reason", "late order")
    run_command("close", "--period", "2026-08", "--by", "anna@example.com", "--no-progress")
    run_command("approve", "--period", "2026-08", "--by", "bob@example.com")
    assert "committed" in run_command("commit", "--period", "2026-08", "--by", "bob@example.com")

    target = tmp_path / "statements.csv"
    assert "2 partners written" in run_command("statements", "--period", "2026-08", "--csv", str(target))
    assert target.read_text().startswith("partner_id,referral_code,name,email,pv,gv,ov")
    lines = tmp_path / "root.csv"
    run_command("statements", "--period", "2026-08", "--csv", str(lines), "--partner", shop[0].referral_code)
    assert lines.read_text().splitlines()[1].startswith("level,p")

    preview = run_command("preview", "--period", "2026-09", "--by", "anna@example.com", "--no-progress")
    assert "preview of 2026-09" in preview
    status = run_command("status")
    assert "2026-08  committed" in status and "2026-09  open" in status


def test_plan_versions_and_what_if_from_the_command_line(installation, active_plan, shop, tmp_path, close_and_run, month):
    close_and_run(month("2026-08"))
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: Richer\ncurrency: EUR\nactive_min_pv: 50\nbonuses: {level_rates: ['0.20']}\nranks: [{code: member}]\n")

    out = run_command("plan-add", "--file", str(plan), "--by", "planner@example.com")
    version = PlanVersion.objects.get(name="plan")
    assert f"plan version {version.pk} 'plan': draft" in out

    out = run_command("what-if", "--period", "2026-08", "--plan-version", str(version.pk), "--by", "planner@example.com")

    assert "base   'Simple plan': total 42.00" in out  # 10 % of anna's 380.00 + her 5 % of 80.00
    assert "draft  'Richer': total 76.00" in out  # 20 % of 380.00, no customer bonus


def test_command_errors_are_readable(installation, active_plan):
    with pytest.raises(CommandError, match="There is no period 2026-05"):
        run_command("approve", "--period", "2026-05", "--by", "x@example.com")
