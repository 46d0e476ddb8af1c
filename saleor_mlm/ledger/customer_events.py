"""Saleor customers as they register and change (CUSTOMER_CREATED, CUSTOMER_UPDATED).

An account in the shop is the earliest moment a referred customer can be attributed: the
storefront writes the referral code it got from the partner's link into the new customer's
metadata at sign-up. The rules follow order attribution (`attribution.py`), first match
wins (docs/ledger.md, "Customers from Saleor accounts"):

1. The Saleor user is a partner (by Saleor user id, then e-mail): nothing to do.
2. A customer with the Saleor user id exists: its e-mail and name follow Saleor's; its
   sponsor never changes (customer protection).
3. A guest customer (no Saleor user id) has the user's e-mail (case-insensitive): it is
   linked to the user, sponsor unchanged.
4. The user's metadata carries a referral code (`VolumeSettings.referral_metadata_key`) of a
   partner who may sponsor: a new customer under that partner, attribution source
   `customer_metadata`, created by `network.actions.create_customers` (e-mail locks, tree
   lock, NetworkChange by "system" with the delivery as reason).
5. Otherwise nothing now: the first paid order attributes the customer. No house customer
   is created here; an order may still bring a partner's code.

Concurrency: an order of the same person may create or link the customer between our read
and our write (the network's e-mail locks, or the unique Saleor user id, stop the write).
Then the rules are applied again to what is committed by now, and the customer is treated
as existing: no error, no second customer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.network import ChangedBy
from saleor_mlm.network import actions as network_actions
from saleor_mlm.network.models import Customer, Partner

from . import AttributionRule
from .attribution import Buyer, find_code_partner, find_customer, find_partner_buyer
from .customers import SOURCE_BY_RULE

if TYPE_CHECKING:
    from saleor_mlm.saleor.payloads import Customer as SaleorCustomer

# A write that lost a race is retried with a fresh read; the winner's row is committed by
# then, so the second attempt settles it. A third failure is a bug: the delivery fails
# and keeps its traceback for reprocessing.
ATTEMPTS = 3


class CustomerEventAction:
    """What a customer event did (`delivery.result[...]["action"]`)."""

    PARTNER = "partner"  # the Saleor user is a partner: nothing to do
    CREATED = "created"  # a new customer under the partner of the code in the user's metadata
    LINKED = "linked"  # a guest customer of the e-mail was linked to the user (maybe updated too)
    UPDATED = "updated"  # the customer's e-mail or name follow Saleor's
    UNCHANGED = "unchanged"  # the customer is as Saleor has it already
    WAITING = "waiting"  # no customer record: the first paid order attributes the customer


@dataclass(frozen=True)
class CustomerEventResult:
    action: str
    message: str
    customer: Customer | None = None
    partner: Partner | None = None  # PARTNER: the user's partner record
    rule: str = ""  # PARTNER: partner_user / partner_email; CREATED: customer_metadata
    code: str = ""  # the referral code in the user's metadata, if any
    changed: dict[str, list[str]] = field(default_factory=dict)  # field -> [old, new]

    @property
    def sponsor(self) -> Partner | None:
        return self.customer.sponsor if self.customer is not None else None

    def as_json(self) -> dict[str, Any]:
        """What is stored on the delivery: plain values a merchant can read."""
        data: dict[str, Any] = {"action": self.action, "message": self.message}
        if self.partner is not None:
            data.update(partner=self.partner.pk, partner_code=self.partner.referral_code)
        if self.customer is not None:
            sponsor = self.sponsor
            data.update(
                customer=self.customer.pk,
                sponsor=sponsor.pk if sponsor else None,
                sponsor_code=sponsor.referral_code if sponsor else "",
                attribution_source=self.customer.attribution_source,
            )
        if self.rule:
            data["rule"] = self.rule
        if self.code:
            data["code"] = self.code
        if self.changed:
            data["changed"] = self.changed
        return data


def record_saleor_customer(
    installation: Installation, user: SaleorCustomer, *, referral_key: str, origin: str
) -> CustomerEventResult:
    """Apply the rules above to a Saleor user as a customer event reports it.

    `referral_key` is the installation's metadata key of referral codes; `origin` names the
    event and delivery, for the reasons in the network's history. Idempotent: the same
    user data a second time finds everything done and reports UNCHANGED (or the same
    PARTNER / WAITING answer)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            # A savepoint per attempt: a write refused by a concurrent one leaves nothing.
            with transaction.atomic():
                result = _apply_rules(installation, user, referral_key, origin)
        except (IntegrityError, DomainError):
            # The Saleor user id was taken, or the guest linked to another user, by a
            # concurrent transaction that has committed by now: read again.
            if attempt == ATTEMPTS:
                raise
            continue
        if result is not None:
            return result
    raise RuntimeError(f"the customer of Saleor user {user.id} kept changing during {ATTEMPTS} attempts")


