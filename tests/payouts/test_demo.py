"""The demo's committed month is paid out: an executed payout run with Stripe and SEPA items,
one transfer returned by the bank and back on the balance, and a SEPA file that validates."""

import pytest

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.demo import load_demo_data
from saleor_mlm.payout_runs import ItemStatus, RunStatus, SkipReason
from saleor_mlm.payout_runs.models import PayoutItem, PayoutRun
from saleor_mlm.payouts import PayoutMethod
from saleor_mlm.payouts.models import BalanceAdjustment

from . import sepa_xsd

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_demo_pays_its_committed_month(installation_factory, capsys):
    shop = installation_factory(is_demo=True)

    load_demo_data(shop, None, partners=300, customers=600)

    committed = Period.objects.get(installation=shop, status=PeriodStatus.COMMITTED)
    run = PayoutRun.objects.get(period=committed)
    items = PayoutItem.objects.filter(run=run)
    assert (run.status, run.created_by != run.approved_by) == (RunStatus.EXECUTED, True)
    assert items.filter(method=PayoutMethod.STRIPE, status=ItemStatus.PAID).exclude(stripe_transfer_id="").exists()
    assert items.filter(method=PayoutMethod.SEPA, status=ItemStatus.PAID).exists()
    (returned,) = items.filter(status=ItemStatus.RETURNED)
    assert BalanceAdjustment.objects.get(pk=returned.balance_adjustment_id).period.status == PeriodStatus.OPEN
    skipped = set(items.filter(status=ItemStatus.PENDING).values_list("skip_reason", flat=True))
    assert {SkipReason.STRIPE_NOT_READY, SkipReason.BANK_CHANGE_UNCONFIRMED, SkipReason.NO_METHOD} <= skipped
    (sepa_file,) = run.sepa_files.all()
    document = sepa_xsd.validated(sepa_file.content)
    assert len(sepa_xsd.transactions(document)) == sepa_file.transaction_count == items.exclude(sepa_file=None).count()
    assert sepa_file.executed_at is not None
