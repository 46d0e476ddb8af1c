"""All data of one installation, for the merchant who leaves or keeps records elsewhere.

A directory with `data.jsonl` (a header line, then one line per row: `{"model", "row"}`, in
`INSTALLED_APPS` order, so parents come before their children) and `csv/<model>.csv` (the
same rows, one file per model, the CSV rules of `core.csv_writer`). Rows are streamed in
batches; the app token and API key hashes are never written (`serialize.SECRET_COLUMNS`).
Decimals and dates are strings, exactly as stored; binary columns (webhook bodies, a run's
arrays) base64.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone

from saleor_mlm.core.csv_writer import CsvWriter
from saleor_mlm.installations.models import Installation

from .inventory import installation_models, rows_of
from .serialize import dumps, exported_fields, plain, row_dict

FORMAT = "saleor-mlm installation export 1"
# Rows fetched per round trip: large enough to stream a million ledger rows quickly, small
# enough that a batch of webhook bodies (up to a few hundred KB each) stays in memory.
BATCH_SIZE = 2000

Progress = Callable[[str, int, str], None]


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    rows: dict[str, int]  # model label -> rows written


def _numeric(field: models.Field) -> bool:
    return isinstance(field, models.DecimalField | models.IntegerField | models.FloatField | models.AutoField)


def _csv_value(value):
    value = plain(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def export_installation(installation: Installation, directory: str | os.PathLike, progress: Progress | None = None) -> ExportResult:
    """Write everything of `installation` into `directory` (created; must be empty)."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    (target / "csv").mkdir()
    progress = progress or (lambda phase, percent, detail="": None)
    rows: dict[str, int] = {}
    # One snapshot of the database for the whole export (REPEATABLE READ would be better
    # still; a transaction keeps the batches of one model consistent with each other).
    with transaction.atomic():
        models_ = installation_models()
        counts = {model._meta.label: rows_of(model, installation).count() for model in models_}
        total = sum(counts.values()) or 1
        done = 0
        with open(target / "data.jsonl", "w", encoding="utf-8") as lines:
            header = {
                "format": FORMAT,
                "shop": installation.saleor_api_url,
                "exported_at": timezone.now().isoformat(),
                "rows": counts,
            }
            lines.write(dumps(header) + "\n")
            for model in models_:
                label = model._meta.label
                fields = exported_fields(model)
                written = 0
                with open(target / "csv" / f"{label}.csv", "w", encoding="utf-8", newline="") as handle:
                    writer = CsvWriter(
                        handle, [field.attname for field in fields], number_columns=[f.attname for f in fields if _numeric(f)]
                    )
                    for row in rows_of(model, installation).order_by("pk").iterator(chunk_size=BATCH_SIZE):
                        values = row_dict(row, fields)
                        lines.write(dumps({"model": label, "row": values}) + "\n")
                        writer.writerow([_csv_value(values[field.attname]) for field in fields])
                        written += 1
                        done += 1
                        if done % BATCH_SIZE == 0:
                            progress("export", min(99, done * 100 // total), label)
                rows[label] = written
    progress("export", 100, "")
    return ExportResult(directory=target, rows=rows)
