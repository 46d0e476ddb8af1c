"""Payouts are made in the plan currency: a SEPA run of a plan in another currency than euro
is refused before anything is sent (in the merchant's language), and a partner whose Stripe
account settles in another currency is paid in the plan currency (Stripe converts)."""

import copy

import pytest
from django.utils import translation

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.models import Partner
from saleor_mlm.payout_runs import ItemStatus, RunStatus
from saleor_mlm.payout_runs.models import PayoutItem, PayoutRun
from saleor_mlm.payout_runs.runs import execute_run
from saleor_mlm.payouts.error_codes import PayoutErrorCode
from saleor_mlm.payouts.models import StripeAccount
from saleor_mlm.payouts.profiles import ProfileInput, set_debtor_account, set_payout_profile
from tests.fixtures.periods import SIMPLE_PLAN

from . import test_stripe
from .test_stripe import FINANCE, approved_run, onboard

pytestmark = pytest.mark.django_db
local_stripe = test_stripe.local_stripe  # the fixture: a local Stripe per test


@pytest.fixture
def active_plan(request, plan_version_factory):
    """The plan of the test, in the currency it is parametrized with (euro by default)."""
    document = copy.deepcopy(SIMPLE_PLAN)
    document["currency"] = getattr(request, "param", "EUR")
    return plan_version_factory(document)


@pytest.mark.parametrize("active_plan", ["CHF"], indirect=True)
def test_a_sepa_run_in_another_currency_is_refused_in_the_merchant_s_language(month, earner, installation, settle):
    period = month("2026-05")
    carl = earner("Carl", {period: "40.00"}, TaxStatus.PRIVATE)
    settle(period)
    set_payout_profile(
        carl, ProfileInput(method="SEPA", account_holder="Carl Muster", iban="DE89370400440532013000"), changed_by="carl", by_partner=True
    )
    set_debtor_account(installation.pk, name="Shop GmbH", iban="DE75512108001245126199")
    run = approved_run(installation, period)
    assert (run.currency, PayoutItem.objects.get(run=run).currency) == ("CHF", "CHF")

    messages = {}
    for language in ("de", "en"):
        with translation.override(language), pytest.raises(DomainError) as refused:
            execute_run(installation, run, FINANCE)
        assert refused.value.code == PayoutErrorCode.CURRENCY_NOT_EUR
        messages[language] = refused.value.message

    assert messages == {
        "de": "SEPA-Überweisungen sind in Euro; diese Periode wurde in CHF abgerechnet. Zahlen Sie diese Partner über Stripe aus.",
        "en": "SEPA credit transfers are made in euro; this period was settled in CHF. Pay these partners by Stripe.",
    }
    # Refused before anything was sent: the run waits as approved, the item as pending, no file.
    run = PayoutRun.objects.get(pk=run.pk)
    assert (run.status, run.started_at, run.sepa_files.exists()) == (RunStatus.APPROVED, None, False)
    assert PayoutItem.objects.get(run=run).status == ItemStatus.PENDING


def test_a_partner_whose_stripe_account_settles_in_francs_is_paid_in_euro(month, earner, installation, settle, local_stripe, client):
    period = month("2026-06")
    heidi = earner("Heidi", {period: "40.00"}, TaxStatus.PRIVATE)
    Partner.objects.filter(pk=heidi.pk).update(country="CH")
    heidi.refresh_from_db()
    settle(period)
    account = onboard(heidi, local_stripe, client, installation)
    # Stripe opened a Swiss account that settles in francs, and said so in account.updated.
    assert (local_stripe.accounts[account.account_id]["default_currency"], account.default_currency) == ("chf", "CHF")

    run = execute_run(installation, approved_run(installation, period), FINANCE)

    (transfer,) = local_stripe.transfers_to(account.account_id)
    item = PayoutItem.objects.get(run=run, partner=heidi)
    assert (transfer["amount"], transfer["currency"]) == (4000, "eur")  # the plan currency; Stripe converts on its side
    assert (item.status, item.amount, item.currency, item.stripe_transfer_id) == (ItemStatus.PAID, 40, "EUR", transfer["id"])
    assert StripeAccount.objects.get(partner=heidi).default_currency == "CHF"
