"""A partner's or a customer's erasure (GDPR Art. 17): their personal data pseudonymised
everywhere the app keeps it, their bookings kept.

What happens, in one transaction (docs/privacy.md, "Erasing a person"):

1. The person's record: the e-mail becomes `erased-<kind>-<id>@erased.invalid`, names, Saleor
   user id, VAT id and status reason are cleared; a partner gets a new random referral code
   and loses its voucher code (codes are often made of a name). A partner's former customer
   record is the same person and is erased with it. A partner's payout profile loses the
   account holder, the IBAN and the BIC (its masked IBAN stays: `_erase_payout_profile`).
2. The person's documents: their orders (buyer e-mail and user id, metadata), the webhook
   deliveries about those orders or their Saleor account (bodies: names, addresses, phone,
   e-mail; the SHA-256 recomputed), the history of their record (old and new values).
3. Everything else the installation keeps, in every text and JSON column of every model
   (`inventory.text_columns`): each occurrence of the e-mail or the full name replaced.
4. An `Erasure` row records that it happened, by whom, and what was changed (counts, no
   personal data).

Kept as written (`inventory.RETAINED`): ledger entries (volume bookings without names) and
issued credit notes, for the legal retention of business records. Volumes, results,
balances and the network's structure do not change: the person stays a node, with a
pseudonym. A partner must be terminated first: an active one still earns and recruits.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.codes import generate_unique_code
from saleor_mlm.network.lock_objects import network_tree_lock
from saleor_mlm.network.models import Customer, NetworkChange, Partner
from saleor_mlm.orders.models import OrderRecord
from saleor_mlm.payouts.models import PayoutProfile, PayoutProfileChange
from saleor_mlm.webhooks.models import WebhookDelivery

from . import PersonKind
from .error_codes import PrivacyErrorCode
from .inventory import rows_of, text_columns
from .models import Erasure
from .scrub import ERASED, Needles, json_escaped, scrub_bytes, scrub_json, scrub_text

PSEUDONYM_DOMAIN = "erased.invalid"


def pseudonym_email(kind: str, pk: int) -> str:
    return f"erased-{kind}-{pk}@{PSEUDONYM_DOMAIN}"


@dataclass(frozen=True)
class ErasureResult:
    erasure: Erasure
    changed: dict[str, int]  # "model.field" -> rows changed


def erase_partner(partner: Partner, *, erased_by: str, reason: str = "") -> ErasureResult:
    """Erase a terminated partner (and the customer record it came from)."""
    if partner.status != PartnerStatus.TERMINATED:
        raise DomainError(
            PrivacyErrorCode.PARTNER_NOT_TERMINATED,
            _("%(partner)s is %(status)s: terminate the partner first (an active partner still earns and recruits).")
            % {"partner": partner, "status": partner.status},
            field="partner",
        )
    return _erase(partner, erased_by=erased_by, reason=reason)


def erase_customer(customer: Customer, *, erased_by: str, reason: str = "") -> ErasureResult:
    """Erase a customer. One who became a partner is erased as that partner."""
    if customer.converted_to_id is not None:
        raise DomainError(
            PrivacyErrorCode.CUSTOMER_IS_PARTNER,
            _("%(customer)s enrolled as partner %(partner_id)s: erase the partner, the customer record goes with it.")
            % {"customer": customer, "partner_id": customer.converted_to_id},
            field="customer",
        )
    return _erase(customer, erased_by=erased_by, reason=reason)


# ------------------------------------------------------------------ the work


def _kind(node) -> str:
    return PersonKind.PARTNER if isinstance(node, Partner) else PersonKind.CUSTOMER


def _erase(node, *, erased_by: str, reason: str) -> ErasureResult:
    kind = _kind(node)
    with transaction.atomic():
        # Erasure rewrites the person's node: no tree change runs at the same time.
        network_tree_lock(node.installation_id)
        node = type(node).objects.select_for_update().get(pk=node.pk)
        if Erasure.objects.filter(**{kind: node}).exists():
            raise DomainError(
                PrivacyErrorCode.ALREADY_ERASED,
                _("%(kind)s %(id)s was erased already.") % {"kind": kind, "id": node.pk},
                field=kind,
            )
        people = [node]
        if kind == PersonKind.PARTNER:
            people += list(Customer.objects.select_for_update().filter(converted_to=node))
        changed: Counter[str] = Counter()
        for person in people:
            _erase_person(person, changed)
        erasure = Erasure.objects.create(
            installation_id=node.installation_id,
            partner=node if kind == PersonKind.PARTNER else None,
            customer=node if kind == PersonKind.CUSTOMER else None,
            erased_by=erased_by,
            reason=scrub_text(reason, _needles(node, kind)),
            changed=dict(sorted(changed.items())),
        )
    return ErasureResult(erasure=erasure, changed=erasure.changed)


def _needles(person, kind: str) -> Needles:
    return Needles(
        email=person.email or "",
        first_name=person.first_name or "",
        last_name=person.last_name or "",
        pseudonym_email=pseudonym_email(kind, person.pk),
    )


def _erase_person(person, changed: Counter) -> None:
    kind = _kind(person)
    needles = _needles(person, kind)
    installation = person.installation
    orders = orders_of(person)
    subjects = {order.saleor_order_id for order in orders} | ({person.saleor_user_id} if person.saleor_user_id else set())

    # 1. The record.
    fields = {"email": needles.pseudonym_email, "first_name": "", "last_name": "", "saleor_user_id": ""}
    if kind == PersonKind.PARTNER:
        fields.update(vat_id="", status_reason="", voucher_code="", referral_code=generate_unique_code(person.installation_id))
    type(person).objects.filter(pk=person.pk).update(**fields, updated_at=timezone.now())
    changed[f"{type(person)._meta.label}"] += 1
    if kind == PersonKind.PARTNER:
        _erase_payout_profile(person, changed)

    # 2. The person's documents.
    for order in orders:
        OrderRecord.objects.filter(pk=order.pk).update(
            user_email=needles.pseudonym_email,
            user_id="",
            user_metadata={},
            metadata=scrub_json(order.metadata, needles, personal=True),
            private_metadata=scrub_json(order.private_metadata, needles, personal=True),
        )
        changed["orders.OrderRecord"] += 1
    deliveries = rows_of(WebhookDelivery, installation).filter(subject_id__in=sorted(subjects)) if subjects else WebhookDelivery.objects.none()
    for delivery in deliveries.only("pk", "body", "headers", "result", "error"):
        _rewrite_delivery(delivery, needles, personal=True)
        changed["webhooks.WebhookDelivery"] += 1
    history = NetworkChange.objects.filter(**{kind: person})
    for change in history.only("pk", "old_value", "new_value", "reason", "changed_by"):
        NetworkChange.objects.filter(pk=change.pk).update(
            old_value=scrub_json(change.old_value, needles, personal=True),
            new_value=scrub_json(change.new_value, needles, personal=True),
            reason=scrub_text(change.reason, needles),
            changed_by=scrub_text(change.changed_by, needles),
        )
        changed["network.NetworkChange"] += 1

    # 3. Any other occurrence, in every column that may hold text.
    if not needles.all:
        return
    for column in text_columns():
        model, field = column.model, column.field
        for row in _rows_containing(rows_of(model, installation), field, needles):
            value = getattr(row, field.attname)
            if field.get_internal_type() == "BinaryField":
                if model is WebhookDelivery:
                    _rewrite_delivery(row, needles, personal=False)
                    changed[column.label] += 1
                continue
            new = scrub_json(value, needles) if field.get_internal_type() == "JSONField" else scrub_text(value, needles)
            if new != value:
                model._default_manager.filter(pk=row.pk).update(**{field.attname: new})
                changed[column.label] += 1


def _erase_payout_profile(partner: Partner, changed: Counter) -> None:
    """The partner's bank account: holder, IBAN and BIC go (the IBAN and BIC are encrypted,
    so no text search would find them). The masked IBAN (country, check digits, last four)
    and the method stay, in the profile and its history: they tell which of the retained
    payment orders (`payout_runs.SepaFile`) and Stripe Transfers were the partner's. A
    payout still pending waits as "no bank account" (the money stays owed)."""
    profiles = PayoutProfile.objects.filter(partner=partner)
    holder = Case(When(account_holder="", then=Value("")), default=Value(ERASED))
    if profiles.exclude(account_holder="", encrypted_iban="", encrypted_bic="").update(
        account_holder=holder, encrypted_iban="", encrypted_bic="", updated_at=timezone.now()
    ):
        changed["payouts.PayoutProfile"] += 1
    entries = PayoutProfileChange.objects.filter(partner=partner).exclude(account_holder="").update(account_holder=ERASED)
    if entries:
        changed["payouts.PayoutProfileChange"] += entries


def orders_of(person, *, full: bool = False) -> list[OrderRecord]:
    """The orders the person placed: by their e-mail, their Saleor user, or credited to them
    (`full`: every column, else what erasure rewrites)."""
    condition = Q(attribution__partner=person) if isinstance(person, Partner) else Q(attribution__customer=person)
    if person.email:
        condition |= Q(user_email__iexact=person.email)
    if person.saleor_user_id:
        condition |= Q(user_id=person.saleor_user_id)
    orders = OrderRecord.objects.filter(installation_id=person.installation_id).filter(condition).distinct().order_by("pk")
    return list(orders if full else orders.only("pk", "saleor_order_id", "metadata", "private_metadata"))


def _rewrite_delivery(delivery: WebhookDelivery, needles: Needles, *, personal: bool) -> None:
    body = scrub_bytes(bytes(delivery.body or b""), needles, personal=personal)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        body=body,
        body_sha256=hashlib.sha256(body).hexdigest(),
        headers=scrub_json(delivery.headers, needles),
        result=scrub_json(delivery.result, needles, personal=personal),
        error=scrub_text(delivery.error, needles),
    )


def _escape_bytea(text: str) -> str:
    """`text` as PostgreSQL's `encode(bytea, 'escape')` writes its UTF-8 bytes."""
    out = []
    for byte in text.encode():
        if byte == 0x5C:
            out.append("\\\\")
        elif byte >= 0x80 or byte == 0:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return "".join(out)


def _rows_containing(rows, field, needles: Needles):
    """The rows whose `field` contains a needle, in any case: found by the database, checked
    again here (the database's case folding is not Python's)."""
    kind = field.get_internal_type()
    if kind == "BinaryField" and connection.vendor != "postgresql":
        candidates = rows.only("pk", field.attname)
        return [row for row in candidates.iterator() if needles.found_in(bytes(getattr(row, field.attname) or b"").decode("utf-8", "replace"))]
    if kind == "BinaryField":
        searched = Func(F(field.attname), Value("escape"), function="encode", output_field=TextField())
        variants = {_escape_bytea(v) for needle in needles.all for v in (needle, json_escaped(needle))}
    elif kind == "JSONField":
        searched = Cast(field.attname, TextField())
        variants = set(needles.all)
    else:
        searched = F(field.attname)
        variants = set(needles.all)
    condition = Q()
    for variant in variants:
        condition |= Q(_privacy_text__icontains=variant)
    found = rows.annotate(_privacy_text=searched).filter(condition)
    if kind != "BinaryField":
        found = found.only("pk", field.attname)
    return list(found)
