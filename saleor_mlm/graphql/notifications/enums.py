import graphene

from saleor_mlm.notifications import NotificationKind

NotificationKindEnum = graphene.Enum(
    "NotificationKindEnum",
    [(value.upper(), value) for value, _label in NotificationKind.CHOICES],
    description="NEW_PARTNER: a partner joined the first level; NEW_CUSTOMER: a customer was attributed; RANK_REACHED: a committed month "
    "raised the career rank; STATEMENT_READY: a month was committed (statement and credit note); PAYOUT_SENT: a payout was paid; "
    "PAYOUT_RETURNED: a payout failed or came back.",
)
