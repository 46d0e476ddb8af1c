"""Demo data: a believable network-marketing company for `saleor-mlm demo`.

`load_demo_data(installation, stdout)` (called by the demo command) creates, once per
installation and always the same for the same seed:

- about 3,000 partners in Germany, Austria and Switzerland: three founders, a few top
  recruiters with big frontlines, lines up to 12 levels deep; mostly active, some set
  inactive, some terminated; referral codes such as ``LENAM17`` (also their voucher codes);
- about 6,000 customers: registered Saleor users and guest checkouts, a few house
  customers without sponsor;
- Betreuer for about 15 % of partners and customers with shares from 0.3 to 0.7, and
  split agreements for the top recruiters (assignments without a share of their own
  follow them);
- three months of orders (the two previous months and the current one so far), with
  product metadata `mlm.pv` / `mlm.bv`, in EUR and, for Swiss buyers, CHF; about 3 %
  refunded in full, 2 % in part, 1 % cancelled; credited into the ledger (see `orders`),
  the last days' orders and new customers through the webhook pipeline;
- the example plan of docs/compensation.md as the active plan version, and, when the
  periods domain provides it, past months closed (`periods.demo.create_demo_periods`);
- tax profiles of every status, the demo shop as the issuer of credit notes, the credit
  notes of the committed month and one of them corrected (`credit_notes.demo`);
- the committed month paid out: an executed payout run with Stripe (against a local Stripe in
  the process) and SEPA items, one transfer returned by the bank (`payout_runs.demo`).

See docs/demo.md. Nothing happens when the installation has partners already. The
environment variable `SALEOR_MLM_DEMO_PARTNERS` sets another size (customers: twice as
many), e.g. 200 for a quick start in tests.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import os
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from saleor_mlm.credit_notes.demo import correct_one_demo_credit_note, prepare_demo_credit_notes
from saleor_mlm.network.models import Partner
from saleor_mlm.notifications.triggers import paused as notifications_paused
from saleor_mlm.payout_runs.demo import demo_summary, pay_demo_month
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.plans.fetch import plan_in_force
from saleor_mlm.registration.demo import publish_demo_terms

from .network import build_network
from .orders import credit_orders, plan_orders

DEFAULT_SEED = 20261124
DEFAULT_PARTNERS = 3000
SIZE_VARIABLE = "SALEOR_MLM_DEMO_PARTNERS"
DEMO_USER = "demo@saleor-mlm.local"

# The example plan of docs/compensation.md, section 5.
from saleor_mlm.engine.examples import EXAMPLE_PLAN  # noqa: E402


@dataclass(frozen=True)
class DemoData:
    partners: int
    customers: int
    care_assignments: int
    orders: int
    through_pipeline: int
    refunds: int
    cancellations: int
    seconds: float


def _say(stdout, text: str) -> None:
    if stdout is not None:
        # Django's OutputWrapper ends lines itself; a plain stream needs the newline.
        stdout.write(text if hasattr(stdout, "ending") else text + "\n")


def demo_months(now: datetime.datetime) -> list[datetime.date]:
    """The first days of the two previous months and of the current one."""
    current = timezone.localtime(now).date().replace(day=1)
    previous = (current - datetime.timedelta(days=1)).replace(day=1)
    before = (previous - datetime.timedelta(days=1)).replace(day=1)
    return [before, previous, current]


# The demo's months are invented history: nobody is mailed about them (docs/notifications.md).
@notifications_paused()
def load_demo_data(
    installation,
    stdout=None,
    *,
    partners: int | None = None,
    customers: int | None = None,
    seed: int = DEFAULT_SEED,
    now: datetime.datetime | None = None,
    periods: bool = True,
) -> DemoData | None:
    """Fill the (demo) installation with a network and three months of orders; None
    when it has partners already. `periods=False` leaves the months open."""
    partners = partners or int(os.environ.get(SIZE_VARIABLE) or DEFAULT_PARTNERS)
    customers = customers or 2 * partners
    if Partner.objects.filter(installation=installation).exists():
        _say(stdout, "demo data: present already")
        return None
    started = time.perf_counter()
    now = now or timezone.now()
    rng = random.Random(seed)
    months = demo_months(now)
    with transaction.atomic():
        network = build_network(installation, rng, partners, customers, now)
        _say(stdout, f"demo data: {len(network.partners)} partners, {len(network.customers)} customers, {len(network.care)} Betreuer")
        planned = plan_orders(rng, network, months, now)
        stats = credit_orders(installation, network, planned, now, stdout)
        _activate_example_plan(installation, months[0], stdout)
        # Online registration is open in the demo (the office's /office/join/<code>).
        publish_demo_terms(installation, DEMO_USER)
    refunds = stats.take_backs["refunded"] + stats.take_backs["fully_refunded"]
    cancellations = stats.take_backs["cancelled"]
    _say(
        stdout,
        f"demo data: {stats.orders} orders ({', '.join(f'{month}: {count}' for month, count in sorted(stats.by_month.items()))}), "
        f"{refunds} refunded, {cancellations} cancelled, {stats.through_pipeline} through the webhook pipeline "
        f"({time.perf_counter() - started:.1f} s)",
    )
    if periods:
        prepare_demo_credit_notes(installation)
        _create_periods(installation, stdout, now)
        cancellation = correct_one_demo_credit_note(installation)
        if cancellation is not None and cancellation.cancels is not None:
            _say(stdout, f"demo data: credit note {cancellation.cancels.number} cancelled by {cancellation.number} and issued anew")
        payout_run = pay_demo_month(installation)
        if payout_run is not None:
            _say(stdout, "demo data: " + demo_summary(payout_run))
    result = DemoData(
        partners=len(network.partners),
        customers=len(network.customers),
        care_assignments=len(network.care),
        orders=stats.orders,
        through_pipeline=stats.through_pipeline,
        refunds=refunds,
        cancellations=cancellations,
        seconds=round(time.perf_counter() - started, 1),
    )
    _say(stdout, f"demo data: loaded in {result.seconds} s")
    return result


def _activate_example_plan(installation, first_month: datetime.date, stdout) -> None:
    """The example plan as the active plan version from the first demo month, unless a
    version is in force already."""
    if plan_in_force(installation.pk, first_month) is not None:
        return
    version = create_plan_version(installation, EXAMPLE_PLAN["name"], EXAMPLE_PLAN, DEMO_USER)
    activate_plan_version(version, first_month, DEMO_USER)
    _say(stdout, f"demo data: plan {version.name!r} in force from {first_month:%Y-%m}")


def _create_periods(installation, stdout, now) -> None:
    """Close the past months (statements, approval) when the periods domain can."""
    if importlib.util.find_spec("saleor_mlm.periods.demo") is None:
        return
    create = getattr(importlib.import_module("saleor_mlm.periods.demo"), "create_demo_periods", None)
    if create is not None:
        create(installation, stdout)
