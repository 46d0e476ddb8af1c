"""The periodic tasks without a broker: the demo's in-process beat (core/beat.py) runs the
entries of CELERY_BEAT_SCHEDULE when due, the first time at once, in one process only."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.utils import timezone

from saleor_mlm.celery import app
from saleor_mlm.core.beat import InProcessBeat, start_in_process_beat
from saleor_mlm.network.models import Partner

SWEEP = {"voucher codes": {"task": "network.issue_missing_voucher_codes", "schedule": 600}}


@pytest.fixture(autouse=True)
def codes_only_stored(settings):
    settings.SALEOR_WRITE_BACK = False  # no Saleor here: the sweep stores the codes


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


def lost_code(partner):
    Partner.objects.filter(pk=partner.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    return partner


def test_every_entry_of_the_schedule_names_a_task(settings):
    InProcessBeat({})  # imports the tasks modules, as a worker does
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_the_beat_runs_an_entry_at_start_and_again_when_it_is_due(partner_factory):
    clock = Clock()
    beat = InProcessBeat(SWEEP, now=clock)
    anna = lost_code(partner_factory(referral_code="ANNA"))

    first_wait = beat.tick()
    bert = lost_code(partner_factory(referral_code="BERT"))
    not_yet = beat.tick()
    clock.now += datetime.timedelta(seconds=601)
    beat.tick()

    assert Partner.objects.get(pk=anna.pk).voucher_code == "ANNA"
    assert (round(first_wait), round(not_yet)) == (60, 60)  # checks again within a minute at most
    assert Partner.objects.get(pk=bert.pk).voucher_code == "BERT"  # only after 600 s had passed


def test_before_the_interval_an_entry_does_not_run(partner_factory):
    clock = Clock()
    beat = InProcessBeat(SWEEP, now=clock)
    beat.tick()
    bert = lost_code(partner_factory(referral_code="BERT"))
    clock.now += datetime.timedelta(seconds=300)

    beat.tick()

    assert Partner.objects.get(pk=bert.pk).voucher_code == ""


@pytest.mark.django_db(transaction=True)
def test_one_beat_per_demo_however_many_workers(tmp_path, settings):
    settings.CELERY_BEAT_SCHEDULE = {}
    stop = threading.Event()
    lock = tmp_path / "beat.lock"

    first = start_in_process_beat(lock, stop)
    second = start_in_process_beat(lock, stop)

    try:
        assert first is not None and first.is_alive()
        assert second is None
    finally:
        stop.set()
        first.join(5)
