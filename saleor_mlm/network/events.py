"""The audit trail of the network: one small writer per kind of change.

Every sponsor, Betreuer, status and split-agreement change, every new partner and every
change of a partner's or customer's details is written to `NetworkChange` with who
(`changed_by`: the person's e-mail, or "app" / "system"), why (`reason`) and the old and
new values as JSON. The writers are called inside the action's transaction, so a refused
or rolled-back change leaves no trace.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import ChangeKind
from .models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement


def _node_fields(node: Partner | Customer) -> dict[str, Any]:
    if isinstance(node, Partner):
        return {"installation_id": node.installation_id, "partner": node}
    return {"installation_id": node.installation_id, "customer": node}


def partner_ref(partner: Partner | None) -> dict[str, Any] | None:
    if partner is None:
        return None
    return {"id": partner.pk, "referral_code": partner.referral_code, "name": partner.display_name}


def _share(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def care_ref(assignment: CareAssignment | None) -> dict[str, Any] | None:
    if assignment is None:
        return None
    return {
        "assignment_id": assignment.pk,
        "care_partner": partner_ref(assignment.care_partner),
        "share": _share(assignment.share),
        "valid_from": _date(assignment.valid_from),
        "valid_to": _date(assignment.valid_to),
    }


def split_ref(agreement: SplitAgreement) -> dict[str, Any]:
    return {
        "agreement_id": agreement.pk,
        "share": _share(agreement.share),
        "valid_from": _date(agreement.valid_from),
        "valid_to": _date(agreement.valid_to),
    }


def partner_created(partner: Partner, *, changed_by: str, reason: str = "", source: str, customer: Customer | None = None) -> NetworkChange:
    """`source`: "merchant" or "enrollment"; `customer` when a customer became the partner."""
    return NetworkChange.objects.create(
        installation_id=partner.installation_id,
        kind=ChangeKind.CREATED,
        partner=partner,
        customer=customer,
        old_value=None,
        new_value={
            "source": source,
            "sponsor": partner_ref(partner.sponsor),
            "status": partner.status,
            "referral_code": partner.referral_code,
            "from_customer_id": customer.pk if customer else None,
        },
        changed_by=changed_by,
        reason=reason,
    )


def sponsor_changed(
    node: Partner | Customer, *, old: Partner | None, new: Partner | None, changed_by: str, reason: str = "", source: str = ""
) -> NetworkChange:
    """A partner moved in the genealogy, or a customer attributed to (another) partner."""
    new_value = {"sponsor": partner_ref(new)}
    if source:
        new_value["source"] = source
    return NetworkChange.objects.create(
        **_node_fields(node),
        kind=ChangeKind.SPONSOR,
        old_value={"sponsor": partner_ref(old)},
        new_value=new_value,
        changed_by=changed_by,
        reason=reason,
    )


def care_assigned(
    node: Partner | Customer, *, previous: CareAssignment | None, assignment: CareAssignment, changed_by: str, reason: str = ""
) -> NetworkChange:
    return NetworkChange.objects.create(
        **_node_fields(node),
        kind=ChangeKind.CARE,
        old_value={"care": care_ref(previous)},
        new_value={"care": care_ref(assignment)},
        changed_by=changed_by,
        reason=reason,
    )


def care_unassigned(node: Partner | Customer, *, assignment: CareAssignment, changed_by: str, reason: str = "") -> NetworkChange:
    return NetworkChange.objects.create(
        **_node_fields(node),
        kind=ChangeKind.CARE,
        old_value={"care": care_ref(assignment)},
        new_value={"care": None, "ended_at": _date(assignment.valid_to)},
        changed_by=changed_by,
        reason=reason,
    )


def partner_details_changed(partner: Partner, *, old: dict[str, Any], new: dict[str, Any], changed_by: str, reason: str = "") -> NetworkChange:
    return NetworkChange.objects.create(
        installation_id=partner.installation_id,
        kind=ChangeKind.DETAILS,
        partner=partner,
        old_value=old,
        new_value=new,
        changed_by=changed_by,
        reason=reason,
    )


def customer_details_changed(
    customer: Customer, *, old: dict[str, Any], new: dict[str, Any], changed_by: str, reason: str = ""
) -> NetworkChange:
    """A customer's e-mail or name changed, or a guest customer was linked to its Saleor user."""
    return NetworkChange.objects.create(
        **_node_fields(customer),
        kind=ChangeKind.DETAILS,
        old_value=old,
        new_value=new,
        changed_by=changed_by,
        reason=reason,
    )


def status_changed(partner: Partner, *, old: str, new: str, changed_by: str, reason: str = "") -> NetworkChange:
    return NetworkChange.objects.create(
        **_node_fields(partner),
        kind=ChangeKind.STATUS,
        old_value={"status": old},
        new_value={"status": new},
        changed_by=changed_by,
        reason=reason,
    )


def split_agreement_set(
    partner: Partner, *, agreement: SplitAgreement | None, ended: list[SplitAgreement], changed_by: str, note: str = ""
) -> NetworkChange:
    """A new agreement (`agreement`) and the ones it cut short (`ended`); `agreement`
    None when an agreement was only ended."""
    return NetworkChange.objects.create(
        **_node_fields(partner),
        kind=ChangeKind.SPLIT_AGREEMENT,
        old_value={"ended": [split_ref(item) for item in ended]},
        new_value={"agreement": split_ref(agreement) if agreement else None},
        changed_by=changed_by,
        reason=note,
    )
