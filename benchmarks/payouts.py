"""A payout run of N items in PostgreSQL: half Stripe against the local Stripe, half SEPA (issue 17).

What `saleor-mlm payouts create|approve|execute` does for a committed month with N partners
who have a credit note: list the items, then send one Stripe Transfer per STRIPE item (claimed
in batches of 200, then each in its own transaction under its row lock with its idempotency
key, `STRIPE_TRANSFERS_IN_FLIGHT` at once, through the real `stripe` library over HTTP to
`saleor_mlm.payout_runs.local_stripe` in this process) and write one pain.001.001.09 file with
the SEPA items (sepaxml builds it and validates it against the ISO 20022 XSD). Afterwards it
checks exactly-once: one Transfer per Stripe partner, every Stripe item paid, every SEPA item
in the file.

The data is written straight into a dedicated database (`saleor_mlm_bench_payouts`, migrated
by this script): N partners, a committed period with a succeeded close run, one credit note
per partner (random amounts from 25 to 2,000 EUR, rows inserted directly: the documents'
issuing is benchmarked by benchmarks/credit_notes.py), payout profiles (even partners SEPA
with a schwifty-made IBAN, odd partners Stripe with an Express account whose payouts are
enabled, known to the local Stripe).

Usage::

    python benchmarks/payouts.py --items 2000 --runs 3       # while developing
    python benchmarks/payouts.py --items 10000 --runs 1      # a check of the script
    python benchmarks/payouts.py --items 100000 --runs 1     # the figure of record (a quiet machine)

`--in-flight N` sets STRIPE_TRANSFERS_IN_FLIGHT (8 by default, as in production).

Each run regenerates the data (not timed), then times: creating the run, the Stripe part of
the execution, writing the SEPA file. Results go to benchmarks/out/payouts-<items>.json
with the median of the runs and the load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
sys.path.insert(0, os.path.dirname(HERE))

DATABASE = os.environ.get("BENCH_DATABASE", "saleor_mlm_bench_payouts")
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres:postgres@127.0.0.1:5432")
SECRET_KEY = "sk_test_benchmark"
CREATOR, APPROVER = "creator@bench.example.com", "approver@bench.example.com"
BATCH = 5000  # rows per bulk insert


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The app refuses to start without keys of its own (saleor_mlm/core/startup.py).
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production-0123456789")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-field-encryption-key-not-for-production")
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{DATABASE}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(items: int, stripe) -> object:
    """The committed month with `items` credit notes; returns the period."""
    from schwifty import IBAN

    from saleor_mlm.calendar import PeriodStatus
    from saleor_mlm.calendar.models import Period
    from saleor_mlm.core import crypto
    from saleor_mlm.credit_notes.models import CreditNote
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.network.models import Partner
    from saleor_mlm.payouts import PayoutMethod
    from saleor_mlm.payouts.bank import mask_iban
    from saleor_mlm.payouts.models import PayoutProfile, StripeAccount
    from saleor_mlm.payouts.profiles import set_debtor_account, set_stripe_keys
    from saleor_mlm.periods import RunKind, RunStatus
    from saleor_mlm.periods.models import PeriodRun

    rng = random.Random(17)
    installation = Installation.objects.create(saleor_api_url="https://bench.example.com/graphql/", app_id="bench", encrypted_auth_token="-")
    period = Period.objects.create(
        installation=installation, starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 31), status=PeriodStatus.COMMITTED
    )
    run = PeriodRun.objects.create(installation=installation, period=period, kind=RunKind.CLOSE, status=RunStatus.SUCCEEDED, currency="EUR")
    Period.objects.filter(pk=period.pk).update(close_run=run)
    set_debtor_account(installation.pk, name="Bench GmbH", iban="DE75512108001245126199")
    set_stripe_keys(installation.pk, secret_key=SECRET_KEY)
    now = datetime.datetime.now(tz=datetime.UTC)
    for start in range(0, items, BATCH):
        numbers = range(start, min(start + BATCH, items))
        partners = Partner.objects.bulk_create(
            [
                Partner(installation=installation, referral_code=f"B{n:07d}", email=f"p{n}@bench.example.com", first_name="Partner", last_name=f"{n}", enrolled_at=now)
                for n in numbers
            ]
        )
        notes, profiles, accounts = [], [], []
        for n, partner in zip(numbers, partners, strict=True):
            net = Decimal(rng.randint(2500, 200000)) / 100
            notes.append(
                CreditNote(
                    installation=installation, period=period, partner=partner, kind="STATEMENT", number=f"BN-2026-{n + 1:06d}", year=2026,
                    sequence=n + 1, issue_date=datetime.date(2026, 11, 2), language="de", currency="EUR", tax_status="private",
                    vat_rate=0, net=net, vat=0, gross=net, supplier={}, recipient={}, partner_code=partner.referral_code, lines=[],
                    issued_by=CREATOR, retain_until=datetime.date(2034, 12, 31),
                )
            )  # fmt: skip
            if n % 2 == 0:
                iban = str(IBAN.generate("DE", bank_code="37040044", account_code=f"{n:010d}"))
                profiles.append(
                    PayoutProfile(
                        installation=installation, partner=partner, method=PayoutMethod.SEPA, account_holder=f"Partner {n}",
                        encrypted_iban=crypto.encrypt(iban), encrypted_bic=crypto.encrypt("COBADEFFXXX"), iban_masked=mask_iban(iban),
                    )
                )  # fmt: skip
            else:
                account_id = f"acct_bench{n:08d}"
                stripe.accounts[account_id] = {"id": account_id, "object": "account", "payouts_enabled": True}
                profiles.append(PayoutProfile(installation=installation, partner=partner, method=PayoutMethod.STRIPE))
                accounts.append(StripeAccount(installation=installation, partner=partner, account_id=account_id, payouts_enabled=True))
        CreditNote.objects.bulk_create(notes)
        PayoutProfile.objects.bulk_create(profiles)
        StripeAccount.objects.bulk_create(accounts)
    return period


def one_run(items: int) -> dict:
    setup_django()
    from django.conf import settings

    from saleor_mlm.payout_runs.local_stripe import LocalStripe
    from saleor_mlm.payout_runs.models import PayoutItem
    from saleor_mlm.payout_runs.runs import approve_run, create_run, start_execution
    from saleor_mlm.payout_runs.sepa_files import write_sepa_file
    from saleor_mlm.payout_runs.stripe_transfers import send_stripe_items

    stripe = LocalStripe(SECRET_KEY).start()
    settings.STRIPE_API_BASE = stripe.url
    try:
        period = generate(items, stripe)
        load_before = os.getloadavg()
        started = time.perf_counter()
        run = create_run(period.installation, period, CREATOR)
        created = time.perf_counter()
        run = start_execution(period.installation, approve_run(period.installation, run, APPROVER), CREATOR)
        send_stripe_items(run)
        stripe_done = time.perf_counter()
        sepa_file = write_sepa_file(run, CREATOR)
        sepa_done = time.perf_counter()
        paid = PayoutItem.objects.filter(run=run, status="paid").count()
        assert paid == items // 2 and len(stripe.transfers) == items // 2, (paid, len(stripe.transfers))
        destinations = [transfer["destination"] for transfer in stripe.transfers.values()]
        assert len(set(destinations)) == len(destinations), "a partner was paid twice"
        assert sepa_file.transaction_count == items - items // 2
        return {
            "create_seconds": round(created - started, 2),
            "stripe_seconds": round(stripe_done - created, 2),
            "stripe_transfers_per_second": round((items // 2) / (stripe_done - created), 1),
            "in_flight": settings.STRIPE_TRANSFERS_IN_FLIGHT,
            "sepa_file_seconds": round(sepa_done - stripe_done, 2),
            "sepa_file_bytes": len(sepa_file.content.encode()),
            "execute_seconds": round(sepa_done - created, 2),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        stripe.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--in-flight", type=int, default=None, help="STRIPE_TRANSFERS_IN_FLIGHT (default: the app's, 8)")
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)  # one run, its JSON on stdout
    args = parser.parse_args()
    if args.single:
        print(json.dumps(one_run(args.items)))
        return
    import subprocess

    results = []
    for _ in range(args.runs):  # each run in a fresh process and database
        env = dict(os.environ, **({"STRIPE_TRANSFERS_IN_FLIGHT": str(args.in_flight)} if args.in_flight else {}))
        done = subprocess.run([sys.executable, __file__, "--items", str(args.items), "--single"], stdout=subprocess.PIPE, text=True, check=True, env=env)  # its errors on our stderr
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    summary = {
        "items": args.items,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": results,
        "median": {key: statistics.median(r[key] for r in results) for key in results[0] if key.endswith(("seconds", "second"))},
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"payouts-{args.items}.json"), "w") as out:
        json.dump(summary, out, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
