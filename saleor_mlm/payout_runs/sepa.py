"""The SEPA credit transfer file (pain.001.001.09) of a run's SEPA items, built with sepaxml.

One payment information block with batch booking (the bank books one debit for the file),
the merchant's account from the payout settings as debtor, one transaction per item with the
credit note's number as end-to-end id and as remittance text. sepaxml computes the group
header's count and control sum and validates the document against the ISO 20022 XSD it
ships (`export(validate=True)`); a file that does not validate is never stored or offered.
The tests also validate every file against the EPC's pain.001.001.09 XSD for customer-to-bank
SEPA credit transfers (tests/payouts/data/).

Amounts go to sepaxml as integer cents; only euro is accepted (the caller refuses others).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from sepaxml import SepaTransfer

from saleor_mlm.payouts.balances import to_units

SCHEMA = "pain.001.001.09"
CENTS = 2


@dataclass(frozen=True)
class Debtor:
    name: str
    iban: str
    bic: str


@dataclass(frozen=True)
class Transfer:
    name: str  # the account holder
    iban: str
    bic: str
    amount: Decimal  # euro, 2 decimals
    end_to_end_id: str  # the credit note's number
    description: str  # remittance information, at most 140 characters


@dataclass(frozen=True)
class BuiltFile:
    message_id: str
    content: str
    sha256: str
    transaction_count: int
    control_sum: Decimal


def build_file(debtor: Debtor, transfers: list[Transfer], execution_date: datetime.date) -> BuiltFile:
    """The validated XML; raises when sepaxml's XSD validation fails."""
    config = {"name": debtor.name, "IBAN": debtor.iban, "currency": "EUR", "batch": True}
    if debtor.bic:
        config["BIC"] = debtor.bic
    document = SepaTransfer(config, schema=SCHEMA, clean=True)
    for transfer in transfers:
        payment = {
            "name": transfer.name,
            "IBAN": transfer.iban,
            "amount": to_units(transfer.amount, CENTS),
            "execution_date": execution_date,
            "description": transfer.description,
            "endtoend_id": transfer.end_to_end_id,
        }
        if transfer.bic:
            payment["BIC"] = transfer.bic
        document.add_payment(payment)
    content = document.export(validate=True).decode("utf-8")
    return BuiltFile(
        message_id=document.msg_id,
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        transaction_count=len(transfers),
        control_sum=sum((transfer.amount for transfer in transfers), Decimal(0)),
    )
