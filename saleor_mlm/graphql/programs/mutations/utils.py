"""Cleaning shared by the programs' mutations."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saleor_mlm.programs.actions import VolumeSource
from saleor_mlm.programs.models import Program

from ...network.mutations.utils import enum_value, shop_object


def clean_program_id(info, value: str, field: str) -> Program:
    """The shop's program with the global id `value`, or a NOT_FOUND error on `field`."""
    return shop_object(info, Program, value, field, _("No program of this shop has this id."))


def clean_volume_source(value) -> VolumeSource | None:
    if value is None:
        return None
    return VolumeSource(
        products=enum_value(value.get("products")),
        product_type_ids=tuple(value.get("product_type_ids") or ()),
        category_ids=tuple(value.get("category_ids") or ()),
        collection_ids=tuple(value.get("collection_ids") or ()),
    )


# Domain fields -> input fields of the programs' mutations.
FIELD_MAP = {
    "products": "volumeSource",
    "product_type_ids": "volumeSource",
    "category_ids": "volumeSource",
    "collection_ids": "volumeSource",
    "pv_metadata_key": "pvMetadataKey",
    "bv_metadata_key": "bvMetadataKey",
    "program": "programId",
    "partner": "partnerId",
    "sponsor": "sponsorId",
    "care_partner": "carePartnerId",
    "care": "carePartnerId",
    "share": "share",
    "changed_by": None,
}
