"""Customers: found or created by Saleor user or e-mail, attached to a sponsor, their
e-mail and name kept as Saleor has them.

A customer has no incoming edges, so its sponsor can never close a cycle; sponsor
writes still take the tree lock, because "the Betreuer is not the sponsor" is checked
across both fields. Customer protection (Kundenschutz): once attributed, a customer
stays with its sponsor; only the merchant moves it, with a reason
(`change_customer_sponsor`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from saleor_mlm.core.bulk import insert_rows
from saleor_mlm.core.errors import DomainError
from saleor_mlm.core.upper import database_upper

from .. import AttributionSource, ChangeKind, PartnerStatus, events
from ..error_codes import NetworkErrorCode
from ..lock_objects import customer_email_lock, customer_email_locks, network_tree_lock, network_tree_lock_shared
from ..models import Customer, NetworkChange, Partner
from ..validators import clean_name
from .care import current_care_assignment, end_care
from .common import (
    SponsorChange,
    clean_actor,
    now,
    refuse_terminated,
    reload_node,
    reload_partner,
    require_reason,
    same_installation,
)


def get_or_create_customer(
    installation, *, saleor_user_id: str = "", email: str, first_name: str = "", last_name: str = ""
) -> tuple[Customer, bool]:
    """The customer of a Saleor user (or, for guest checkouts, of an e-mail).

    A registered user whose e-mail matches a guest customer takes over that record (the
    guest registered). Returns (customer, created).
    """
    saleor_user_id = (saleor_user_id or "").strip()
    email = (email or "").strip()
    customers = Customer.objects.filter(installation=installation)
    with transaction.atomic():
        if saleor_user_id:
            customer = customers.filter(saleor_user_id=saleor_user_id).first()
            if customer is not None:
                return customer, False
        if email:
            customer_email_lock(installation.pk, email)
            guest = customers.select_for_update().filter(saleor_user_id="", email__iexact=email).order_by("id").first()
            if guest is not None:
                if saleor_user_id:
                    guest.saleor_user_id = saleor_user_id
                    guest.save(update_fields=["saleor_user_id", "updated_at"])
                return guest, False
        try:
            with transaction.atomic():
                customer = Customer.objects.create(
                    installation=installation,
                    saleor_user_id=saleor_user_id,
                    email=email,
                    first_name=clean_name(first_name),
                    last_name=clean_name(last_name),
                )
        except IntegrityError:
            # Another request created the same Saleor user's customer meanwhile.
            return customers.get(saleor_user_id=saleor_user_id), False
        return customer, True


# What `update_customer` may change; the sponsor has actions of its own.
UPDATABLE_CUSTOMER_FIELDS = ("email", "first_name", "last_name", "saleor_user_id")


def update_customer(customer: Customer, *, changed_by: str, reason: str = "", **fields) -> NetworkChange | None:
    """Change a customer's e-mail or name, or link a guest customer to the Saleor user it
    registered as (`saleor_user_id`). Returns the NetworkChange (kind `details`, the
    changed fields only), or None when nothing changed; `customer` is updated in place.

    The sponsor never changes here (customer protection). A customer's Saleor user id is
    set once: a customer of one Saleor user never becomes another's, and a user id that
    another customer holds is refused (`INVALID`, field `saleor_user_id`), also when that
    customer was created a moment ago by a concurrent transaction.
    """
    unknown = sorted(set(fields) - set(UPDATABLE_CUSTOMER_FIELDS))
    if unknown:
        raise TypeError(f"update_customer() cannot change {', '.join(unknown)}")
    changed_by = clean_actor(changed_by)
    reason = (reason or "").strip()
    new = {name: (value or "").strip() for name, value in fields.items()}
    for name in ("first_name", "last_name"):
        if name in new:
            new[name] = clean_name(new[name])
    if "email" in new and not new["email"]:
        raise DomainError(NetworkErrorCode.INVALID, _("A customer's e-mail cannot be emptied."), field="email")
    with transaction.atomic():
        # Which customers are guests of an address is what the e-mail locks serialize
        # (get_or_create_customer); linking or readdressing a customer changes that.
        customer_email_locks(customer.installation_id, [customer.email, new.get("email", "")])
        node = reload_node(customer)
        changed = {name: value for name, value in new.items() if value != getattr(node, name)}
        if not changed:
            return None
        if "saleor_user_id" in changed:
            _check_new_saleor_user(node, changed["saleor_user_id"])
        old = {name: getattr(node, name) for name in changed}
        for name, value in changed.items():
            setattr(node, name, value)
        try:
            with transaction.atomic():
                node.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            # A concurrent transaction gave the user id to another customer and committed
            # while this one waited on the unique index.
            raise customer_user_taken_error(changed["saleor_user_id"]) from None
        change = events.customer_details_changed(node, old=old, new=changed, changed_by=changed_by, reason=reason)
    for name in changed:
        setattr(customer, name, getattr(node, name))
    customer.updated_at = node.updated_at
    return change


def _check_new_saleor_user(node: Customer, saleor_user_id: str) -> None:
    if not saleor_user_id:
        raise DomainError(
            NetworkErrorCode.INVALID,
            _("%(node)s stays the customer of its Saleor user.") % {"node": node},
            field="saleor_user_id",
        )
    if node.saleor_user_id:
        raise customer_user_fixed_error(node)
    others = Customer.objects.filter(installation_id=node.installation_id, saleor_user_id=saleor_user_id).exclude(pk=node.pk)
    if others.exists():
        raise customer_user_taken_error(saleor_user_id)


def customer_user_fixed_error(node) -> DomainError:
    """A person's Saleor user is set once (partners and customers alike)."""
    return DomainError(
        NetworkErrorCode.INVALID,
        _("%(node)s is the customer of Saleor user %(saleor_user_id)s and cannot become another user's.")
        % {"node": node, "saleor_user_id": node.saleor_user_id},
        field="saleor_user_id",
    )


