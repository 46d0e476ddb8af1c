"""The nightly sync: shipped in the beat schedule, it syncs the last days of every shop."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings

from saleor_mlm.reconciliation import SyncStatus, SyncTrigger
from saleor_mlm.reconciliation.models import SyncRun
from saleor_mlm.reconciliation.tasks import nightly_since, sync_recent_orders_everywhere_task


def test_the_beat_schedule_runs_it_every_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["reconciliation-nightly-sync"]

    assert entry["task"] == "reconciliation.sync_recent_orders_everywhere"
    assert entry["schedule"] == crontab(hour=3, minute=15)


def test_the_window_starts_at_midnight_some_days_ago(settings):
    settings.SALEOR_SYNC_NIGHTLY_DAYS = 3

    since = nightly_since(datetime.datetime(2026, 12, 7, 3, 15, tzinfo=datetime.UTC))

    assert since == datetime.datetime(2026, 12, 4, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_every_shop_but_the_demo_is_synced(recorded_saleor, sync_installation, installation_factory):
    installation_factory(is_demo=True)

    result = sync_recent_orders_everywhere_task.apply().result

    assert result == {"done": 1, "failed": 0}
    run = SyncRun.objects.get()
    assert (run.installation, run.trigger, run.status) == (sync_installation, SyncTrigger.NIGHTLY, SyncStatus.DONE)
    assert run.counts["payments"] == 3
