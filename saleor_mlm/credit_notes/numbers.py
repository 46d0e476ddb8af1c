"""Gap-free numbers per installation and year.

`next_number` takes the year's `NumberSeries` row FOR UPDATE and moves it on by one, in the
transaction that writes the document: concurrent issues queue on the row (never the same
number twice), and an issue that fails rolls the increment back with everything else (no
number is burnt). Numbers are "<prefix><year>-<sequence, at least 5 digits>".
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import CreditNoteSettings, NumberSeries


def credit_note_settings(installation_id: int) -> CreditNoteSettings:
    settings, _ = CreditNoteSettings.objects.get_or_create(installation_id=installation_id)
    return settings


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}{year}-{sequence:05d}"


def _series(installation_id: int, year: int, start: int) -> NumberSeries:
    series = NumberSeries.objects.select_for_update().filter(installation_id=installation_id, year=year).first()
    if series is not None:
        return series
    try:
        # Two first issues of a year: one creates the row, the other's insert waits for
        # it and fails on the unique constraint, then locks the row the first created.
        with transaction.atomic():
            NumberSeries.objects.create(installation_id=installation_id, year=year, next_sequence=start)
    except IntegrityError:
        pass
    return NumberSeries.objects.select_for_update().get(installation_id=installation_id, year=year)


def next_number(settings: CreditNoteSettings, year: int) -> tuple[str, int]:
    """(number, sequence) for the next document of the installation's `year`. Call it
    inside the transaction that writes the document."""
    series = _series(settings.installation_id, year, settings.number_start)
    sequence = series.next_sequence
    series.next_sequence = sequence + 1
    series.save(update_fields=["next_sequence"])
    return format_number(settings.number_prefix, year, sequence), sequence
