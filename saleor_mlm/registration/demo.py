"""The demo's partner terms: online registration in the demo is open (docs/office.md)."""

from __future__ import annotations

from .models import PartnerTerms
from .terms import publish_terms

DEMO_TERMS = {
    "de": (
        "Partnerbedingungen der Demo-Firma (Beispieltext)\n\n"
        "1. Als Vertriebspartner empfehlen Sie die Produkte des Shops und werben neue Partner. "
        "Sie handeln als selbständiger Unternehmer oder als Privatperson mit Provisionsabrechnung.\n"
        "2. Ihre Provisionen richten sich nach dem jeweils gültigen Vergütungsplan; sie werden monatlich "
        "abgerechnet und per Gutschrift ausgezahlt.\n"
        "3. Ihr Steuerprofil halten Sie aktuell.\n"
        "4. Sie können die Partnerschaft jederzeit mit einer Frist von einem Monat kündigen."
    ),
    "en": (
        "Partner terms of the demo company (example text)\n\n"
        "1. As a sales partner you recommend the shop's products and recruit new partners, as an "
        "independent business or as a private person paid commissions.\n"
        "2. Your commissions follow the compensation plan in force; they are settled monthly and paid "
        "by credit note.\n"
        "3. You keep your tax profile up to date.\n"
        "4. You may end the partnership at any time with one month's notice."
    ),
}


def publish_demo_terms(installation, published_by: str) -> None:
    """The demo's terms as version 1, unless the installation has terms."""
    if not PartnerTerms.objects.filter(installation=installation).exists():
        publish_terms(installation.pk, DEMO_TERMS, published_by=published_by)
