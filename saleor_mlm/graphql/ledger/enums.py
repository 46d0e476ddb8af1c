import graphene

from saleor_mlm.ledger import AttributionRule, EntryKind, ParkReason


def _enum(name: str, choices, description: str):
    return graphene.Enum(name, [(value.upper(), value) for value, _ in choices], description=description)


AttributionRuleEnum = _enum("AttributionRuleEnum", AttributionRule.CHOICES, "Which rule decided the node an order's volume is recorded on.")
LedgerEntryKindEnum = _enum("LedgerEntryKindEnum", EntryKind.CHOICES, "Why a ledger entry exists.")
ParkReasonEnum = _enum("ParkReasonEnum", ParkReason.CHOICES, "Why an order event could not be credited yet.")
