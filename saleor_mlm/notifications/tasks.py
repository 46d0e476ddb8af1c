"""Celery tasks of the notifications: sending, and the sweep that sends what was left.

Triggers queue the notifications they recorded once their transaction commits, in
batches of `BATCH` ids, one task each. A task is safe to run twice: it sends only what is
still pending (`sending`). The sweep (`CELERY_BEAT_SCHEDULE`) queues what is still pending
a while later: a task lost with its broker, a mail server that was down.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from saleor_mlm.core.background import start_tasks

from . import NotificationStatus
from .models import Notification
from .sending import MAX_ATTEMPTS, send_notifications

# Mails per task: one SMTP session each.
BATCH = 200
# The sweep leaves younger notifications to the tasks queued for them.
SWEEP_AFTER = datetime.timedelta(minutes=2)


@shared_task(name="notifications.send")
def send_notifications_task(ids: list[int]) -> int:
    return send_notifications(ids)


def enqueue_sending(ids: list[int]) -> None:
    """Send in batches: tasks for the workers (a thread of the demo server: `core.background`)."""
    start_tasks(send_notifications_task, [(ids[start : start + BATCH],) for start in range(0, len(ids), BATCH)], name="notifications")


@shared_task(name="notifications.send_pending")
def send_pending_task() -> int:
    """Queue the notifications still pending (see above); returns how many."""
    pending = Notification.objects.filter(
        status=NotificationStatus.PENDING, created_at__lt=timezone.now() - SWEEP_AFTER, attempts__lt=MAX_ATTEMPTS
    ).order_by("pk")
    ids = list(pending.values_list("pk", flat=True)[:10_000])
    enqueue_sending(ids)
    return len(ids)
