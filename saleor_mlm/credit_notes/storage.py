"""Where the PDFs are kept: the Django storage `STORAGES["credit_notes"]` (a local
directory by default, any backend by settings). Names are
`<installation id>/<year>/<number>.pdf`, never reused: a document is stored once."""

from __future__ import annotations

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction

from .models import CreditNote, CreditNoteFile


def credit_note_storage() -> Storage:
    return storages["credit_notes"]


def file_name(note: CreditNote) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", note.number)
    return f"{note.installation_id}/{note.year}/{safe}.pdf"


def store(note: CreditNote, pdf: bytes) -> CreditNoteFile:
    """Store the PDF of `note` once; a second call (a retried task) returns the first."""
    existing = CreditNoteFile.objects.filter(credit_note=note).first()
    if existing is not None:
        return existing
    storage = credit_note_storage()
    name = file_name(note)
    if storage.exists(name):  # written by an attempt that died before its row: same bytes
        storage.delete(name)
    saved = storage.save(name, ContentFile(pdf))
    try:
        with transaction.atomic():
            return CreditNoteFile.objects.create(credit_note=note, path=saved, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
    except IntegrityError:  # another worker stored it at the same moment
        return CreditNoteFile.objects.get(credit_note=note)


def read(stored: CreditNoteFile) -> bytes:
    with credit_note_storage().open(stored.path, "rb") as handle:
        return handle.read()
