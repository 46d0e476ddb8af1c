"""`saleor-mlm credit-notes export --period YYYY-MM --out DIR`: every PDF and index.csv."""

import csv

import pytest
from django.core.management import call_command

from saleor_mlm.credit_notes.models import CreditNote, CreditNoteFile
from saleor_mlm.network import TaxStatus

pytestmark = pytest.mark.django_db


def test_export_writes_every_pdf_and_the_index(month, earner, settle, installation, tmp_path, capsys):
    october = month("2026-10")
    rita = earner("Rita", {october: "45.50"}, TaxStatus.REGULAR)
    paul = earner("Paul", {october: "26.00"}, TaxStatus.PRIVATE)
    settle(october)  # in a test transaction the rendering tasks never ran: the export renders
    out = tmp_path / "2026-10"

    call_command("credit_notes", "export", "--period", "2026-10", "--out", str(out))

    notes = {note.partner_id: note for note in CreditNote.objects.all()}
    with open(out / "index.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {"number": notes[rita.pk].number, "kind": "CREDIT_NOTE", "partner_code": rita.referral_code, "net": "45.50", "vat": "8.65",
         "gross": "54.15", "currency": "EUR", "tax_status": "regular", "issue_date": notes[rita.pk].issue_date.isoformat(), "cancels": ""},
        {"number": notes[paul.pk].number, "kind": "STATEMENT", "partner_code": paul.referral_code, "net": "26.00", "vat": "0.00",
         "gross": "26.00", "currency": "EUR", "tax_status": "private", "issue_date": notes[paul.pk].issue_date.isoformat(), "cancels": ""},
    ]
    assert sorted(path.name for path in out.glob("*.pdf")) == sorted(f"{note.number}.pdf" for note in notes.values())
    assert all(path.read_bytes().startswith(b"%PDF-") for path in out.glob("*.pdf"))
    assert CreditNoteFile.objects.count() == 2
    assert "2 documents of 2026-10" in capsys.readouterr().out
