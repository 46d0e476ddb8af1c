"""Voucher codes that a failure took away come back: the task retries a transient database
error, and the periodic sweep gives the code to every partner who lacks it (issue 12: the
demo lost codes to "database is locked"). Against the local Saleor of saleor_stub."""

from __future__ import annotations

import datetime
import threading

import pytest
from celery.signals import task_retry
from django.db import connection, transaction
from django.utils import timezone

from saleor_mlm.network import vouchers
from saleor_mlm.network.models import Partner
from saleor_mlm.network.tasks import create_partner_voucher_code_task, issue_missing_voucher_codes_task

AN_HOUR_AGO = datetime.timedelta(hours=1)


def lost(partner: Partner) -> Partner:
    """The partner as its lost task left it: created an hour ago, no code."""
    Partner.objects.filter(pk=partner.pk).update(created_at=timezone.now() - AN_HOUR_AGO, voucher_code="")
    partner.refresh_from_db()
    return partner


def test_the_sweep_gives_a_lost_code(voucher_installation, voucher_saleor, partner_factory):
    anna = lost(partner_factory(installation=voucher_installation, referral_code="ANNA"))

    result = issue_missing_voucher_codes_task.apply()

    assert result.result == {"issued": 1, "failed": 0, "last_id": anna.pk, "more": False}
    anna.refresh_from_db()
    assert anna.voucher_code == "ANNA"
    (voucher,) = voucher_saleor.vouchers.values()
    assert voucher["codes"] == ["ANNA"]
    assert Partner.objects.filter(vouchers.voucher_code_missing()).count() == 0


def test_a_partner_just_created_is_left_to_its_own_task(voucher_installation, voucher_saleor, partner_factory):
    young = partner_factory(installation=voucher_installation, referral_code="YOUNG")

    result = issue_missing_voucher_codes_task.apply()

    assert result.result == {"issued": 0, "failed": 0, "last_id": 0, "more": False}
    assert voucher_saleor.requests == []
    young.refresh_from_db()
    assert young.voucher_code == ""


def test_a_refused_code_stays_missing_and_the_others_get_theirs(voucher_installation, voucher_saleor, partner_factory):
    voucher_saleor.add_voucher("Summer sale", ["SUMMER"])
    summer = lost(partner_factory(installation=voucher_installation, referral_code="SUMMER"))
    anna = lost(partner_factory(installation=voucher_installation, referral_code="ANNA"))

    result = issue_missing_voucher_codes_task.apply()

    assert result.result == {"issued": 1, "failed": 1, "last_id": anna.pk, "more": False}
    summer.refresh_from_db(), anna.refresh_from_db()
    assert (summer.voucher_code, anna.voucher_code) == ("", "ANNA")


def test_an_unreachable_saleor_is_not_asked_again_in_the_same_sweep(voucher_installation, voucher_saleor, partner_factory):
    first = lost(partner_factory(installation=voucher_installation))
    second = lost(partner_factory(installation=voucher_installation))
    voucher_saleor.fail_next = [503]

    result = issue_missing_voucher_codes_task.apply()

    assert result.result == {"issued": 0, "failed": 2, "last_id": second.pk, "more": False}
    assert voucher_saleor.fields() == ["voucherCreate"]  # the 503; the second partner waits for the next sweep
    assert Partner.objects.filter(pk__in=[first.pk, second.pk], voucher_code="").count() == 2


def test_a_full_batch_goes_on_from_its_last_partner(voucher_installation, voucher_saleor, partner_factory, monkeypatch):
    monkeypatch.setattr(vouchers, "SWEEP_BATCH_SIZE", 2)
    partners = [lost(partner_factory(installation=voucher_installation, referral_code=f"P{n}")) for n in range(5)]

    result = issue_missing_voucher_codes_task.apply()

    assert result.result == {"issued": 2, "failed": 0, "last_id": partners[1].pk, "more": True}
    assert Partner.objects.filter(pk__in=[p.pk for p in partners], voucher_code="").count() == 0
    (voucher,) = voucher_saleor.vouchers.values()
    assert sorted(voucher["codes"]) == ["P0", "P1", "P2", "P3", "P4"]


def test_the_sweep_is_on_the_beat_schedule(settings):
    from saleor_mlm.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["network.issue-missing-voucher-codes"]
    assert app.tasks[entry["task"]].name == issue_missing_voucher_codes_task.name
    assert entry["schedule"] == 600


class RowLock:
    """Another connection holding a partner's row lock until released."""

    def __init__(self, partner_id: int):
        self.locked, self.released = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, args=(partner_id,))
        self.thread.start()
        assert self.locked.wait(30)

    def _hold(self, partner_id):
        try:
            with transaction.atomic():
                Partner.objects.select_for_update().get(pk=partner_id)
                self.locked.set()
                self.released.wait(60)
        finally:
            connection.close()

    def release(self):
        self.released.set()
        self.thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_task_meeting_a_locked_row_is_retried_and_succeeds(voucher_installation, voucher_saleor, partner_factory):
    """The voucher code task writes the partner row another transaction holds; with a lock
    timeout it fails with 55P03 (lock not available), is retried (the lock is released when
    the retry is announced) and stores the code. Before the shared retry policy
    (core/transient.py) the task failed and the code was lost."""
    partner = partner_factory(installation=voucher_installation, referral_code="ANNA")
    lock = RowLock(partner.pk)
    retries = []

    def released_on_retry(sender=None, reason=None, **kwargs):
        retries.append(str(reason))
        lock.release()

    task_retry.connect(released_on_retry, sender=create_partner_voucher_code_task, weak=False)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    try:
        result = create_partner_voucher_code_task.apply(args=(partner.pk,))
    finally:
        task_retry.disconnect(released_on_retry, sender=create_partner_voucher_code_task)
        lock.release()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert result.successful(), result.result
    assert result.result == "ANNA"
    assert len(retries) == 1 and "lock timeout" in retries[0]
    partner.refresh_from_db()
    assert partner.voucher_code == "ANNA"
    (voucher,) = voucher_saleor.vouchers.values()
    assert voucher["codes"] == ["ANNA"]  # the retry found its own code on the voucher: no second one


def test_the_sweep_of_one_installation_takes_new_partners_too(voucher_installation, voucher_saleor, partner_factory):
    """After a network import (thousands of new partners, no task each) the import sweeps
    its installation at once: a partner just created gets its code too."""
    young = partner_factory(installation=voucher_installation, referral_code="YOUNG")

    result = issue_missing_voucher_codes_task.apply(kwargs={"installation_id": voucher_installation.pk})

    assert result.result == {"issued": 1, "failed": 0, "last_id": young.pk, "more": False}
    young.refresh_from_db()
    assert young.voucher_code == "YOUNG"
    (voucher,) = voucher_saleor.vouchers.values()
    assert voucher["codes"] == ["YOUNG"]
