"""Issuing: the documents of a committed period, cancellations and corrections.

- `issue_for_period` runs inside the transaction that commits a period (settings
  `PERIOD_COMMITTED_STEPS`): every partner paid in the period (`PartnerBalance.paid` > 0,
  i.e. after the minimum payout, holds and carry-forward) gets one document, numbered in the
  order of the partners' ids. If anything fails, the commit fails with it: no period is
  committed without its documents, and no number is burnt.
- No document without what it must name (docs/credit-notes.md, "Who is issued a
  document"): a partner without a complete tax profile in force on the issue date
  (`network.actions.tax_profiles.profile_is_complete`) is not paid in the period: its amount
  is carried forward with the reason `tax_profile` (`payouts.balances.carry_unpaid`), and
  paid with the first document after the profile is complete. The merchant's own name and
  address (and VAT id, for reverse-charge documents) must be set, or the commit is refused.
- A document copies the partner's tax profile in force on the issue date and the
  merchant's details from the settings. Lines: one per bonus kind with an amount, one per
  adjustment of the period, one for amounts carried in from earlier periods; they add up to
  the amount paid, the net. A month closed over several partner programs (one close run
  each, docs/programs.md) has its bonus lines per program and kind, each naming its
  program ("Wellness: Level bonus"); the balance paid is over all of them.
- VAT (REGULAR only) is computed once per document from the net, half up to the currency's
  minor unit (`core.currency.to_decimal`); every other status has no VAT and a note.
- `cancel_credit_note` issues a cancellation (amounts negated, referencing the original,
  with the reason) and, unless told otherwise, a new document for the same period and
  partner with the profile in force now.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar.models import Period
from saleor_mlm.core.currency import to_decimal
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.installations.models import Installation
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.actions.tax_profiles import profile_is_complete
from saleor_mlm.network.fetch import tax_profiles_in_force
from saleor_mlm.network.models import Partner, TaxProfile
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.balances import carry_unpaid
from saleor_mlm.payouts.models import BalanceAdjustment, PartnerBalance
from saleor_mlm.periods.close_runs import close_runs
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program

from . import LineKind
from .document import DocumentKind, Party, PostalAddress
from .error_codes import CreditNoteErrorCode
from .models import CreditNote, CreditNoteSettings, VatRate, retention_end
from .numbers import credit_note_settings, next_number
from .texts import cancellation_reason, document_language, line_description, tax_note

HOME_COUNTRY = "DE"
HOME_VAT_RATE = Decimal("19")  # Germany's standard rate, unless the merchant sets another


def vat_rate_for(installation_id: int, country: str) -> Decimal:
    """The rate for REGULAR partners of `country`: the merchant's for that country, else
    Germany's (the merchant's, else 19 %)."""
    rates = dict(VatRate.objects.filter(installation_id=installation_id, country__in=[country, HOME_COUNTRY]).values_list("country", "rate"))
    return rates.get(country, rates.get(HOME_COUNTRY, HOME_VAT_RATE))


def vat_amount(net: Decimal, rate: Decimal, currency: str) -> Decimal:
    """VAT of a document: once, from its net, half up to the currency's minor unit."""
    return to_decimal(net * rate / 100, currency)


def issuer(settings: CreditNoteSettings) -> Party:
    return Party(
        name=settings.issuer_name,
        address=PostalAddress(
            street=settings.issuer_street, postal_code=settings.issuer_postal_code, city=settings.issuer_city, country=settings.issuer_country.code
        ),
        tax_number=settings.issuer_tax_number,
        vat_id=settings.issuer_vat_id,
        email=settings.issuer_email,
    )


# The statuses whose documents are reverse charge (EN 16931 category AE): they name the
# recipient's VAT id too (§14a Abs. 1 UStG, BR-AE-02).
REVERSE_CHARGE_STATUSES = (TaxStatus.REVERSE_CHARGE, TaxStatus.NON_EU)


def issuer_missing(settings: CreditNoteSettings, tax_statuses: set[str]) -> list[str]:
    """The merchant's details documents of `tax_statuses` would lack: every document names
    the recipient's name and full address (§14 Abs. 4 Nr. 1 UStG, BR-07, BR-10); a
    reverse-charge one also its VAT id."""
    needed = ["issuer_name", "issuer_street", "issuer_postal_code", "issuer_city"]
    if tax_statuses & set(REVERSE_CHARGE_STATUSES):
        needed.append("issuer_vat_id")
    missing = [name for name in needed if not getattr(settings, name).strip()]
    return missing if settings.issuer_country else [*missing, "issuer_country"]


def require_issuer(settings: CreditNoteSettings, tax_statuses: set[str]) -> None:
    missing = issuer_missing(settings, tax_statuses)
    if missing:
        raise DomainError(
            CreditNoteErrorCode.ISSUER_INCOMPLETE,
            _("The credit notes name your company: set %(fields)s in the credit note settings first.")
            % {"fields": ", ".join(issuer_field_name(name) for name in missing)},
            field="credit_note_settings",
        )


