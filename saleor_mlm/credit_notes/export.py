"""A period's documents as files: every PDF and `index.csv` (`saleor-mlm credit-notes export`)."""

from __future__ import annotations

from pathlib import Path

from saleor_mlm.calendar.models import Period
from saleor_mlm.core.csv_writer import CsvWriter
from saleor_mlm.core.currency import to_decimal

from .models import CreditNote, CreditNoteFile
from .storage import read
from .tasks import BATCH, render_batch_task

INDEX_COLUMNS = ["number", "kind", "partner_code", "net", "vat", "gross", "currency", "tax_status", "issue_date", "cancels"]


def export_period(period: Period, out: Path) -> int:
    """Write the period's PDFs (rendering those not stored yet) and `index.csv` into
    `out`; returns the number of documents."""
    out.mkdir(parents=True, exist_ok=True)
    notes = CreditNote.objects.filter(period=period).select_related("cancels").order_by("year", "sequence")
    missing = list(notes.filter(file__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(missing), BATCH):
        render_batch_task(missing[start : start + BATCH])
    files = dict(CreditNoteFile.objects.filter(credit_note__period=period).values_list("credit_note_id", "path"))
    count = 0
    with open(out / "index.csv", "w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle, INDEX_COLUMNS, number_columns={"net", "vat", "gross"})
        for note in notes.iterator(chunk_size=2000):
            (out / f"{note.number.replace('/', '_')}.pdf").write_bytes(read(CreditNoteFile(path=files[note.pk])))
            writer.writerow(
                [
                    note.number,
                    note.kind,
                    note.partner_code,
                    to_decimal(note.net, note.currency),
                    to_decimal(note.vat, note.currency),
                    to_decimal(note.gross, note.currency),
                    note.currency,
                    note.tax_status,
                    note.issue_date.isoformat(),
                    note.cancels.number if note.cancels is not None else "",
                ]
            )
            count += 1
    return count
