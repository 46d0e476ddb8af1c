"""Cleaning shared by the periods' mutations: ids of the installation's objects, months."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError

from saleor_mlm.calendar.models import Period
from saleor_mlm.payouts.models import PayoutHold
from saleor_mlm.periods.models import RankOverride
from saleor_mlm.plans.models import PlanVersion

from ...core.errors import ApiErrorCode
from ...core.types import decode_global_id


def _clean_id(info, model, type_name: str, value: str, field: str, what: str):
    pk = decode_global_id(value or "", type_name)
    found = model.objects.filter(installation=info.context.installation, pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({field: ValidationError(f"No {what} of this shop has this id.", code=ApiErrorCode.NOT_FOUND)})
    return found


def clean_period_id(info, value: str, field: str) -> Period:
    return _clean_id(info, Period, "Period", value, field, "period")


def clean_plan_version_id(info, value: str, field: str) -> PlanVersion:
    return _clean_id(info, PlanVersion, "PlanVersion", value, field, "plan version")


def clean_rank_override_id(info, value: str, field: str) -> RankOverride:
    return _clean_id(info, RankOverride, "RankOverride", value, field, "rank override")


def clean_payout_hold_id(info, value: str, field: str) -> PayoutHold:
    return _clean_id(info, PayoutHold, "PayoutHold", value, field, "payout hold")


def clean_month(value: str | None, field: str) -> datetime.date | None:
    """`2026-10` -> 2026-10-01; None for nothing."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise ValidationError({field: ValidationError(f"{value!r} is not a month (YYYY-MM).", code=ApiErrorCode.INVALID)}) from None


def last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def clean_document(document, document_text: str | None, *, required: bool):
    """A plan document given as JSON (`document`) or as YAML/JSON text (`documentText`)."""
    if document is not None and document_text is not None:
        raise ValidationError({"document": ValidationError("Give `document` or `documentText`, not both.", code=ApiErrorCode.INVALID)})
    if document is None and document_text is None:
        if required:
            raise ValidationError({"document": ValidationError("Give the plan as `document` or `documentText`.", code=ApiErrorCode.REQUIRED)})
        return None
    return document if document is not None else document_text