def issuer_field_name(name: str) -> str:
    return {
        "issuer_name": _("your name"),
        "issuer_street": _("your street"),
        "issuer_postal_code": _("your postal code"),
        "issuer_city": _("your city"),
        "issuer_country": _("your country"),
        "issuer_vat_id": _("your VAT id (reverse-charge credit notes name it)"),
    }[name]


def supplier(partner: Partner, profile: TaxProfile) -> tuple[Party, str]:
    """The partner as the document names it, and its tax status."""
    address = PostalAddress(street=profile.street, postal_code=profile.postal_code, city=profile.city, country=profile.country.code)
    party = Party(name=profile.legal_name, address=address, tax_number=profile.tax_number, vat_id=profile.vat_id, email=partner.email)
    return party, profile.tax_status


def _party_json(party: Party) -> dict:
    return asdict(party)


# A partner's results of the month: each with its program (None when the month has only
# the default program's run, whose lines name none).
ProgramResults = list[tuple[Program | None, PartnerPeriodResult]]


def _lines(balance: PartnerBalance, results: ProgramResults, adjustments: list[BalanceAdjustment], language: str, currency: str) -> list[dict]:
    lines: list[dict] = []
    for program, result in results:
        for kind in BONUS_KINDS:
            amount = getattr(result, f"{kind}_bonus")
            if amount:
                line = {"kind": kind, "description": line_description(kind, language, program=program), "net": to_decimal(amount, currency)}
                if program is not None:
                    line["program"] = program.code
                lines.append(line)
    for adjustment in adjustments:
        lines.append(
            {"kind": LineKind.ADJUSTMENT, "description": line_description(LineKind.ADJUSTMENT, language, adjustment.reason), "net": to_decimal(adjustment.amount, currency)}
        )
    if balance.carried_in:
        lines.append({"kind": LineKind.CARRIED_IN, "description": line_description(LineKind.CARRIED_IN, language), "net": to_decimal(balance.carried_in, currency)})
    total = sum((line["net"] for line in lines), Decimal(0))
    if total != to_decimal(balance.paid, currency):
        raise AssertionError(f"the lines of partner {balance.partner_id} add up to {total}, not to the {balance.paid} paid")
    return lines


def _json_lines(lines: list[dict]) -> list[dict]:
    return [{**line, "net": str(line["net"])} for line in lines]


def _new_note(
    settings: CreditNoteSettings,
    period: Period,
    partner: Partner,
    profile: TaxProfile,
    *,
    issue_date: datetime.date,
    currency: str,
    lines: list[dict],
    issued_by: str,
    kind: DocumentKind | None = None,
    cancels: CreditNote | None = None,
    reason: str = "",
) -> CreditNote:
    party, tax_status = supplier(partner, profile)
    language = document_language(partner.language)
    net = sum((line["net"] for line in lines), Decimal(0))
    rate = vat_rate_for(settings.installation_id, party.address.country) if tax_status == TaxStatus.REGULAR else Decimal(0)
    vat = vat_amount(net, rate, currency)
    if kind is None:
        kind = DocumentKind.STATEMENT if tax_status == TaxStatus.PRIVATE else DocumentKind.CREDIT_NOTE
    return CreditNote.objects.create(
        installation_id=settings.installation_id,
        period=period,
        partner=partner,
        kind=kind.value,
        **_numbered(settings, issue_date),
        issue_date=issue_date,
        language=language,
        currency=currency,
        tax_status=tax_status,
        vat_rate=rate,
        net=net,
        vat=vat,
        gross=net + vat,
        tax_note=tax_note(tax_status, language),
        supplier=_party_json(party),
        recipient=_party_json(issuer(settings)),
        partner_code=partner.referral_code,
        lines=_json_lines(lines),
        cancels=cancels,
        reason=reason,
        issued_by=issued_by,
        retain_until=retention_end(issue_date, settings.retention_years),
    )


def issue_for_period(period: Period, issued_by: str, *, issue_date: datetime.date | None = None) -> list[CreditNote]:
    """The documents of a committed period (see the module's rules). Call it inside the
    transaction that commits the period; returns them in number order."""
    issue_date = issue_date or timezone.localdate()
    settings = credit_note_settings(period.installation_id)
    run = period.close_run
    if run is None:  # approving needs a finished close run: a bug if it is gone
        raise ValueError(f"period {period.label} has no close run: nothing to issue from")
    currency = run.currency
    runs = close_runs(period.pk)  # every program's, all succeeded (approved)
    balances = list(PartnerBalance.objects.filter(period=period, paid__gt=0).order_by("partner_id"))
    profiles = tax_profiles_in_force([balance.partner_id for balance in balances], issue_date)
    unissuable = {balance.partner_id for balance in balances if not _issuable(profiles.get(balance.partner_id))}
    if unissuable:
        carry_unpaid(period, sorted(unissuable), BalanceReason.TAX_PROFILE)
        balances = [balance for balance in balances if balance.partner_id not in unissuable]
    if balances:
        require_issuer(settings, {profiles[balance.partner_id].tax_status for balance in balances})
    partner_ids = [balance.partner_id for balance in balances]
    partners = Partner.objects.in_bulk(partner_ids)
    results: dict[int, ProgramResults] = {}
    for close_run in runs:
        program = (close_run.program or default_program(period.installation_id)) if len(runs) > 1 else None
        for result in PartnerPeriodResult.objects.filter(run=close_run, partner_id__in=partner_ids):
            results.setdefault(result.partner_id, []).append((program, result))
    adjustments: dict[int, list[BalanceAdjustment]] = {}
    for adjustment in BalanceAdjustment.objects.filter(period=period, partner_id__in=partner_ids).order_by("created_at", "id"):
        adjustments.setdefault(adjustment.partner_id, []).append(adjustment)
    notes = []
    for balance in balances:
        partner = partners[balance.partner_id]
        lines = _lines(balance, results.get(partner.pk, []), adjustments.get(partner.pk, []), document_language(partner.language), currency)
        notes.append(
            _new_note(settings, period, partner, profiles[partner.pk], issue_date=issue_date, currency=currency, lines=lines, issued_by=issued_by)
        )
    return notes


