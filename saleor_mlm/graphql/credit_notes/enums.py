import graphene

from saleor_mlm.credit_notes import CreditNoteStatus
from saleor_mlm.credit_notes.document import DocumentKind

CreditNoteKindEnum = graphene.Enum(
    "CreditNoteKindEnum",
    [(kind.value, kind.value) for kind in DocumentKind],
    description="CREDIT_NOTE: a self-billed invoice (Gutschrift); STATEMENT: a commission statement for a partner who is "
    "not an entrepreneur; CANCELLATION: cancels an earlier document (Storno).",
)
CreditNoteStatusEnum = graphene.Enum(
    "CreditNoteStatusEnum",
    [(value.upper(), value) for value, _label in CreditNoteStatus.CHOICES],
    description="ISSUED: in force; CANCELLED: a cancellation references it.",
)
