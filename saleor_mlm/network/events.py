"""The audit trail of the network: one small writer per kind of change.

Every sponsor, Betreuer, status and split-agreement change, every new partner and every
change of a partner's or customer's details is written to `NetworkChange` with who
(`changed_by`: the person's e-mail, or "app" / "system"), why (`reason`) and the old and
new values as JSON. The writers are called inside the action's transaction, so a refused
or rolled-back change leaves no trace.

The JSON of each kind is built by a `*_value(s)` function of plain values, shared by the
writers and by the import, which writes a million changes at once (`imports`).

New partners and sponsor changes are also handed to the packages above, which the network
does not import (`changes_recorded`: the e-mails to partners). The import's history is not:
a business that moves in brings its past, not news.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saleor_mlm.core.steps import run_steps

from . import ChangeKind
from .models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement


def _node_fields(node: Partner | Customer) -> dict[str, Any]:
    if isinstance(node, Partner):
        return {"installation_id": node.installation_id, "partner": node}
    return {"installation_id": node.installation_id, "customer": node}


def partner_ref_value(pk: int, referral_code: str, name: str) -> dict[str, Any]:
    return {"id": pk, "referral_code": referral_code, "name": name}


def partner_ref(partner: Partner | None) -> dict[str, Any] | None:
    if partner is None:
        return None
    return partner_ref_value(partner.pk, partner.referral_code, partner.display_name)


def share_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def care_ref_value(assignment_id: int, care_partner: dict[str, Any], share: Decimal | None, valid_from, valid_to) -> dict[str, Any]:
    return {
        "assignment_id": assignment_id,
        "care_partner": care_partner,
        "share": share_text(share),
        "valid_from": _date(valid_from),
        "valid_to": _date(valid_to),
    }


def care_ref(assignment: CareAssignment | None) -> dict[str, Any] | None:
    if assignment is None:
        return None
    return care_ref_value(
        assignment.pk, partner_ref(assignment.care_partner), assignment.share, assignment.valid_from, assignment.valid_to
    )


def created_value(*, source: str, sponsor: dict[str, Any] | None, status: str, referral_code: str, from_customer_id: int | None) -> dict[str, Any]:
    return {
        "source": source,
        "sponsor": sponsor,
        "status": status,
        "referral_code": referral_code,
        "from_customer_id": from_customer_id,
    }


def imported_value(*, source: str, import_id: int, file: str, partners: int, customers: int) -> dict[str, Any]:
    """The one `created` change of an import: how many partners and customers it created.
    A million new people are one line of history, the import record names the file."""
    return {"source": source, "import_id": import_id, "file": file, "partners": partners, "customers": customers}


def sponsor_values(old: dict[str, Any] | None, new: dict[str, Any] | None, source: str = "") -> tuple[dict, dict]:
    new_value = {"sponsor": new}
    if source:
        new_value["source"] = source
    return {"sponsor": old}, new_value


def status_values(old: str, new: str) -> tuple[dict, dict]:
    return {"status": old}, {"status": new}


def care_unassigned_values(ended: dict[str, Any], ended_at) -> tuple[dict, dict]:
    return {"care": ended}, {"care": None, "ended_at": _date(ended_at)}


def split_ref(agreement: SplitAgreement) -> dict[str, Any]:
    return {
        "agreement_id": agreement.pk,
        "share": share_text(agreement.share),
        "valid_from": _date(agreement.valid_from),
        "valid_to": _date(agreement.valid_to),
    }


def changes_recorded(changes: list[NetworkChange]) -> None:
    """Run the steps of `settings.NETWORK_CHANGE_STEPS` (`step(changes)`, in the change's
    transaction) for new partners and sponsor changes just written (`core.steps`)."""
    run_steps("NETWORK_CHANGE_STEPS", changes)


def partner_created(partner: Partner, *, changed_by: str, reason: str = "", source: str, customer: Customer | None = None) -> NetworkChange:
    """`source`: "merchant" or "enrollment"; `customer` when a customer became the partner."""
    change = NetworkChange.objects.create(
        installation_id=partner.installation_id,
        kind=ChangeKind.CREATED,
        partner=partner,
        customer=customer,
        old_value=None,
        new_value=created_value(
            source=source,
            sponsor=partner_ref(partner.sponsor),
            status=partner.status,
            referral_code=partner.referral_code,
            from_customer_id=customer.pk if customer else None,
        ),
        changed_by=changed_by,
        reason=reason,
    )
    changes_recorded([change])
    return change


def sponsor_changed(
    node: Partner | Customer, *, old: Partner | None, new: Partner | None, changed_by: str, reason: str = "", source: str = ""
) -> NetworkChange:
    """A partner moved in the genealogy, or a customer attributed to (another) partner."""
    old_value, new_value = sponsor_values(partner_ref(old), partner_ref(new), source)
    change = NetworkChange.objects.create(
        **_node_fields(node),
        kind=ChangeKind.SPONSOR,
        old_value=old_value,
        new_value=new_value,
        changed_by=changed_by,
        reason=reason,
    )
    changes_recorded([change])
    return change


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


def program_care_changed(partner: Partner, *, old: dict[str, Any], new: dict[str, Any], source: str, changed_by: str, reason: str = "") -> NetworkChange:
    """A member's Betreuer or share in a program other than the default ({"care", "share"})."""
    return NetworkChange.objects.create(
        **_node_fields(partner),
        kind=ChangeKind.CARE,
        old_value=old,
        new_value={**new, "source": source},
        changed_by=changed_by,
        reason=reason,
    )


def care_unassigned(node: Partner | Customer, *, assignment: CareAssignment, changed_by: str, reason: str = "") -> NetworkChange:
    old_value, new_value = care_unassigned_values(care_ref(assignment), assignment.valid_to)
    return NetworkChange.objects.create(
        **_node_fields(node),
        kind=ChangeKind.CARE,
        old_value=old_value,
        new_value=new_value,
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
    old_value, new_value = status_values(old, new)
    return NetworkChange.objects.create(
        **_node_fields(partner),
        kind=ChangeKind.STATUS,
        old_value=old_value,
        new_value=new_value,
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
