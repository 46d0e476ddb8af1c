"""State changes of plan versions.

Rules (docs/periods.md, "Plan versions"):

- A draft can be saved even when invalid (work in progress); `errors` says why. Only a
  valid draft can be activated, and activation freezes the document.
- An active version is in force from `in_force_from` (the first day of a month) until the
  next active version starts. At most one active version starts in a month.
- The plan of a settled period (closed, approved or committed) never changes: a version
  cannot be activated from a month at or before a settled period (re-open it first), and
  a version a settled period used cannot be retired.
- The plan's currency must be the ledger's plan currency: BV is money in that currency.

The last but one rule is the periods': these actions read the periods' status and the plan
of their close runs, and record their changes in the periods' audit log (`calendar`, below
the plans: docs/architecture.md, "Layers").
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodEventKind, PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.installations.models import Installation
from saleor_mlm.ledger.models import VolumeSettings
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program

from . import PlanStatus, events
from .documents import parse_document, validate_document, validation_errors
from .error_codes import PlanErrorCode
from .models import PlanVersion

# A user, reason or approver: given, blanks stripped.
_require = partial(required, code=PlanErrorCode.REQUIRED)


def create_plan_version(
    installation: Installation, name: str, document: dict | str, created_by: str, program: Program | None = None
) -> PlanVersion:
    """Store a draft of a program's plan (the default program's unless given). An invalid
    document is kept with its `errors` (it cannot be activated)."""
    if program is not None and program.installation_id != installation.pk:
        raise DomainError(PlanErrorCode.INVALID, _("The program belongs to another installation."), field="program")
    name = _require(name, "name")
    created_by = _require(created_by, "created_by")
    data = parse_document(document)
    errors = validation_errors(data)
    with transaction.atomic():
        version = PlanVersion.objects.create(
            installation=installation,
            program=program or default_program(installation.pk),
            name=name,
            document=data,
            status=PlanStatus.DRAFT,
            created_by=created_by,
            errors=errors,
            validated_at=None if errors else timezone.now(),
        )
        events.plan_changed(version, PeriodEventKind.PLAN_CREATED, created_by, valid=not errors)
    return version


def update_plan_draft(version: PlanVersion, updated_by: str, *, name: str | None = None, document: dict | str | None = None) -> PlanVersion:
    """Change a draft's name or document (activated versions are frozen)."""
    updated_by = _require(updated_by, "updated_by")
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != PlanStatus.DRAFT:
            raise DomainError(
                PlanErrorCode.PLAN_NOT_DRAFT,
                _("Plan version %(version)s is %(status)s: only drafts can be edited.")
                % {"version": repr(version.name), "status": version.status},
                field="plan_version",
            )
        if name is not None:
            version.name = _require(name, "name")
        if document is not None:
            version.document = parse_document(document)
            version.errors = validation_errors(version.document)
            version.validated_at = None if version.errors else timezone.now()
        version.save()
        events.plan_changed(version, PeriodEventKind.PLAN_UPDATED, updated_by, valid=not version.errors)
    return version


def first_of_month(value: datetime.date | str) -> datetime.date:
    """`2026-10`, `2026-10-01` or a date on the first of a month."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
        except ValueError:
            raise DomainError(
                PlanErrorCode.INVALID,
                _("%(value)s is not a month (YYYY-MM).") % {"value": repr(value)},
                field="in_force_from",
            ) from None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value.day != 1:
        raise DomainError(PlanErrorCode.INVALID, _("A plan comes into force on the first day of a month."), field="in_force_from")
    return value


def _plan_currency(installation_id: int) -> str | None:
    return VolumeSettings.objects.filter(installation_id=installation_id).values_list("plan_currency", flat=True).first()


def activate_plan_version(version: PlanVersion, in_force_from: datetime.date | str, activated_by: str) -> PlanVersion:
    """Put a valid draft in force from the first day of a month."""
    activated_by = _require(activated_by, "activated_by")
    start = first_of_month(in_force_from)
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != PlanStatus.DRAFT:
            raise DomainError(
                PlanErrorCode.PLAN_NOT_DRAFT,
                _("Plan version %(version)s is %(status)s already.")
                % {"version": repr(version.name), "status": version.status},
                field="plan_version",
            )
        plan = validate_document(version.document)
        currency = _plan_currency(version.installation_id)
        if currency and currency.upper() != plan.currency:
            raise DomainError(
                PlanErrorCode.INVALID_PLAN,
                _("The plan pays in %(plan_currency)s but volumes are recorded in %(currency)s (the ledger's plan currency).")
                % {"plan_currency": plan.currency, "currency": currency.upper()},
                field="document",
                params={"key": "currency"},
            )
        settled = (
            Period.objects.filter(installation_id=version.installation_id, starts_on__gte=start, status__in=PeriodStatus.SETTLED)
            .order_by("-starts_on")
            .first()
        )
        if settled is not None:
            raise DomainError(
                PlanErrorCode.INVALID_STATUS,
                _("Period %(period)s is %(status)s: a plan cannot change for it. Choose a later month or re-open it first.")
                % {"period": settled.label, "status": settled.status},
                field="in_force_from",
            )
        version.status = PlanStatus.ACTIVE
        version.in_force_from = start
        version.activated_by = activated_by
        version.activated_at = timezone.now()
        version.validated_at = version.validated_at or version.activated_at
        version.errors = []
        try:
            with transaction.atomic():
                version.save()
        except IntegrityError:
            raise DomainError(
                PlanErrorCode.PLAN_START_TAKEN,
                _("Another active plan version comes into force in %(start)s; retire it first.")
                % {"start": format(start, '%Y-%m')},
                field="in_force_from",
            ) from None
        events.plan_changed(version, PeriodEventKind.PLAN_ACTIVATED, activated_by, in_force_from=start.isoformat())
    return version


def retire_plan_version(version: PlanVersion, retired_by: str) -> PlanVersion:
    """Withdraw a draft, or an active version no settled period has used."""
    retired_by = _require(retired_by, "retired_by")
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.status == PlanStatus.RETIRED:
            return version
        # A settled period's figures are those of its close run (`close_run`: the one close
        # run that succeeded; the others are superseded).
        used = Period.objects.filter(close_run__plan_version=version, status__in=PeriodStatus.SETTLED).first()
        if used is not None:
            raise DomainError(
                PlanErrorCode.PLAN_IN_USE,
                _("Period %(period)s was settled with %(version)s: it stays on record.")
                % {"period": used.label, "version": repr(version.name)},
                field="plan_version",
            )
        version.status = PlanStatus.RETIRED
        version.retired_by = retired_by
        version.retired_at = timezone.now()
        version.save()
        events.plan_changed(version, PeriodEventKind.PLAN_RETIRED, retired_by)
    return version
