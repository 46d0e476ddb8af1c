"""The merchant's volume settings and exchange rates, changed from the API.

A change of the volume settings applies to order events credited afterwards: entries in
the ledger keep the PV and BV they were credited with (append-only). The plan currency is
not changed here: it follows the plan (`plans.actions` refuses a plan in another currency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation

from .crediting import volume_settings_for
from .error_codes import LedgerErrorCode
from .models import VolumeSettings
from .rates import ImportResult, RatesFileError, parse_rates_csv, upsert_rates
from .tasks import retry_parked_task

KEY_FIELDS = ("pv_metadata_key", "bv_metadata_key", "referral_metadata_key")
FIELDS = ("pv_per_bv", *KEY_FIELDS)
# Saleor's metadata keys: any text, but the app's keys are plain names (letters, digits, ._-).
KEY_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PV_PER_BV = VolumeSettings._meta.get_field("pv_per_bv")


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(LedgerErrorCode.INVALID, message, field=field)


def clean_pv_per_bv(value) -> Decimal:
    try:
        ratio = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _invalid("pv_per_bv", _("PV per BV is a number greater than 0, e.g. 1 or 0.5.")) from None
    places = PV_PER_BV.decimal_places
    if not ratio.is_finite() or ratio <= 0 or ratio >= Decimal(10) ** (PV_PER_BV.max_digits - places):
        raise _invalid("pv_per_bv", _("PV per BV is a number greater than 0, e.g. 1 or 0.5."))
    if ratio != ratio.quantize(Decimal(1).scaleb(-places)):
        raise _invalid("pv_per_bv", _("PV per BV has at most %(places)d decimal places.") % {"places": places})
    return ratio


def update_volume_settings(installation_id: int, **changes) -> VolumeSettings:
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise TypeError(f"update_volume_settings() cannot change {', '.join(unknown)}")
    with transaction.atomic():
        settings = VolumeSettings.objects.select_for_update().get(pk=volume_settings_for(installation_id).pk)
        if "pv_per_bv" in changes:
            settings.pv_per_bv = clean_pv_per_bv(changes["pv_per_bv"])
        for name in KEY_FIELDS:
            if name in changes:
                key = (changes[name] or "").strip()
                if not KEY_PATTERN.match(key):
                    raise _invalid(name, _("A metadata key has 1 to 64 letters, digits, '.', '_' or '-'."))
                setattr(settings, name, key)
        settings.save()
    return settings


@dataclass(frozen=True)
class RatesImport:
    rows: int
    result: ImportResult


def import_rates(installation: Installation, text: str, filename: str = "rates.csv") -> RatesImport:
    """A rates file as `saleor-mlm rates import` takes it: refused as a whole with every bad
    cell named, else upserted; after the commit the order events parked for a missing
    rate are retried in the background (`ledger.retry_parked`)."""
    plan_currency = volume_settings_for(installation.pk).plan_currency.upper()
    try:
        rows = parse_rates_csv(text, filename=filename, default_plan_currency=plan_currency)
    except RatesFileError as error:
        # Every problem on its own, each naming its line and column.
        raise ValidationError({"csv": [ValidationError(problem, code=LedgerErrorCode.INVALID) for problem in error.problems]}) from None
    if not rows:
        raise _invalid("csv", _("The file has no rates."))
    result = upsert_rates(installation, rows)
    transaction.on_commit(lambda: retry_parked_task.delay(installation.pk))
    return RatesImport(len(rows), result)
