"""The periodic tasks of `CELERY_BEAT_SCHEDULE` without a broker: the demo's in-process beat.

With a broker, `celery -A saleor_mlm beat` sends each entry of the schedule to the workers.
The demo has neither (tasks run eagerly, in the process that calls them), yet its sweeps
must run too: a voucher code lost to a locked database would stay lost. So the demo server
runs the same schedule in a thread: each entry's task is applied eagerly when it is due,
the first time at start. Entries are read from the setting, so a sweep added to the
schedule runs in the demo without more code.

One thread per demo, however many gunicorn workers: the worker that holds the lock file
(`DATA_DIR/beat.lock`, `flock`, released when the process ends) runs it; a worker that
replaces it takes the lock over.
"""

from __future__ import annotations

import datetime
import fcntl
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from celery.schedules import schedule as every
from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

# The longest the thread sleeps between looks at the schedule.
MAX_SLEEP = 60.0


@dataclass
class Entry:
    name: str
    task: str
    schedule: object  # a celery schedule (is_due)
    args: tuple = ()
    kwargs: dict | None = None
    last_run: datetime.datetime | None = None


class InProcessBeat:
    """Applies the tasks of a beat schedule eagerly when due. `now` is injectable for tests."""

    def __init__(self, schedule: dict[str, dict], *, now: Callable[[], datetime.datetime] = timezone.now):
        from saleor_mlm.celery import app

        # What a worker does at start: import every app's tasks module (autodiscovery), so
        # that the schedule's task names resolve in a web process too.
        app.loader.import_default_modules()
        self.now = now
        self.entries = [
            Entry(
                name=name,
                task=entry["task"],
                schedule=self._schedule(entry["schedule"]),
                args=tuple(entry.get("args", ())),
                kwargs=dict(entry.get("kwargs", {})),
            )
            for name, entry in schedule.items()
        ]

    def _schedule(self, value):
        if isinstance(value, (int, float)):
            value = datetime.timedelta(seconds=value)
        if isinstance(value, datetime.timedelta):
            return every(value, nowfun=self.now)
        return value  # a crontab or another celery schedule object

    def tick(self) -> float:
        """Run the entries that are due; the seconds until the next one is."""
        from saleor_mlm.celery import app

        wait = MAX_SLEEP
        for entry in self.entries:
            if entry.last_run is None:
                due, next_in = True, entry.schedule.is_due(self.now())[1]
            else:
                due, next_in = entry.schedule.is_due(entry.last_run)
            if due:
                entry.last_run = self.now()
                try:
                    result = app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs)
                    if result.failed():
                        logger.warning("periodic task failed", extra={"entry": entry.name, "error": repr(result.result)})
                except Exception:  # the thread must live on: log and go on with the others
                    logger.exception("periodic task failed", extra={"entry": entry.name})
            wait = min(wait, next_in)
        return max(wait, 0.0)

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                wait = self.tick()
            finally:
                connections.close_all()  # this thread's own; nobody else closes them
            stop.wait(wait)


_lock_file = None


def start_in_process_beat(lock_path: Path | None = None, stop: threading.Event | None = None) -> threading.Thread | None:
    """Start the beat thread of this process unless another process (or an earlier call)
    holds the lock; None then."""
    global _lock_file
    lock_path = Path(lock_path or settings.DATA_DIR / "beat.lock")
    handle = lock_path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    _lock_file = handle  # held for the life of the process
    beat = InProcessBeat(settings.CELERY_BEAT_SCHEDULE)
    thread = threading.Thread(target=beat.run_forever, args=(stop or threading.Event(),), name="in-process-beat", daemon=True)
    thread.start()
    logger.info("in-process beat started", extra={"entries": [entry.name for entry in beat.entries]})
    return thread