def _issuable(profile: TaxProfile | None) -> bool:
    """A document can be issued from the profile: it names the partner fully (a PRIVATE
    partner's statement too: it is kept with the books)."""
    return profile is not None and profile_is_complete(profile)


def issue_on_commit(period: Period, committed_by: str) -> None:
    """The step `periods.actions.commit_period` runs (settings `PERIOD_COMMITTED_STEPS`):
    issue the documents, and render them once the commit is through (`tasks`)."""
    from .tasks import enqueue_rendering

    enqueue_rendering([note.pk for note in issue_for_period(period, committed_by)])


def cancel_credit_note(
    installation: Installation,
    note: CreditNote,
    *,
    reason: str,
    cancelled_by: str,
    reissue: bool = True,
    correction: list[dict] | None = None,
) -> tuple[CreditNote, CreditNote | None]:
    """A cancellation of `note` and, when `reissue`, a new document for the same period and
    partner with the profile in force today and the same lines, followed by the `correction`
    lines when given (each `{"kind", "description", "net"}`, e.g. the part of a payout that
    came back: `payout_runs.returns`). Returns both."""
    reason = required(reason, "reason", code=CreditNoteErrorCode.REASON_REQUIRED)
    cancelled_by = required(cancelled_by, "cancelled_by", code=CreditNoteErrorCode.REASON_REQUIRED)
    if note.installation_id != installation.pk:
        raise DomainError(CreditNoteErrorCode.WRONG_INSTALLATION, _("The credit note belongs to another shop."), field="id")
    with transaction.atomic():
        # Lock the original: two cancellations of one note queue here, the second sees the first.
        original = CreditNote.objects.select_for_update().get(pk=note.pk)
        if original.kind == DocumentKind.CANCELLATION:
            raise DomainError(CreditNoteErrorCode.NOT_CANCELLABLE, _("A cancellation cannot be cancelled: issue a new credit note instead."), field="id")
        if original.cancellations.exists():
            raise DomainError(CreditNoteErrorCode.ALREADY_CANCELLED, _("Credit note %(number)s is cancelled already.") % {"number": original.number}, field="id")
        settings = credit_note_settings(installation.pk)
        today = timezone.localdate()
        partner = original.partner
        lines = [{**line, "net": Decimal(line["net"])} for line in original.lines]
        cancellation = CreditNote.objects.create(
            installation_id=installation.pk,
            period_id=original.period_id,
            partner=partner,
            kind=DocumentKind.CANCELLATION.value,
            **_numbered(settings, today),
            issue_date=today,
            language=original.language,
            currency=original.currency,
            tax_status=original.tax_status,
            vat_rate=original.vat_rate,
            net=-original.net,
            vat=-original.vat,
            gross=-original.gross,
            tax_note=original.tax_note,
            supplier=original.supplier,
            recipient=original.recipient,
            partner_code=original.partner_code,
            lines=_json_lines([{**line, "net": -line["net"]} for line in lines]),
            cancels=original,
            reason=cancellation_reason(original.number, reason, original.language),
            issued_by=cancelled_by,
            retain_until=retention_end(today, settings.retention_years),
        )
        replacement = None
        if reissue:
            profile = tax_profiles_in_force([partner.pk], today).get(partner.pk)
            if profile is None or not _issuable(profile):
                raise DomainError(
                    CreditNoteErrorCode.TAX_PROFILE_INCOMPLETE,
                    _("The partner's tax profile is missing or incomplete: complete it before a new credit note is issued, or cancel without one."),
                    field="reissue",
                )
            require_issuer(settings, {profile.tax_status})
            corrected = lines + [{**line, "net": to_decimal(line["net"], original.currency)} for line in correction or []]
            replacement = _new_note(
                settings, original.period, partner, profile, issue_date=today, currency=original.currency, lines=corrected, issued_by=cancelled_by
            )
    return cancellation, replacement


def _numbered(settings: CreditNoteSettings, day: datetime.date) -> dict:
    number, sequence = next_number(settings, day.year)
    return {"number": number, "year": day.year, "sequence": sequence}

