"""Celery application.

With `CELERY_BROKER_URL` unset, settings turn on eager mode: tasks run inside the
calling process, which is what the one-command demo and most tests want.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")

# Every task retries transient database errors (locked, serialization failure, deadlock, a
# lost connection) with one policy: the app's task class, see saleor_mlm/core/transient.py.
app = Celery("saleor_mlm", task_cls="saleor_mlm.core.transient:TransientErrorRetryTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
