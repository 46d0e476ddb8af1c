"""Credit note documents for N paid partners: the Factur-X XML and the PDF/A-3 of each (issue 16).

What a period's issue renders once the numbers are assigned: for every paid partner a
`CreditNoteDocument` (its snapshot) becomes `build_xml` + `render_pdf` (the PDF embeds the
XML), in parallel over worker processes (`--workers`, the machine's cores by default), each
writing its PDFs into a directory of its own under `--out` (removed afterwards unless
`--keep`). No database: the issuing app hands the renderers plain values, and this measures
the rendering and the writing, which dominate.

The partners: 70 % REGULAR (19 % VAT), 15 % SMALL_BUSINESS, 10 % EU reverse charge, 5 %
outside the EU; 80 % German, 20 % English; two to six lines (bonus kinds, sometimes an
adjustment); 2 % are cancellations of an earlier note; one in 200 has a Greek or Cyrillic
name (the extended font). Amounts are random cents, VAT rounded half-up once per document.

Usage::

    python benchmarks/credit_notes.py --notes 2000 --runs 3            # while developing
    python benchmarks/credit_notes.py --notes 100000 --runs 1          # the figure of record

Prints and writes benchmarks/out/credit_notes-<notes>.json: per run the wall time, notes
per second, the CPU seconds of the workers, bytes per PDF (mean, min, max) and the load
average before and after (the machine may be shared); and the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

CHUNK = 250  # notes per task: large enough that a task's overhead vanishes, small enough to balance

FIRST = ["Anna", "Ben", "Cem", "Dana", "Emil", "Frida", "Gül", "Hans", "Ida", "Jörg", "Käthe", "Łukasz"]
LAST = ["Müller", "Schmidt", "Öztürk", "Weiß", "Nowak", "Dubois", "Rossi", "Jansen", "Meißner", "Brunner"]
OTHER_SCRIPTS = ["Γιώργος Παπαδόπουλος", "Иван Петров", "Мария Иванова", "Νίκος Γεωργίου"]
CITIES = {
    "DE": ("Köln", "50667"), "AT": ("Wien", "1010"), "FR": ("Paris", "75002"), "NL": ("Utrecht", "3511"),
    "PL": ("Kraków", "31-001"), "CH": ("Zürich", "8001"), "GB": ("London", "EC1A 1BB"), "GR": ("Athína", "105 57"),
}
KINDS = {
    "de": [("DIRECT", "Direktprovision"), ("UNILEVEL", "Unilevel-Bonus"), ("GENERATION", "Generationsbonus"), ("RANK", "Rangbonus"), ("CARE", "Betreuerprovision")],
    "en": [("DIRECT", "Direct commission"), ("UNILEVEL", "Unilevel bonus"), ("GENERATION", "Generation bonus"), ("RANK", "Rank bonus"), ("CARE", "Care commission")],
}
ADJUSTMENT = {"de": "Korrektur Vormonat (Storno Bestellung)", "en": "Adjustment of the previous month (refunded order)"}
NOTES = {
    "small_business": {"de": "Kein Ausweis von Umsatzsteuer, da Kleinunternehmer gemäß § 19 UStG.", "en": "No VAT is shown: small business under § 19 UStG (German VAT Act)."},
    "eu": {"de": "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG).", "en": "Reverse charge: the recipient of the service is liable for the VAT (§ 13b UStG)."},
    "non_eu": {"de": "Steuerschuldnerschaft des Leistungsempfängers (§ 13b Abs. 2 Nr. 1 UStG).", "en": "Reverse charge: the recipient of the service is liable for the VAT (§ 13b (2) no. 1 UStG)."},
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The app refuses to start without keys of its own (saleor_mlm/core/startup.py).
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production-0123456789")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-field-encryption-key-not-for-production")
    import django

    django.setup()


def document(index: int):
    """The credit note of the index-th paid partner: the same for the same index."""
    from saleor_mlm.credit_notes.document import CreditNoteDocument, DocumentKind, DocumentLine, Party, PostalAddress
    from saleor_mlm.network import TaxStatus

    rng = random.Random(index)
    roll = rng.random()
    kind = "regular" if roll < 0.70 else "small_business" if roll < 0.85 else "eu" if roll < 0.95 else "non_eu"
    status = {"regular": TaxStatus.REGULAR, "small_business": TaxStatus.SMALL_BUSINESS, "eu": TaxStatus.REVERSE_CHARGE, "non_eu": TaxStatus.NON_EU}[kind]
    language = "de" if rng.random() < 0.8 else "en"
    country = {"regular": "DE", "small_business": "DE"}.get(kind) or rng.choice(["AT", "FR", "NL", "PL", "GR"] if kind == "eu" else ["CH", "GB"])
    city, postal_code = CITIES[country]
    name = rng.choice(OTHER_SCRIPTS) if index % 200 == 199 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    supplier = Party(
        name=name,
        address=PostalAddress(street=f"{rng.choice(LAST)}straße {rng.randint(1, 200)}", postal_code=postal_code, city=city, country=country),
        tax_number=f"{rng.randint(100, 999)}/{rng.randint(1000, 9999)}/{rng.randint(1000, 9999)}" if country == "DE" else "",
        vat_id="" if kind == "small_business" else f"{'EL' if country == 'GR' else 'CHE' if country == 'CH' else country}{rng.randint(100000000, 999999999)}",
        email=f"partner{index}@example.com",
    )
    recipient = Party(
        name="Vitalwerk GmbH",
        address=PostalAddress(street="Hafenstraße 12", postal_code="20457", city="Hamburg", country="DE"),
        tax_number="27/123/45678",
        vat_id="DE123456789",
        email="buchhaltung@vitalwerk.example",
    )
    kinds = rng.sample(KINDS[language], rng.randint(2, 5))
    lines = [DocumentLine(kind=kind, description=text, net=Decimal(rng.randint(500, 250_000)) / 100) for kind, text in kinds]
    if rng.random() < 0.1:
        lines.append(DocumentLine(kind="ADJUSTMENT", description=ADJUSTMENT[language], net=-Decimal(rng.randint(100, 5_000)) / 100))
    net = sum((line.net for line in lines), Decimal("0.00"))
    rate = Decimal("19") if kind == "regular" else Decimal("0")
    vat = (net * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    note = CreditNoteDocument(
        number=f"GS-2026-{index + 1:06d}",
        kind=DocumentKind.CREDIT_NOTE,
        issue_date=date(2026, 12, 3),
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        language=language,
        currency="EUR",
        supplier=supplier,
        recipient=recipient,
        partner_code=f"P{index:07d}",
        tax_status=status,
        vat_rate=rate,
        lines=tuple(lines),
        net=net,
        vat=vat,
        gross=net + vat,
        tax_note=NOTES.get(kind, {}).get(language, ""),
    )
    if rng.random() < 0.02:
        note = replace(
            note,
            kind=DocumentKind.CANCELLATION,
            number=f"GS-2026-S{index + 1:06d}",
            lines=tuple(replace(line, net=-line.net) for line in note.lines),
            net=-note.net,
            vat=-note.vat,
            gross=-note.gross,
            cancels_number=note.number,
            cancels_issue_date=date(2026, 11, 3),
            reason="Falsches Steuerprofil" if language == "de" else "Wrong tax profile",
        )
    return note


def _worker_start() -> None:
    setup_django()


def _render(task: tuple[int, int, str]) -> tuple[int, int, int, int]:
    """Renders notes start..stop-1 into directory; (notes, total bytes, smallest, largest)."""
    from saleor_mlm.credit_notes.facturx import build_xml
    from saleor_mlm.credit_notes.pdf import render_pdf

    start, stop, directory = task
    total, smallest, largest = 0, sys.maxsize, 0
    for index in range(start, stop):
        note = document(index)
        pdf = render_pdf(note, build_xml(note))
        with open(os.path.join(directory, f"{note.number}.pdf"), "wb") as file:
            file.write(pdf)
        total += len(pdf)
        smallest, largest = min(smallest, len(pdf)), max(largest, len(pdf))
    return stop - start, total, smallest, largest


def run(notes: int, workers: int, out: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    tasks = []
    for start in range(0, notes, CHUNK):
        directory = os.path.join(out, f"{start // CHUNK:05d}")
        os.makedirs(directory)
        tasks.append((start, min(start + CHUNK, notes), directory))
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    # the pool's start (Django and the fonts in each worker) counts: a Celery worker pays it too
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start) as pool:
        results = list(pool.map(_render, tasks))
    wall = time.perf_counter() - began
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = sum(result[0] for result in results)
    total = sum(result[1] for result in results)
    assert done == notes
    return {
        "notes": notes,
        "workers": workers,
        "wall_s": round(wall, 2),
        "notes_per_s": round(notes / wall, 1),
        "worker_cpu_s": round((cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime), 1),
        "cpu_ms_per_note": round(((cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)) * 1000 / notes, 1),
        "bytes_per_note": round(total / notes),
        "bytes_min": min(result[2] for result in results),
        "bytes_max": max(result[3] for result in results),
        "bytes_total": total,
        "load_before": [round(value, 1) for value in load_before],
        "load_after": [round(value, 1) for value in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[2000])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(OUT, "credit_notes"), help="where the PDFs are written")
    parser.add_argument("--keep", action="store_true", help="keep the PDFs of the last run")
    options = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for notes in options.notes:
        runs = []
        for number in range(options.runs):
            result = run(notes, options.workers, options.out)
            runs.append(result)
            print(json.dumps({"run": number + 1, **result}), flush=True)
        if not options.keep:
            shutil.rmtree(options.out, ignore_errors=True)
        median = {key: statistics.median(run[key] for run in runs) for key in ("wall_s", "notes_per_s", "cpu_ms_per_note", "bytes_per_note")}
        summary = {
            "notes": notes,
            "workers": options.workers,
            "median": median,
            "runs": runs,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        }
        with open(os.path.join(OUT, f"credit_notes-{notes}.json"), "w") as file:
            json.dump(summary, file, indent=2)
        print(json.dumps({"notes": notes, "median": median}), flush=True)


if __name__ == "__main__":
    main()
