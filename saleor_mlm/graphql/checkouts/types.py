"""The shop's catalogue as the office shows it, and a checkout made for a customer."""

from __future__ import annotations

import graphene
from django.conf import settings


class OfficeProductVariant(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's ProductVariant id.")
    name = graphene.String(required=True, description="The variant's name; empty for a product's only variant.")
    sku = graphene.String(required=True)
    price = graphene.Decimal(required=True, description="What a customer pays for one (gross), as Saleor shows it to a visitor of the channel.")
    currency = graphene.String(required=True)


class OfficeProduct(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's Product id.")
    name = graphene.String(required=True)
    variants = graphene.List(graphene.NonNull(OfficeProductVariant), required=True, description="Those priced in the channel.")


class OfficeCountry(graphene.ObjectType):
    code = graphene.String(required=True, description="ISO 3166-1 alpha-2.")
    name = graphene.String(required=True, description="In the request's language.")


class CustomerCheckout(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's Checkout id.")
    email = graphene.String(required=True, description="The customer's e-mail.")
    payment_url = graphene.String(required=True, description="The storefront's page where the customer pays this checkout.")
    total_gross = graphene.Decimal(required=True, description="The checkout's total as Saleor computed it, the voucher's discount included.")
    currency = graphene.String(required=True)
    voucher_code = graphene.String(description="The partner's voucher code, applied to the checkout; null when Saleor did not apply it.")
    referral_code = graphene.String(required=True, description="The partner's referral code, in the checkout's metadata.")

    @staticmethod
    def resolve_id(root, info):
        return root.checkout.id

    @staticmethod
    def resolve_total_gross(root, info):
        return root.checkout.total

    @staticmethod
    def resolve_currency(root, info):
        return root.checkout.currency

    @staticmethod
    def resolve_voucher_code(root, info):
        return root.checkout.voucher_code or None


class CustomerCheckoutSettings(graphene.ObjectType):
    channel = graphene.String(required=True, description="The Saleor channel (slug) of the catalogue, the prices and the checkouts.")
    payment_url = graphene.String(
        required=True,
        description="The storefront's page where a customer pays: {storefront} (STOREFRONT_URL), {id} (the checkout's id), {token}, {channel}.",
    )
    storefront_url = graphene.String(description="STOREFRONT_URL of the app's environment; null when unset.")

    @staticmethod
    def resolve_storefront_url(root, info):
        return getattr(settings, "STOREFRONT_URL", "") or None
