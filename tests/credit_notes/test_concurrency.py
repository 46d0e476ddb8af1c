"""Numbers under concurrency on PostgreSQL: eight periods committed at the same time by
eight threads give one gap-free series; eight cancellations at once too."""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.issue import cancel_credit_note
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import TaxStatus
from saleor_mlm.periods.actions import approve_period, commit_period
from tests.fixtures.periods import APPROVER

from .conftest import FINANCE

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year
MONTHS = [f"2026-{m:02d}" for m in range(1, 9)]


def in_threads(work, items):
    errors, barrier = [], threading.Barrier(len(items))

    def run(item):
        try:
            barrier.wait()
            work(item)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_eight_concurrent_commits_give_one_gap_free_series(month, earner, installation, close_and_run):
    periods = [month(label) for label in MONTHS]
    for n in range(3):
        earner(f"P{n}", {period: "30.00" for period in periods}, TaxStatus.REGULAR)
    for period in periods:
        close_and_run(period)
        approve_period(installation, period, APPROVER)

    def commit(period):
        # Periods commit in order: a thread whose earlier month is not committed yet retries.
        while True:
            try:
                return commit_period(installation, period, FINANCE)
            except DomainError as error:
                if error.code != PeriodErrorCode.EARLIER_PERIOD_NOT_COMMITTED:
                    raise
                time.sleep(0.05)

    in_threads(commit, periods)

    notes = list(CreditNote.objects.order_by("sequence").values_list("sequence", "period__starts_on"))
    assert [sequence for sequence, _ in notes] == list(range(1, 25))
    assert [starts_on for _, starts_on in notes] == sorted(starts_on for _, starts_on in notes)  # each period's block in order


def test_eight_concurrent_cancellations_give_one_gap_free_series(month, earner, installation, close_and_run):
    october = month("2026-10")
    for n in range(8):
        earner(f"P{n}", {october: "30.00"}, TaxStatus.SMALL_BUSINESS)
    close_and_run(october)
    approve_period(installation, october, APPROVER)
    commit_period(installation, october, FINANCE)
    notes = list(CreditNote.objects.all())

    in_threads(lambda note: cancel_credit_note(installation, note, reason="Korrektur", cancelled_by=FINANCE), notes)

    assert list(CreditNote.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 25))
    assert CreditNote.objects.filter(kind="CANCELLATION").count() == 8
    # Each cancellation and its replacement are numbered one after the other.
    for cancellation in CreditNote.objects.filter(kind="CANCELLATION"):
        assert CreditNote.objects.filter(sequence=cancellation.sequence + 1, partner_id=cancellation.partner_id, kind="CREDIT_NOTE").exists()
