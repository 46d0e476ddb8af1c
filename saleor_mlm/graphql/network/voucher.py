"""The partner voucher's settings in the API: the discount a partner's code gives and the
channels it works in (network/vouchers.py writes them to Saleor)."""

from __future__ import annotations

from decimal import Decimal

import graphene

from saleor_mlm.network.models import PartnerVoucher as PartnerVoucherModel


class PartnerVoucherSettings(graphene.ObjectType):
    discount_percent = graphene.Decimal(required=True, description="Off the entire order; 0: the code only tells whose customer ordered.")
    channel_slugs = graphene.List(graphene.NonNull(graphene.String), required=True, description="Saleor channels the codes work in; empty: every channel.")
    saleor_voucher_id = graphene.String(description="The voucher in Saleor; null until the first partner code created it.")
    synced = graphene.Boolean(required=True, description="Saleor has the settings (false until the background sync wrote a change).")

    @staticmethod
    def resolve_discount_percent(root, info):
        return Decimal(root.discount_percent).quantize(Decimal("0.001"))

    @staticmethod
    def resolve_saleor_voucher_id(root, info):
        return root.saleor_voucher_id or None

    @staticmethod
    def resolve_synced(root, info):
        return root.listed_at is not None


def resolve_partner_voucher(info) -> PartnerVoucherModel:
    """The settings as stored, or the defaults before the first partner code."""
    installation = info.context.installation
    return PartnerVoucherModel.objects.filter(installation=installation).first() or PartnerVoucherModel(installation=installation)
