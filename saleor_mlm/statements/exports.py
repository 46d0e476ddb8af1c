"""The statements as CSV: one row per partner (figures and balance), or one statement's lines.

On PostgreSQL the summary is written by the database (COPY ... TO STDOUT): a million rows in
seconds; elsewhere (the SQLite demo) row by row in Python, with the same bytes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.csv_writer import CsvWriter, sql_neutralized
from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.engine.volumes import shown_volume
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods import RunStatus
from saleor_mlm.periods.actions import standing_run
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun

from .partner import Statement, rounded_money

SUMMARY_COLUMNS = [
    "partner_id", "referral_code", "name", "email", "pv", "gv", "ov", "qualified", "calculated_rank",
    "paid_as_rank", "career_rank", "rank_overridden", "customer_bonus", "level_bonus",
    "difference_bonus", "generation_bonus", "advancement_bonus", "total", "adjustments",
    "carried_in", "payable", "paid", "carried_forward", "balance_reason",
]  # fmt: skip
LINE_COLUMNS = ["bonus", "source_id", "source_type", "source_name", "source_code", "level", "volume", "rate", "amount"]
# Every other column is text, written through `core.csv_writer.neutralized` (formulas).
SUMMARY_NUMBERS = {
    "partner_id", "pv", "gv", "ov", *(f"{kind}_bonus" for kind in BONUS_KINDS), "total", "adjustments",
    "carried_in", "payable", "paid", "carried_forward",
}  # fmt: skip
LINE_NUMBERS = {"level", "volume", "rate", "amount"}

# Rows read per query while exporting: bounded memory for a million partners.
EXPORT_CHUNK = 20_000


def write_statements_csv(installation: Installation, period: Period, handle, run: PeriodRun | None = None) -> int:
    """One row per partner of the run: figures and balance (the statements' summary)."""
    if period.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("The period belongs to another installation."), field="period")
    period = Period.objects.select_related("close_run").get(pk=period.pk)
    run = run or standing_run(period)
    if run is None or run.status != RunStatus.SUCCEEDED:
        raise DomainError(
            PeriodErrorCode.NO_SNAPSHOT,
            _("Period %(period)s has no figures yet: close or preview it first.") % {"period": period.label},
            field="period",
        )
    if connection.vendor == "postgresql":
        return _copy_statements_csv(period, run, handle)
    return _python_statements_csv(period, run, handle)


def _python_statements_csv(period: Period, run: PeriodRun, handle) -> int:
    places = run.minor_digits
    writer = CsvWriter(handle, SUMMARY_COLUMNS, number_columns=SUMMARY_NUMBERS, lineterminator="\n")  # as PostgreSQL's COPY writes it
    balances = {}
    if run.pk == period.close_run_id:
        rows = PartnerBalance.objects.filter(period=period).values_list("partner_id", "adjustments", "carried_in", "payable", "paid", "carried_forward", "reason")
        balances = {row[0]: row[1:] for row in rows.iterator(chunk_size=EXPORT_CHUNK)}
    fields = ["partner_id", "pv", "gv", "ov", "qualified", "calculated_rank", "paid_as_rank", "career_rank", "rank_overridden"]
    fields += [f"{kind}_bonus" for kind in BONUS_KINDS] + ["total"]
    count = 0
    last = 0
    zero = Decimal(0)
    while True:
        chunk = list(
            PartnerPeriodResult.objects.filter(run=run, partner_id__gt=last).order_by("partner_id").values_list(*fields)[:EXPORT_CHUNK]
        )
        if not chunk:
            break
        last = chunk[-1][0]
        people = {
            pk: (code, " ".join(p for p in (first, lastname) if p) or email, email)
            for pk, code, first, lastname, email in Partner.objects.filter(pk__in=[row[0] for row in chunk]).values_list(
                "pk", "referral_code", "first_name", "last_name", "email"
            )
        }
        for row in chunk:
            code, name, email = people.get(row[0], ("", "", ""))
            balance = balances.get(row[0])
            money = [rounded_money(value, places) for value in row[9:]]
            if balance is None and run.pk == period.close_run_id:
                balance = (zero, zero, zero, zero, zero, "nothing")
            tail = [rounded_money(value, places) for value in balance[:5]] + [balance[5]] if balance else [""] * 6
            volumes = [shown_volume(value) for value in row[1:4]]
            writer.writerow([row[0], code, name, email, *volumes, "true" if row[4] else "false", *row[5:8], "true" if row[8] else "false", *money, *tail])
            count += 1
    return count


