"""Starting background work: Celery tasks, or a thread of the demo server.

With a broker every call is a task for a worker. Without one (the demo, tests, commands)
Celery runs tasks eagerly, in the caller; the demo server (`MLM_PERIOD_RUNS_IN_THREAD`)
runs them in a thread of its own instead, so that a request returns at once and the pages
can follow the progress (a period's run, the rendering of its credit notes, the mails of a
committed month), as they would with a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.conf import settings
from django.db import connections


def start_tasks(task, calls: Sequence[tuple], *, name: str) -> None:
    """Run `task` once per argument tuple of `calls`, in order (see above)."""
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.MLM_PERIOD_RUNS_IN_THREAD:
        threading.Thread(target=_in_thread, args=(task, list(calls)), name=name, daemon=True).start()
    else:
        for args in calls:
            task.delay(*args)


def _in_thread(task, calls: list[tuple]) -> None:
    try:
        for args in calls:
            # `apply`, not a plain call: a retry after a transient database error runs here too.
            task.apply(args=args)
    finally:
        connections.close_all()  # the thread's own connections; nobody else closes them
