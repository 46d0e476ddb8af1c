"""Cleaning shared by the payouts' mutations: ids of the installation's runs and files."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from saleor_mlm.payout_runs.models import PayoutRun, SepaFile

from ...core.errors import ApiErrorCode
from ...core.types import decode_global_id


def _clean_id(info, model, type_name: str, value: str, field: str, what: str):
    pk = decode_global_id(value or "", type_name)
    found = model.objects.filter(installation=info.context.installation, pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({field: ValidationError(f"No {what} of this shop has this id.", code=ApiErrorCode.NOT_FOUND)})
    return found


def clean_run_id(info, value: str, field: str = "id") -> PayoutRun:
    return _clean_id(info, PayoutRun, "PayoutRun", value, field, "payout run")


def clean_sepa_file_id(info, value: str, field: str = "id") -> SepaFile:
    return _clean_id(info, SepaFile, "SepaFile", value, field, "SEPA file")
