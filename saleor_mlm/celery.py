"""Celery application.

With `CELERY_BROKER_URL` unset, settings turn on eager mode: tasks run inside the
calling process, which is what the one-command demo and most tests want.

A worker (or beat) without production keys stops when it reads its configuration, with one
line naming the variable (core/startup.py). Processes that loaded the settings already (the
web process, commands) pass that check for free.
"""

import os

from celery import Celery

from saleor_mlm.core.startup import exit_if_refused

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")

# Every task retries transient database errors (locked, serialization failure, deadlock, a
# lost connection) with one policy: the app's task class, see saleor_mlm/core/transient.py.
app = Celery("saleor_mlm", task_cls="saleor_mlm.core.transient:TransientErrorRetryTask")


@app.on_configure.connect
def _refuse_a_start_without_keys(sender, **kwargs):
    exit_if_refused("celery")


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