def _copy_statements_csv(period: Period, run: PeriodRun, handle) -> int:
    """The same CSV written by PostgreSQL (COPY ... TO STDOUT): a million rows in seconds
    instead of formatting a million Decimals in Python. Empty texts are written as NULL,
    which CSV writes unquoted, as Python's `csv` does. Text columns go through
    `sql_neutralized` (spreadsheet formulas, as `CsvWriter` does); the volume columns hold
    shown volumes already (hundredths, floored when the run was persisted)."""
    places = int(run.minor_digits)
    settled = run.pk == period.close_run_id

    def money(expression: str) -> str:
        return f"ROUND({expression}, {places})"

    bonuses = [f"{money(f'r.{kind}_bonus')} AS {kind}_bonus" for kind in BONUS_KINDS]
    if settled:
        balance = [f"{money(f'COALESCE(b.{name}, 0)')} AS {name}" for name in ("adjustments", "carried_in", "payable", "paid", "carried_forward")]
        balance.append(sql_neutralized("COALESCE(b.reason, 'nothing')") + " AS balance_reason")
    else:
        balance = [f"NULL AS {name}" for name in ("adjustments", "carried_in", "payable", "paid", "carried_forward", "balance_reason")]
    name = "COALESCE(NULLIF(CONCAT_WS(' ', NULLIF(p.first_name, ''), NULLIF(p.last_name, '')), ''), p.email)"
    text = {
        key: sql_neutralized(expression)
        for key, expression in (
            ("referral_code", "p.referral_code"),
            ("name", name),
            ("email", "p.email"),
            ("calculated_rank", "NULLIF(r.calculated_rank, '')"),
            ("paid_as_rank", "NULLIF(r.paid_as_rank, '')"),
            ("career_rank", "NULLIF(r.career_rank, '')"),
        )
    }
    query = f"""
        SELECT r.partner_id, {text["referral_code"]} AS referral_code, {text["name"]} AS name,
               {text["email"]} AS email, r.pv, r.gv, r.ov,
               CASE WHEN r.qualified THEN 'true' ELSE 'false' END AS qualified,
               {text["calculated_rank"]} AS calculated_rank, {text["paid_as_rank"]} AS paid_as_rank,
               {text["career_rank"]} AS career_rank,
               CASE WHEN r.rank_overridden THEN 'true' ELSE 'false' END AS rank_overridden,
               {", ".join(bonuses)}, {money("r.total")} AS total, {", ".join(balance)}
        FROM {PartnerPeriodResult._meta.db_table} r
        JOIN {Partner._meta.db_table} p ON p.id = r.partner_id
        LEFT JOIN {PartnerBalance._meta.db_table} b ON b.period_id = {int(period.pk)} AND b.partner_id = r.partner_id
        WHERE r.run_id = {int(run.pk)}
        ORDER BY r.partner_id
    """
    count = -1  # the header
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                handle.write(bytes(data).decode("utf-8"))
                count += 1
    return max(count, 0)


def write_statement_lines_csv(statement: Statement, handle) -> int:
    """The lines of one statement, grouped by bonus."""
    writer = CsvWriter(handle, LINE_COLUMNS, number_columns=LINE_NUMBERS)
    count = 0
    for group in statement.groups:
        for line in group.lines:
            # the line's volume is the exact base of its amount (not a shown volume): the
            # lines explain every cent, so they keep all their places
            writer.writerow([group.kind, line.source_id, line.source_type, line.source_name, line.source_code, line.level, line.volume, line.rate, line.amount])
            count += 1
    return count
