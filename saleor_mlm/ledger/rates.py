"""Exchange rates: the lookup the ledger uses, and the CSV import the merchant runs.

A rate is plan-currency units per 1 unit of the order currency. An order takes the rate of
its date, else the latest rate before that date; a rate dated after the order is never
used (it was not known when the customer paid).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from saleor_mlm.installations.models import Installation

from .models import ExchangeRate

REQUIRED_COLUMNS = ("date", "currency", "rate")
OPTIONAL_COLUMNS = ("plan_currency",)


def find_rate(installation_id: int, currency: str, plan_currency: str, on: datetime.date) -> ExchangeRate | None:
    return (
        ExchangeRate.objects.filter(
            installation_id=installation_id,
            currency=currency.upper(),
            plan_currency=plan_currency.upper(),
            valid_on__lte=on,
        )
        .order_by("-valid_on")
        .first()
    )


@dataclass(frozen=True)
class RateRow:
    line: int
    valid_on: datetime.date
    currency: str
    plan_currency: str
    rate: Decimal


@dataclass
class RatesFileError(Exception):
    """All problems found in a rates file, each naming its line and column."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.problems)


def _currency(value: str) -> str | None:
    value = value.strip().upper()
    return value if len(value) == 3 and value.isalpha() and value.isascii() else None


def parse_rates_csv(text: str, *, filename: str, default_plan_currency: str) -> list[RateRow]:
    """Rows of a `date,currency,rate[,plan_currency]` file (header required, any column
    order). Raises RatesFileError listing every bad cell as `FILE:LINE: column C: ...`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise RatesFileError([f"{filename}:1: missing column(s) {', '.join(missing)}; expected date,currency,rate[,plan_currency]"])
    reader.fieldnames = header
    rows: list[RateRow] = []
    problems: list[str] = []
    seen: dict[tuple, int] = {}
    for raw in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # blank line
        errors_before = len(problems)

        def problem(column: str, message: str, line: int = line) -> None:
            problems.append(f"{filename}:{line}: column {column}: {message}")

        date_text = (raw.get("date") or "").strip()
        try:
            valid_on = datetime.date.fromisoformat(date_text)
        except ValueError:
            problem("date", f"{date_text!r} is not a date (YYYY-MM-DD)")
        currency = _currency(raw.get("currency") or "")
        if currency is None:
            problem("currency", f"{(raw.get('currency') or '').strip()!r} is not a three-letter currency code")
        plan_text = (raw.get("plan_currency") or "").strip() or default_plan_currency
        plan_currency = _currency(plan_text)
        if plan_currency is None:
            problem("plan_currency", f"{plan_text!r} is not a three-letter currency code")
        rate_text = (raw.get("rate") or "").strip()
        try:
            rate = Decimal(rate_text)
            if not rate.is_finite() or rate <= 0:
                problem("rate", f"{rate_text!r} must be a number > 0")
            elif rate.as_tuple().exponent < -10 or rate >= 10**10:
                problem("rate", f"{rate_text!r} has more than 10 decimal places or is too large")
        except InvalidOperation:
            problem("rate", f"{rate_text!r} is not a decimal (write it like 0.9215)")
        if len(problems) > errors_before:
            continue
        if currency == plan_currency:
            problem("currency", f"{currency} is the plan currency; its rate is always 1")
            continue
        key = (valid_on, currency, plan_currency)
        if key in seen:
            problem("date", f"a second {currency}->{plan_currency} rate for {valid_on} (first on line {seen[key]})")
            continue
        seen[key] = line
        rows.append(RateRow(line, valid_on, currency, plan_currency, rate))
    if problems:
        raise RatesFileError(problems)
    return rows


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def upsert_rates(installation: Installation, rows: list[RateRow]) -> ImportResult:
    """Write the rows; a rate already stored for the same day and pair is replaced.
    Importing the same file twice changes nothing."""
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            (rate.valid_on, rate.currency, rate.plan_currency): rate
            for rate in ExchangeRate.objects.select_for_update().filter(
                installation=installation, currency__in={row.currency for row in rows}
            )
        }
        new = []
        for row in rows:
            stored = existing.get((row.valid_on, row.currency, row.plan_currency))
            if stored is None:
                new.append(
                    ExchangeRate(
                        installation=installation,
                        currency=row.currency,
                        plan_currency=row.plan_currency,
                        rate=row.rate,
                        valid_on=row.valid_on,
                    )
                )
            elif stored.rate != row.rate:
                stored.rate = row.rate
                stored.save(update_fields=["rate", "updated_at"])
                updated += 1
            else:
                unchanged += 1
        # Two imports of overlapping files at once: the second one skips what the first
        # has just created (the stored rate wins; re-running the import updates it).
        ExchangeRate.objects.bulk_create(new, ignore_conflicts=True)
        created = len(new)
    return ImportResult(created, updated, unchanged)
