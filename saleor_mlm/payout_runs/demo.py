"""The demo pays its committed month: an executed payout run with Stripe and SEPA items.

`pay_demo_month(installation)` runs after the demo has committed its month and corrected a
credit note. Against a local Stripe in this process (`local_stripe`, no network), it:

- sets the shop's bank account and Stripe keys;
- gives the partners paid in the month payout profiles: every third a Stripe Express account
  (onboarded: Stripe's signed `account.updated` goes through the webhook intake), the others
  an IBAN (schwifty-made, valid), a few none; one partner changed its IBAN and waits for
  confirmation; one Stripe account has not finished its onboarding;
- creates the run (demo finance), approves it (the demo approver), executes it: Transfers and
  one pain.001.001.09 file;
- the bank returns one transfer (AC04, account closed): it goes back on the partner's balance;
  then the file is marked executed.

Nothing happens when the month has a payout run already.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from schwifty import IBAN

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.payouts.profiles import ProfileInput, set_debtor_account, set_payout_profile, set_stripe_keys
from saleor_mlm.payouts.stripe_connect import onboarding_link

from . import ItemStatus
from .local_stripe import LocalStripe, signed
from .models import PayoutItem, PayoutRun
from .runs import approve_run, create_run, execute_run
from .sepa_files import mark_file_executed, reject_items
from .stripe_webhooks import receive_stripe_event

DEMO_FINANCE = "demo-finance@saleor-mlm.local"
DEMO_APPROVER = "demo-approver@saleor-mlm.local"
DEMO_SECRET_KEY, DEMO_WEBHOOK_SECRET = "sk_test_saleor_mlm_demo", "whsec_saleor_mlm_demo"
DEMO_DEBTOR = ("Vitalia Naturkosmetik GmbH", "DE75512108001245126199")
DEMO_BANK = "37040044"  # a German bank code schwifty's registry knows (it fills in the BIC)
LINK = {"refresh_url": "https://vitalia.example/partner/payouts", "return_url": "https://vitalia.example/partner/payouts"}


def _iban(partner: Partner, offset: int = 0) -> str:
    return str(IBAN.generate("DE", bank_code=DEMO_BANK, account_code=f"{partner.pk * 10 + offset:010d}"))


def pay_demo_month(installation: Installation) -> PayoutRun | None:
    period = Period.objects.filter(installation=installation, status=PeriodStatus.COMMITTED).order_by("-starts_on").first()
    if period is None or PayoutRun.objects.filter(period=period).exists():
        return None
    stripe = LocalStripe(DEMO_SECRET_KEY).start()
    base = django_settings.STRIPE_API_BASE
    django_settings.STRIPE_API_BASE = stripe.url
    try:
        return _pay(installation, period, stripe)
    finally:
        django_settings.STRIPE_API_BASE = base
        stripe.stop()


def _pay(installation: Installation, period: Period, stripe: LocalStripe) -> PayoutRun:
    set_debtor_account(installation.pk, name=DEMO_DEBTOR[0], iban=DEMO_DEBTOR[1])
    set_stripe_keys(installation.pk, secret_key=DEMO_SECRET_KEY, webhook_secret=DEMO_WEBHOOK_SECRET)
    paid = in_force(CreditNote.objects.filter(period=period, gross__gt=0)).values_list("partner_id", flat=True).distinct()
    partners = list(Partner.objects.filter(pk__in=paid).order_by("pk"))
    for number, partner in enumerate(partners):
        if number % 3 == 0:
            account, _url = onboarding_link(partner, changed_by=partner.email, **LINK)
            if number != 0:  # the first one has not finished Stripe's onboarding
                body, signature = signed(stripe.enable_payouts(account.account_id), DEMO_WEBHOOK_SECRET)
                receive_stripe_event(installation.pk, body, signature)
        elif number % 10 != 1:  # a few partners have set no payout method
            profile = ProfileInput(method="SEPA", account_holder=partner.display_name[:70], iban=_iban(partner))
            set_payout_profile(partner, profile, changed_by=partner.email, by_partner=True)
            if number == 2:  # changed its IBAN: waits for the merchant's confirmation
                changed = ProfileInput(method="SEPA", account_holder=partner.display_name[:70], iban=_iban(partner, 1))
                set_payout_profile(partner, changed, changed_by=partner.email, by_partner=True)
    run = approve_run(installation, create_run(installation, period, DEMO_FINANCE), DEMO_APPROVER)
    run = execute_run(installation, run, DEMO_FINANCE)
    sepa_file = run.sepa_files.order_by("id").first()
    if sepa_file is not None:
        returned = PayoutItem.objects.filter(sepa_file=sepa_file).order_by("id")[0]  # a file has items
        reject_items(sepa_file, [returned.end_to_end_id], reason="AC04 Konto erloschen / account closed", rejected_by=DEMO_FINANCE)
        mark_file_executed(sepa_file, DEMO_FINANCE)
    return run


def demo_summary(run: PayoutRun) -> str:
    """One line for the demo's output."""
    counts = {status: PayoutItem.objects.filter(run=run, status=status).count() for status, _label in ItemStatus.CHOICES}
    stripe_paid = PayoutItem.objects.filter(run=run, status=ItemStatus.PAID).exclude(stripe_transfer_id="").count()
    in_files = PayoutItem.objects.filter(run=run).exclude(sepa_file=None).count()
    return (
        f"payouts: {run.period.label} executed: {counts[ItemStatus.PAID]} paid ({stripe_paid} by Stripe, {in_files} in the SEPA file), "
        f"{counts[ItemStatus.RETURNED]} returned, {counts[ItemStatus.PENDING]} waiting"
    )
