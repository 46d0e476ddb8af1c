"""Rendering the issued documents to PDF (with the Factur-X XML) and storing them.

Committing a period issues its documents in its transaction; after it commits,
`enqueue_rendering` splits them into batches of `BATCH` ids, one Celery task each, which
workers render in parallel. A task is safe to run twice (`storage.store` keeps the first
file). Progress is what is stored: `rendering_progress(period)` counts the documents and
their files. Without a broker (tests, commands) the batches run eagerly, one after another.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from saleor_mlm.core.background import start_tasks

from .documents import document_of
from .models import CreditNote, CreditNoteFile
from .numbers import credit_note_settings
from .pdf import render_pdf
from .storage import store

# Documents per task: big enough that a task's setup (settings, fonts) is paid rarely,
# small enough that a hundred thousand documents spread over every worker.
BATCH = 200


def render(note: CreditNote, logo_png: bytes | None) -> CreditNoteFile:
    return store(note, render_pdf(document_of(note, logo_png=logo_png)))


@shared_task(name="credit_notes.render_batch")
def render_batch_task(note_ids: list[int]) -> int:
    """Render and store the documents of `note_ids` that have no file yet; returns how many."""
    notes = list(CreditNote.objects.filter(pk__in=note_ids, file__isnull=True).select_related("period", "cancels").order_by("pk"))
    if not notes:
        return 0
    settings = credit_note_settings(notes[0].installation_id)
    logo = bytes(settings.logo_png) if settings.logo_png else None
    for note in notes:
        render(note, logo)
    return len(notes)


def enqueue_rendering(note_ids: list[int]) -> None:
    """Queue the rendering once the issuing transaction has committed. Without a broker and
    with `MLM_PERIOD_RUNS_IN_THREAD` (the demo server) a thread of this process renders, as
    period runs do there (`core.background`), so the commit returns at once."""
    batches = [(note_ids[start : start + BATCH],) for start in range(0, len(note_ids), BATCH)]
    transaction.on_commit(lambda: start_tasks(render_batch_task, batches, name="credit-notes"))


def rendering_progress(period_id: int) -> tuple[int, int]:
    """(documents of the period, documents with a stored PDF)."""
    notes = CreditNote.objects.filter(period_id=period_id)
    return notes.count(), CreditNoteFile.objects.filter(credit_note__period_id=period_id).count()
