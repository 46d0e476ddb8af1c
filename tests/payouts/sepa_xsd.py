"""Validating SEPA files against the EPC's pain.001.001.09 XSD.

`data/pain.001.001.09.xsd` is the European Payments Council's XML schema for customer-to-bank
SEPA credit transfers of the 2023 rulebook (EPC132-08, SCT C2PSP implementation guidelines,
V1.0), a restriction of ISO 20022's pain.001.001.09 (same namespace): euro only, amounts from
0.01 with two decimals, IBAN only, service level SEPA. Where it comes from and what was
verified of it: `data/PROVENANCE.md`. The app itself validates with the ISO 20022 XSD that
sepaxml ships.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from lxml import etree

XSD = Path(__file__).parent / "data" / "pain.001.001.09.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def validated(content: str) -> etree._Element:
    """The parsed document; AssertionError with the schema's messages when it is invalid."""
    document = etree.fromstring(content.encode("utf-8"))
    epc = schema()
    if not epc.validate(document):
        raise AssertionError("not valid against the EPC pain.001.001.09 XSD:\n" + "\n".join(str(e) for e in epc.error_log))
    return document


def text(document, path: str) -> str:
    return document.findtext(path, namespaces=NS)


def transactions(document) -> list[dict]:
    return [
        {
            "end_to_end_id": tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            "amount": Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)),
            "currency": tx.find("p:Amt/p:InstdAmt", namespaces=NS).get("Ccy"),
            "iban": tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            "name": tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
            "remittance": tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS),
        }
        for tx in document.iterfind(".//p:CdtTrfTxInf", namespaces=NS)
    ]
