import graphene

from .enums import ProductScopeEnum


class VolumeSourceInput(graphene.InputObjectType):
    products = graphene.Field(ProductScopeEnum, required=True, description="ALL, or LISTED: the lines of the listed products only.")
    product_type_ids = graphene.List(graphene.NonNull(graphene.ID), description="Saleor product type ids (LISTED).")
    category_ids = graphene.List(graphene.NonNull(graphene.ID), description="Saleor category ids (LISTED).")
    collection_ids = graphene.List(graphene.NonNull(graphene.ID), description="Saleor collection ids (LISTED).")


_KEY = "Product or variant metadata key of the program's {} per unit; empty: `mlm.<code>.{}`."


class ProgramInput(graphene.InputObjectType):
    code = graphene.String(description="Unique in the shop: lower-case letters, digits, hyphens (up to 32).")
    name = graphene.String()
    volume_source = graphene.Field(VolumeSourceInput, description="Which order lines count in the program (credited from now on).")
    pv_metadata_key = graphene.String(description=_KEY.format("PV", "pv"))
    bv_metadata_key = graphene.String(description=_KEY.format("BV", "bv"))
