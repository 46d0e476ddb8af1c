"""`saleor-mlm payouts create|approve|execute|sepa|status --period YYYY-MM`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.payout_runs import RunStatus
from saleor_mlm.payout_runs.models import PayoutRun

from . import sepa_xsd, test_sepa_runs

pytestmark = pytest.mark.django_db
may = test_sepa_runs.may  # the committed May of the SEPA runs' tests


def payouts(*args) -> str:
    out = StringIO()
    call_command("payouts", *args, stdout=out)
    return out.getvalue()


def test_month_end_from_the_command_line(may, tmp_path):
    with pytest.raises(CommandError, match="2026-05 has no payout run: create one first."):
        payouts("sepa", "--period", "2026-05", "--out", str(tmp_path / "x.xml"))

    created = payouts("create", "--period", "2026-05", "--by", "creator@example.com")
    with pytest.raises(CommandError, match="creator@example.com created this payout run: another person approves it."):
        payouts("approve", "--period", "2026-05", "--by", "creator@example.com")
    with pytest.raises(CommandError, match="has no SEPA file: execute it first"):
        payouts("sepa", "--period", "2026-05", "--out", str(tmp_path / "x.xml"))
    payouts("approve", "--period", "2026-05", "--by", "approver@example.com")
    executed = payouts("execute", "--period", "2026-05", "--by", "finance@example.com")
    written = payouts("sepa", "--period", "2026-05", "--out", str(tmp_path / "may.xml"))

    run = PayoutRun.objects.get()
    assert created == f"payout run {run.pk} of 2026-05: created; pending 5 (316.7500 EUR); skipped 3\n"
    assert executed == f"payout run {run.pk} of 2026-05: executed; pending 3 (232.6000 EUR), sent 2 (84.1500 EUR); skipped 3\n"
    sepa_file = run.sepa_files.get()
    assert written == f"{tmp_path / 'may.xml'}: 2 transfers, 84.1500 EUR, message {sepa_file.message_id}\n"
    document = sepa_xsd.validated((tmp_path / "may.xml").read_text(encoding="utf-8"))
    assert sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == "2"
    assert run.status == RunStatus.EXECUTED