def customer_user_taken_error(saleor_user_id: str) -> DomainError:
    return DomainError(
        NetworkErrorCode.INVALID,
        _("Saleor user %(saleor_user_id)s has a customer record already.") % {"saleor_user_id": saleor_user_id},
        field="saleor_user_id",
    )


def _set_customer_sponsor(
    customer: Customer, sponsor: Partner | None, *, source: str, changed_by: str, reason: str, protect: bool
) -> SponsorChange:
    same_installation(customer, sponsor)
    with transaction.atomic():
        network_tree_lock(customer.installation_id)
        moment = now()
        node = reload_node(customer)
        sponsor = reload_partner(sponsor)
        old = node.sponsor
        if protect and old is not None:
            if sponsor is not None and old.pk == sponsor.pk:
                return SponsorChange(node=node, old_sponsor=old, new_sponsor=sponsor, change=None)
            raise DomainError(
                NetworkErrorCode.CUSTOMER_PROTECTED,
                _("%(node)s is a customer of %(old)s already (customer protection); the merchant can move it with a reason.")
                % {"node": node, "old": old},
                field="sponsor",
            )
        if (old.pk if old else None) == (sponsor.pk if sponsor else None):
            return SponsorChange(node=node, old_sponsor=old, new_sponsor=sponsor, change=None)
        refuse_terminated(sponsor, "sponsor", field="sponsor")
        ended_care = None
        care = current_care_assignment(node)
        if care is not None and sponsor is not None and care.care_partner_id == sponsor.pk:
            # A house customer handed to the partner who looks after it: care is now sponsorship.
            ended_care = end_care(node, care, moment, set_by=changed_by, reason="the Betreuer became the sponsor")
        node.sponsor = sponsor
        node.attribution_source = source if sponsor is not None else AttributionSource.NONE
        node.attributed_at = moment if sponsor is not None else None
        node.save(update_fields=["sponsor", "attribution_source", "attributed_at", "updated_at"])
        change = events.sponsor_changed(node, old=old, new=sponsor, changed_by=changed_by, reason=reason, source=source)
    customer.sponsor, customer.attribution_source, customer.attributed_at = node.sponsor, node.attribution_source, node.attributed_at
    return SponsorChange(node=node, old_sponsor=old, new_sponsor=sponsor, change=change, ended_care=ended_care)


def assign_house_customer(
    customer: Customer, sponsor: Partner, *, changed_by: str, reason: str = "", source: str = AttributionSource.MANUAL
) -> SponsorChange:
    """Attach a house customer (no sponsor) to `sponsor`.

    Also the first attribution of a new customer (`source`: voucher, referral link ...).
    A customer that has a sponsor is refused (customer protection); assigning the same
    sponsor again changes nothing. The ledger moves the open period's volume itself.
    """
    if sponsor is None:
        raise DomainError(NetworkErrorCode.INVALID, _("Name the partner the customer is assigned to."), field="sponsor")
    return _set_customer_sponsor(customer, sponsor, source=source, changed_by=clean_actor(changed_by), reason=reason, protect=True)


