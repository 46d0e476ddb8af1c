import graphene
from django.core.exceptions import ValidationError

from saleor_mlm.credit_notes.issue import cancel_credit_note
from saleor_mlm.credit_notes.models import CreditNote as CreditNoteModel
from saleor_mlm.credit_notes.tasks import enqueue_rendering

from ...core.errors import ApiErrorCode
from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...core.types import decode_global_id
from ..errors import CreditNoteError
from ..types import CreditNote


def clean_credit_note_id(info, value: str) -> CreditNoteModel:
    pk = decode_global_id(value or "", "CreditNote")
    note = CreditNoteModel.objects.filter(installation=info.context.installation, pk=pk).first() if pk else None
    if note is None:
        raise ValidationError({"id": ValidationError("No credit note of this shop has this id.", code=ApiErrorCode.NOT_FOUND)})
    return note


class CreditNoteCancel(BaseMutation):
    cancellation = graphene.Field(CreditNote, description="The cancellation (Storno) referencing the credit note.")
    replacement = graphene.Field(CreditNote, description="The new credit note, unless `reissue` was false.")

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="Printed on the cancellation.")
        reissue = graphene.Boolean(default_value=True, description="Issue a new document with the tax profile in force today.")

    class Meta:
        error_type_class = CreditNoteError
        description = "Cancel a credit note (it never changes): a cancellation referencing it, then a new credit note."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"cancelled_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id, reason, reissue=True):
        note = clean_credit_note_id(info, id)
        cancellation, replacement = cancel_credit_note(
            info.context.installation, note, reason=reason, cancelled_by=info.context.requestor.label, reissue=reissue
        )
        enqueue_rendering([doc.pk for doc in (cancellation, replacement) if doc is not None])
        return cls.success(cancellation=cancellation, replacement=replacement)
