"""Moving an existing network in: `saleor-mlm network import` and `customers import`.

    result = import_network(installation, "partners.csv", changed_by="anna@shop.de", settlement=...)

The file is read and checked as a whole first (`import_file`: the engine's exchange
format and the network's rules per cell), then against the stored network under the
installation's tree lock (`import_plan`: who is who, the network after the import as a
whole). Every problem is collected, and any problem means nothing is written: the caller
gets `ImportErrors` with all of them at `file:line:column`. Otherwise the changes are
written in one transaction (`import_write`), with history, and a record of the import
(`NetworkImport`) that the history names. A file that changes nothing writes nothing,
so importing the same file again reports "0 created, 0 updated, N unchanged".

Balances and career ranks belong to the periods (above the network): the caller passes a
`Settlement` that checks and writes them (`payouts.import_settlement`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.engine.exchange import ExchangeErrors, ExchangeFileError

from .import_file import read_import_file
from .import_plan import Counts, plan_import
from .import_write import opening_balance_amounts, write_import
from .lock_objects import network_tree_lock
from .models import NetworkImport
from .vouchers import write_back_enabled


class Settlement(Protocol):
    """What an import needs from the periods: the plan's career ranks and opening balances."""

    def career_rank_codes(self) -> list[str]:
        """Rank codes of the plan in force (empty: no plan)."""

    def clean_balance(self, text: str) -> Decimal:
        """An amount in the plan's currency; raises `ValidationError`."""

    def approval_error(self) -> ValidationError | None:
        """Why the opening balances cannot be written (four eyes), or None."""

    def opening_balances(self) -> dict[int, Decimal]:
        """partner pk -> opening balance recorded so far."""

    def write_opening_balances(self, amounts: dict[int, Decimal], *, note: str) -> None:
        """Add these amounts (partner pk -> amount) to the partners' opening balances."""


class ImportErrors(Exception):
    """Every problem of an import file; nothing was written."""

    def __init__(self, errors: list[ExchangeFileError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ImportResult:
    file_name: str
    rows: int
    partners: Counts = field(default_factory=Counts)
    customers: Counts = field(default_factory=Counts)
    balances: int = 0  # partners whose opening balance was set or corrected
    dry_run: bool = False
    record: NetworkImport | None = None

    def summary(self) -> dict:
        return {"partners": self.partners.as_dict(), "customers": self.customers.as_dict(), "balances": self.balances}


def _no_progress(phase: str, percent: int, detail: str = "") -> None:
    pass


def import_network(
    installation,
    path: str,
    *,
    changed_by: str,
    customers_only: bool = False,
    dry_run: bool = False,
    settlement: Settlement | None = None,
    progress: Callable[..., None] = _no_progress,
) -> ImportResult:
    """Import a network file (partners and customers) or a customers file into the
    installation. Raises `ImportErrors`; with `dry_run` checks everything and writes
    nothing."""
    # A million rows make millions of objects that live until the end: the cyclic garbage
    # collector would walk all of them again and again (a third of the time) for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_network(installation, path, changed_by, customers_only, dry_run, settlement, progress)
    finally:
        if collecting:
            gc.enable()


def _import_network(installation, path, changed_by, customers_only, dry_run, settlement, progress) -> ImportResult:
    errors = ExchangeErrors(collect=True)
    progress("reading", 0)
    file = read_import_file(
        path,
        errors,
        customers_only=customers_only,
        career_ranks=settlement.career_rank_codes() if settlement else [],
        clean_balance=settlement.clean_balance if settlement else None,
        progress=lambda fraction: progress("reading", int(fraction * 100)),
    )
    if file is None:
        if errors:
            raise ImportErrors(errors.sorted())
        return ImportResult(file_name=path, rows=0, dry_run=dry_run)
    progress("checking", 0)
    with transaction.atomic():
        network_tree_lock(installation.pk)
        plan = plan_import(file, installation.pk, timezone.now(), errors, settlement)
        if errors:
            raise ImportErrors(errors.sorted())
        result = ImportResult(
            file_name=file.name, rows=len(file), partners=plan.partners, customers=plan.customers, balances=len(plan.balances), dry_run=dry_run
        )
        progress("checking", 100)
        if dry_run or not plan.changes_anything:
            return result
        result.record = NetworkImport.objects.create(
            installation=installation,
            kind=NetworkImport.CUSTOMERS if customers_only else NetworkImport.NETWORK,
            file_name=file.name[:255],
            file_sha256=file.sha256,
            rows=len(file),
            summary=result.summary(),
            imported_by=changed_by,
        )
        reason = _("import #%(number)d of %(file)s") % {"number": result.record.pk, "file": file.name}
        write_back = write_back_enabled(installation)
        keys = write_import(
            plan, import_id=result.record.pk, changed_by=changed_by, reason=reason, codes_are_vouchers=not write_back, progress=progress
        )
        if plan.balances:
            settlement.write_opening_balances(opening_balance_amounts(plan, keys), note=reason)
        if plan.partners.created and write_back:
            transaction.on_commit(partial(_issue_voucher_codes, installation.pk))
        progress("writing", 100)
    return result


def _issue_voucher_codes(installation_id: int) -> None:
    from .tasks import issue_missing_voucher_codes_task

    issue_missing_voucher_codes_task.delay(installation_id=installation_id)
