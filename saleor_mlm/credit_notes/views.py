"""Downloads through signed links (`links`): one PDF, or a ZIP of a period's PDFs."""

from __future__ import annotations

import tempfile
import zipfile

from django.core import signing
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from .links import unsign
from .models import CreditNote, CreditNoteFile
from .storage import read
from .tasks import render_batch_task


def download(request, token: str):
    try:
        kind, ids = unsign(token)
    except signing.BadSignature:
        # Forged or expired: the same answer, nothing about which.
        return HttpResponse(_("This download link is not valid (any more). Ask for a new one."), status=410, content_type="text/plain")
    if kind == "note":
        if not CreditNote.objects.filter(pk=ids[0]).exists():
            raise Http404
        # Not rendered yet (the workers are behind): render it now, as the task would.
        render_batch_task([ids[0]])
        stored = CreditNoteFile.objects.select_related("credit_note").get(credit_note_id=ids[0])
        response = HttpResponse(read(stored), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stored.credit_note.number}.pdf"'
        return response
    installation_id, period_id = ids
    stored_files = CreditNoteFile.objects.filter(credit_note__installation_id=installation_id, credit_note__period_id=period_id).select_related("credit_note")
    # Spooled to disk past 16 MB: a period may have a hundred thousand documents.
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for stored in stored_files.order_by("credit_note__year", "credit_note__sequence").iterator(chunk_size=500):
            archive.writestr(f"{stored.credit_note.number}.pdf", read(stored))
    spool.seek(0)
    label = CreditNote.objects.filter(period_id=period_id).values_list("period__starts_on", flat=True).first()
    name = f"credit-notes-{label:%Y-%m}.zip" if label else "credit-notes.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")