def _apply_rules(installation: Installation, user: SaleorCustomer, referral_key: str, origin: str) -> CustomerEventResult | None:
    """The result, or None when a concurrent order created the customer meanwhile."""
    # The user seen as a buyer with no order: the same lookups as order attribution, where
    # only the customer's own metadata can carry a code.
    buyer = Buyer(
        installation_id=installation.pk,
        user_id=user.id.strip(),
        email=user.email.strip(),
        voucher_code="",
        order_metadata={},
        user_metadata=user.metadata,
    )
    code = str(user.metadata.get(referral_key) or "").strip()
    partner, rule = find_partner_buyer(buyer)
    if partner is not None:
        found_by = "Saleor user id" if rule == AttributionRule.PARTNER_USER else "e-mail"
        return CustomerEventResult(
            CustomerEventAction.PARTNER,
            f"the Saleor user is partner {partner.referral_code} (by {found_by}): nothing to do",
            partner=partner,
            rule=rule,
            code=code,
        )
    customer = find_customer(buyer)
    if customer is not None:
        return _update_customer(customer, user, code=code, origin=origin)
    sponsor, rule = find_code_partner(buyer, referral_key)
    if sponsor is None:
        why = (
            f"referral code {code!r} in the customer's metadata names no partner who may sponsor"
            if code
            else f"no referral code in the customer's metadata ({referral_key})"
        )
        return CustomerEventResult(
            CustomerEventAction.WAITING, f"{why}: no customer record yet, the first paid order attributes the customer", code=code
        )
    person = network_actions.NewCustomer(
        saleor_user_id=buyer.user_id,
        email=buyer.email,
        first_name=user.first_name,
        last_name=user.last_name,
        sponsor=sponsor,
        source=SOURCE_BY_RULE[rule],
        reason=f"referral code {code} in the Saleor customer's metadata ({origin})",
    )
    created = network_actions.create_customers(installation, [person], changed_by=ChangedBy.SYSTEM)[0]
    if created is None:
        # An order of the person created or linked its customer since we looked, or the
        # sponsor was terminated meanwhile: decide again on what is committed now.
        return None
    return CustomerEventResult(
        CustomerEventAction.CREATED,
        f"customer created under partner {sponsor.referral_code} (referral code in the customer's metadata)",
        customer=created,
        rule=rule,
        code=code,
    )


def _update_customer(customer: Customer, user: SaleorCustomer, *, code: str, origin: str) -> CustomerEventResult:
    """Rules 2 and 3: the e-mail and name as Saleor has them, the user id on a guest
    customer; never the sponsor. Empty values in the payload (a field the app may not
    read) leave what is stored."""
    wanted = {"email": user.email.strip(), "first_name": user.first_name.strip(), "last_name": user.last_name.strip()}
    fields = {name: value for name, value in wanted.items() if value and value != getattr(customer, name)}
    if not customer.saleor_user_id:
        fields["saleor_user_id"] = user.id.strip()
    change = None
    if fields:
        reason = f"{'the guest customer registered' if 'saleor_user_id' in fields else 'changed'} in Saleor ({origin})"
        change = network_actions.update_customer(customer, changed_by=ChangedBy.SYSTEM, reason=reason, **fields)
    # What the network action really changed (a concurrent order may have done part of it).
    changed = {name: [change.old_value[name], value] for name, value in change.new_value.items()} if change else {}
    if "saleor_user_id" in changed:
        action, what = CustomerEventAction.LINKED, f"guest customer {customer.pk} linked to the Saleor user"
    elif changed:
        action, what = CustomerEventAction.UPDATED, f"{', '.join(changed)} of customer {customer.pk} updated"
    else:
        action, what = CustomerEventAction.UNCHANGED, f"customer {customer.pk} is up to date"
    return CustomerEventResult(
        action, f"{what}; {_sponsor_note(customer, code)}", customer=customer, code=code, changed=changed
    )


def _sponsor_note(customer: Customer, code: str) -> str:
    sponsor = customer.sponsor
    if sponsor is None:
        # Order attribution rules 4 to 6 still take a house customer, by the code its
        # next order carries (the user's metadata included).
        return "a house customer: its next paid order with a partner's code attaches it"
    note = f"sponsor {sponsor.referral_code} kept (customer protection)"
    if code and code.upper() != sponsor.referral_code.upper():
        note += f"; referral code {code} in the customer's metadata ignored"
    return note
