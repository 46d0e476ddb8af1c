"""Plan documents and the engine's plan loader: what is stored is what was validated.

A document is a mapping (given as one, or as YAML or JSON text); the engine's
`parse_plan` turns it into a `Plan` or lists every key it refuses.
"""

from __future__ import annotations

import json

import yaml
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine import Plan, PlanValidationError, parse_plan

from .error_codes import PlanErrorCode


def parse_document(document: dict | str | bytes) -> dict:
    """A plan document as a mapping: given as one, or as YAML or JSON text."""
    if isinstance(document, (str, bytes)):
        try:
            data = yaml.safe_load(document)
        except yaml.YAMLError as exc:
            raise DomainError(
                PlanErrorCode.INVALID_PLAN,
                _("The plan is not valid YAML or JSON: %(exc)s") % {"exc": exc},
                field="document",
            ) from None
        document = data
    if not isinstance(document, dict):
        raise DomainError(PlanErrorCode.INVALID_PLAN, _("A plan document is a mapping of keys (currency, ranks, bonuses ...)."), field="document")
    # Round-trip through JSON: what is stored is exactly what is validated (YAML dates or
    # other non-JSON values are refused here rather than when the row is saved).
    try:
        return json.loads(json.dumps(document))
    except (TypeError, ValueError) as exc:
        raise DomainError(
            PlanErrorCode.INVALID_PLAN,
            _("The plan holds a value JSON cannot store: %(exc)s") % {"exc": exc},
            field="document",
        ) from None


def validation_errors(document: dict) -> list[dict[str, str]]:
    """The engine's objections to a document, each with its key path; [] when valid."""
    try:
        parse_plan(document)
    except PlanValidationError as error:
        return [{"key": key, "message": message} for key, message in error.errors]
    return []


def validate_document(document: dict) -> Plan:
    """The engine's `Plan` of a document, or `DomainError(INVALID_PLAN)` naming every key."""
    try:
        return parse_plan(document)
    except PlanValidationError as error:
        text = "; ".join(f"{key}: {message}" for key, message in error.errors)
        raise DomainError(
            PlanErrorCode.INVALID_PLAN,
            _("The plan is invalid: %(text)s") % {"text": text},
            field="document",
            params={"key": error.key},
        ) from None


def plan_from_document(document: dict) -> Plan:
    """The parsed plan of a run's stored document (validated when the run started)."""
    return validate_document(document)
