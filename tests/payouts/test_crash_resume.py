"""Exactly once: a payout run killed (SIGKILL) in the middle of its Stripe Transfers, at the
worst moment (Stripe made the third transfer, the process never heard the answer), and
resumed by running the same command again, pays every partner once: no transfer twice, none
lost. The run executes in a real `saleor-mlm payouts execute` process against the test
database and the local Stripe."""

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from saleor_mlm.network import TaxStatus
from saleor_mlm.payout_runs import ItemStatus, RunStatus
from saleor_mlm.payout_runs.models import PayoutItem, PayoutRun
from saleor_mlm.payouts.models import StripeAccount

from . import test_stripe
from .test_stripe import FINANCE, approved_run, onboard

BIN = Path(sys.executable).parent
local_stripe = test_stripe.local_stripe  # the fixture: a local Stripe per test
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs the PostgreSQL of DATABASE_URL"),
]


def execute_command(stripe_url: str, tmp_path: Path, in_flight: int = 1) -> tuple[list[str], dict[str, str]]:
    """`saleor-mlm payouts execute` on this test's database, with the suite's keys, sending
    `in_flight` Transfers at once."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit((parts.scheme, parts.netloc, "/" + connection.settings_dict["NAME"], "", ""))
    env = {name: value for name, value in os.environ.items() if name not in {"DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "CACHE_URL"}}
    env.update(
        DATABASE_URL=url, STRIPE_API_BASE=stripe_url, SALEOR_MLM_DATA_DIR=str(tmp_path / "var"), LOG_FORMAT="text", STRIPE_TRANSFERS_IN_FLIGHT=str(in_flight)
    )
    return [str(BIN / "saleor-mlm"), "payouts", "execute", "--period", "2026-07", "--by", FINANCE], env


def resume_and_check_everyone_paid_once(command, env, tmp_path, run, local_stripe, partners: int) -> None:
    """Run the same command again: every item paid, by exactly one Transfer each."""
    resumed = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert resumed.returncode == 0, resumed.stderr
    items = list(PayoutItem.objects.filter(run=run).order_by("id"))
    assert {item.status for item in items} == {ItemStatus.PAID}
    by_account = {a.partner_id: a.account_id for a in StripeAccount.objects.all()}
    for item in items:
        (transfer,) = local_stripe.transfers_to(by_account[item.partner_id])  # exactly one per partner
        assert (transfer["id"], transfer["amount"]) == (item.stripe_transfer_id, int(item.amount * 100))
    assert len(local_stripe.transfers) == partners
    assert PayoutRun.objects.get(pk=run.pk).status == RunStatus.EXECUTED


def test_a_run_killed_after_three_transfers_pays_everyone_once_when_resumed(month, earner, installation, settle, local_stripe, client, tmp_path):
    period = month("2026-07")
    partners = [earner(f"Partner{i}", {period: f"{30 + i}.00"}, TaxStatus.PRIVATE) for i in range(6)]
    settle(period)
    for partner in partners:
        onboard(partner, local_stripe, client, installation)
    run = approved_run(installation, period)
    command, env = execute_command(local_stripe.url, tmp_path)

    killed = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    local_stripe.kill_after = (killed.pid, 3)
    killed.communicate(timeout=300)

    assert killed.returncode == -signal.SIGKILL
    assert len(local_stripe.transfers) == 3
    states = Counter(PayoutItem.objects.filter(run=run).values_list("status", flat=True))
    # All six were claimed (sent) in one batch; two recorded paid, the third made but never recorded.
    assert states == {ItemStatus.PAID: 2, ItemStatus.SENT: 4}
    assert PayoutRun.objects.get(pk=run.pk).status == RunStatus.EXECUTING

    resume_and_check_everyone_paid_once(command, env, tmp_path, run, local_stripe, 6)


def test_a_run_sending_several_transfers_at_once_killed_and_resumed_pays_everyone_once(month, earner, installation, settle, local_stripe, client, tmp_path):
    """Four Transfers in flight at once (each in its own thread and transaction, under its
    row lock, with its key): killed when Stripe made the fourth, others may be under way."""
    period = month("2026-07")
    partners = [earner(f"Partner{i}", {period: f"{30 + i}.00"}, TaxStatus.PRIVATE) for i in range(8)]
    settle(period)
    for partner in partners:
        onboard(partner, local_stripe, client, installation)
    run = approved_run(installation, period)
    command, env = execute_command(local_stripe.url, tmp_path, in_flight=4)

    killed = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    local_stripe.kill_after = (killed.pid, 4)
    killed.communicate(timeout=300)

    assert killed.returncode == -signal.SIGKILL
    made = len(local_stripe.transfers)
    states = Counter(PayoutItem.objects.filter(run=run).values_list("status", flat=True))
    assert 4 <= made <= 8 and states[ItemStatus.PAID] < made  # the fourth was made, never recorded
    assert states[ItemStatus.PAID] + states[ItemStatus.SENT] == 8  # all claimed before any was sent

    resume_and_check_everyone_paid_once(command, env, tmp_path, run, local_stripe, 8)
