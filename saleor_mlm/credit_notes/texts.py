"""The words on a document, in its language (the partner's, when there is a catalog for it;
else English), from the gettext catalogs.

The notes say why no VAT is shown (docs/credit-notes.md explains each; no tax advice).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from saleor_mlm.network import TaxStatus
from saleor_mlm.periods.texts import bonus_name
from saleor_mlm.programs.texts import program_name

from . import LineKind

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def document_language(partner_language: str) -> str:
    """The partner's language when a catalog has it (`de-AT` is German), else English."""
    primary = (partner_language or "").lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else settings.LANGUAGE_CODE


def _tax_note(tax_status: str) -> str:
    return {
        TaxStatus.REGULAR: "",
        TaxStatus.SMALL_BUSINESS: _("No VAT is charged: the supplier is a small business under § 19 UStG."),
        TaxStatus.REVERSE_CHARGE: _(
            "Reverse charge: the recipient of the service is liable for the VAT (§ 13b UStG, Art. 196 of Directive 2006/112/EC)."
        ),
        TaxStatus.NON_EU: _(
            "No German VAT is charged: the supplier is established outside the EU; the recipient of the service is liable for the VAT (§ 13b UStG)."
        ),
        TaxStatus.PRIVATE: _(
            "Commission statement: not an invoice under the German VAT Act (UStG); according to your details you do not act as an entrepreneur."
        ),
    }[tax_status]


def tax_note(tax_status: str, language: str) -> str:
    with translation.override(language):
        return _tax_note(tax_status)


def _line_description(kind: str) -> str:
    if kind == LineKind.CARRIED_IN:
        return _("Carried forward from earlier periods")
    return bonus_name(kind)


def line_description(kind: str, language: str, reason: str = "", program=None) -> str:
    """The text of a line; an adjustment's is "Adjustment: <its reason>", a bonus of a
    month paid over several programs "<program>: <bonus>"."""
    with translation.override(language):
        if kind == LineKind.ADJUSTMENT:
            return _("Adjustment: %(reason)s") % {"reason": reason} if reason else _("Adjustment")
        if program is not None:
            return _("%(program)s: %(line)s") % {"program": program_name(program), "line": _line_description(kind)}
        return _line_description(kind)


def cancellation_reason(number: str, reason: str, language: str) -> str:
    with translation.override(language):
        return _("Cancels credit note %(number)s: %(reason)s") % {"number": number, "reason": reason}