def change_customer_sponsor(customer: Customer, sponsor: Partner | None, *, changed_by: str, reason: str) -> SponsorChange:
    """The merchant moves a customer to another sponsor (None: back to the house),
    overriding customer protection; needs a reason."""
    reason = require_reason(reason, "Moving a customer")
    return _set_customer_sponsor(
        customer, sponsor, source=AttributionSource.MANUAL, changed_by=clean_actor(changed_by), reason=reason, protect=False
    )


@dataclass(frozen=True)
class NewCustomer:
    """A buyer no customer record knows yet, and the partner a code attributes it to."""

    saleor_user_id: str
    email: str
    sponsor: Partner | None  # None: a house customer
    source: str = AttributionSource.NONE  # how the sponsor was found
    reason: str = ""
    first_name: str = ""
    last_name: str = ""


def create_customers(installation, people: list[NewCustomer], *, changed_by: str) -> list[Customer | None]:
    """Create many new customers at once, each attached to its sponsor (its first
    attribution, recorded like `assign_house_customer` records it).

    What `get_or_create_customer` and `assign_house_customer` do for one, for a batch of
    paid orders (`ledger.crediting`) or a customer event: under the e-mail locks and the
    tree lock (shared: see `network_tree_lock_shared`), with a few queries for all. A person
    who turns out to have a customer record by now (another order created it meanwhile), or
    whose sponsor has been terminated meanwhile, gets None: the caller decides again on what
    is committed by now. People must be distinct (no Saleor user id or e-mail twice).
    E-mails match case-insensitively as `__iexact` matches them (`core.upper`).
    """
    changed_by = clean_actor(changed_by)
    if not people:
        return []
    with transaction.atomic():
        customer_email_locks(installation.pk, [person.email for person in people])
        if any(person.sponsor is not None for person in people):
            network_tree_lock_shared(installation.pk)
        customers = Customer.objects.filter(installation=installation)
        user_ids = [person.saleor_user_id for person in people if person.saleor_user_id]
        taken_users = set(customers.filter(saleor_user_id__in=user_ids).values_list("saleor_user_id", flat=True))
        upper = database_upper(person.email for person in people if person.email)
        users_by_email: dict[str, set[str]] = {}
        for email, user_id in (
            customers.annotate(email_ci=Upper("email"))
            .filter(email_ci__in=sorted(set(upper.values())))
            .values_list("email_ci", "saleor_user_id")
        ):
            users_by_email.setdefault(email, set()).add(user_id)
        sponsors = Partner.objects.in_bulk({person.sponsor.pk for person in people if person.sponsor is not None})
        moment = now()
        created: list[Customer | None] = []
        for person in people:
            with_email = users_by_email.get(upper[person.email], set()) if person.email else set()
            sponsor = sponsors.get(person.sponsor.pk) if person.sponsor is not None else None
            if (
                person.saleor_user_id in taken_users
                # A guest record of the address, or (for a guest checkout) any record of it.
                or (with_email and ("" in with_email or not person.saleor_user_id))
                or (person.sponsor is not None and (sponsor is None or sponsor.status == PartnerStatus.TERMINATED))
            ):
                created.append(None)
                continue
            created.append(
                Customer(
                    installation=installation,
                    saleor_user_id=person.saleor_user_id,
                    email=person.email,
                    first_name=clean_name(person.first_name),
                    last_name=clean_name(person.last_name),
                    sponsor=sponsor,
                    attribution_source=person.source if sponsor is not None else AttributionSource.NONE,
                    attributed_at=moment if sponsor is not None else None,
                )
            )
        insert_rows(Customer, [customer for customer in created if customer is not None])
        changes = []
        for person, customer in zip(people, created, strict=True):
            if customer is None or customer.sponsor is None:
                continue
            old_value, new_value = events.sponsor_values(None, events.partner_ref(customer.sponsor), person.source)
            changes.append(
                NetworkChange(
                    installation_id=installation.pk,
                    customer=customer,
                    kind=ChangeKind.SPONSOR,
                    old_value=old_value,
                    new_value=new_value,
                    changed_by=changed_by,
                    reason=person.reason,
                )
            )
        insert_rows(NetworkChange, changes)
        events.changes_recorded(changes)
    return created
