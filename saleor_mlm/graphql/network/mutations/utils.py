"""Cleaning shared by the network's mutations: ids of the installation's nodes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from saleor_mlm.network.models import Customer, Partner

from ...auth import RequestorKind
from ...core.errors import ApiErrorCode
from ...core.permissions import InstallationRequired, PermissionDenied
from ...core.types import decode_global_id


def shop_object(info, model, value: str, field: str, missing: str):
    """The installation's `model` row with the global id `value` (of the type named like
    the model), or a NOT_FOUND error on `field` saying `missing`."""
    pk = decode_global_id(value or "", model.__name__)
    found = model.objects.filter(installation=info.context.installation, pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({field: ValidationError(missing, code=ApiErrorCode.NOT_FOUND)})
    return found


def clean_partner_id(info, value: str, field: str) -> Partner:
    """The installation's partner with the global id `value`, or a NOT_FOUND error on `field`."""
    return shop_object(info, Partner, value, field, _("No partner of this shop has this id."))


def clean_customer_id(info, value: str, field: str) -> Customer:
    return shop_object(info, Customer, value, field, _("No customer of this shop has this id."))


def clean_node(info, partner_id: str | None, customer_id: str | None) -> Partner | Customer:
    """The node a care mutation is about: a partner or a customer, exactly one."""
    if bool(partner_id) == bool(customer_id):
        raise ValidationError(
            {"partnerId": ValidationError(_("Give either `partnerId` or `customerId`."), code=ApiErrorCode.INVALID)}
        )
    if partner_id:
        return clean_partner_id(info, partner_id, "partnerId")
    return clean_customer_id(info, customer_id or "", "customerId")


def require_shop_account(context, message: str) -> None:
    """Only a storefront user signed in with its shop account (a Saleor access token) of a
    known shop: enrolling and registering as a partner (`message`: what to do otherwise)."""
    requestor = context.requestor
    if requestor.kind != RequestorKind.STOREFRONT_USER or not requestor.user_id:
        raise PermissionDenied(message)
    if context.installation is None:
        raise InstallationRequired()


def enum_value(value):
    """graphene passes enum arguments as enum members; the domain takes their values."""
    return getattr(value, "value", value)
