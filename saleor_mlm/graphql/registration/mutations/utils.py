from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from saleor_mlm.registration.models import PartnerRegistration

from ...core.errors import ApiErrorCode
from ...core.types import decode_global_id


def clean_registration_id(info, value: str) -> PartnerRegistration:
    """The installation's registration with the global id `value`, or NOT_FOUND on `id`."""
    pk = decode_global_id(value or "", "PartnerRegistration")
    row = PartnerRegistration.objects.filter(installation=info.context.installation, pk=pk).first() if pk else None
    if row is None:
        raise ValidationError({"id": ValidationError(_("No registration of this shop has this id."), code=ApiErrorCode.NOT_FOUND)})
    return row
