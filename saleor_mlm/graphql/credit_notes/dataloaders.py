"""Loaders of the credit notes part (see core/dataloaders.py for how they batch): a page of
documents asks for their cancellations, the documents they cancel and their stored files in
one query each, whatever the page size."""

from __future__ import annotations

from saleor_mlm.credit_notes.models import CreditNote, CreditNoteFile

from ..core.dataloaders import DataLoader


class CreditNoteByIdLoader(DataLoader):
    def batch_load(self, keys):
        return CreditNote.objects.in_bulk(keys)


class CancellationByCreditNoteIdLoader(DataLoader):
    """The cancellation of a document (at most one: `uniq_cancellation`), or None."""

    def batch_load(self, keys):
        return {note.cancels_id: note for note in CreditNote.objects.filter(cancels_id__in=keys)}


class RenderedByCreditNoteIdLoader(DataLoader):
    """Whether the document's PDF is stored."""

    def batch_load(self, keys):
        return {pk: True for pk in CreditNoteFile.objects.filter(credit_note_id__in=keys).values_list("credit_note_id", flat=True)}

    def missing(self, key):
        return False
