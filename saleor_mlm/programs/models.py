"""Programs of an installation. The default program holds what the installation had
before programs existed: its membership is the partner table, its volume the ledger
entries without a program (docs/adr/0007-partner-programs.md)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from . import ProductScope

CODE = RegexValidator(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$", "Lower-case letters, digits and hyphens, up to 32.")
KEY_MAX_LENGTH = 64  # as the installation's keys (`ledger.VolumeSettings`)


class Program(models.Model):
    """A partner program: a name, a code and the products whose lines count in it.

    `product_type_ids`, `category_ids` and `collection_ids` are Saleor ids; with
    `products` LISTED a line counts when its product has one of the types, one of the
    categories or is in one of the collections. The program's PV/BV metadata keys are its
    own (`pv_metadata_key`) or named by its code (`mlm.<code>.pv`); a line without them
    falls back to the installation's keys.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="programs")
    code = models.CharField(max_length=32, validators=[CODE])
    name = models.CharField(max_length=255)
    is_default = models.BooleanField(default=False)
    products = models.CharField(max_length=16, choices=ProductScope.CHOICES, default=ProductScope.ALL)
    product_type_ids = models.JSONField(default=list, blank=True)
    category_ids = models.JSONField(default=list, blank=True)
    collection_ids = models.JSONField(default=list, blank=True)
    # The program's own PV/BV metadata keys; blank: the ones its code names (`mlm.<code>.pv`).
    pv_metadata_key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    bv_metadata_key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    created_by = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["installation_id", "-is_default", "code"]
        constraints = [
            models.UniqueConstraint(fields=["installation", "code"], name="uniq_program_code"),
            models.UniqueConstraint(fields=["installation"], condition=models.Q(is_default=True), name="uniq_default_program"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def takes(self, product_type_id: str, category_id: str, collection_ids) -> bool:
        """Whether an order line of a product with this type, category and collections
        counts in the program."""
        if self.products == ProductScope.ALL:
            return True
        return (
            bool(product_type_id and product_type_id in self.product_type_ids)
            or bool(category_id and category_id in self.category_ids)
            or any(collection in self.collection_ids for collection in collection_ids)
        )

    def metadata_key(self, fallback: str) -> str:
        """The program's key for a value whose installation-wide key is `fallback`:
        `mlm.pv` -> `mlm.<code>.pv`."""
        head, _, tail = fallback.rpartition(".")
        return f"{head}.{self.code}.{tail}" if head else f"{self.code}.{fallback}"

    def pv_key(self, installation_key: str) -> str:
        """The key of the program's PV per unit (the installation's is `installation_key`)."""
        return self.pv_metadata_key or self.metadata_key(installation_key)

    def bv_key(self, installation_key: str) -> str:
        return self.bv_metadata_key or self.metadata_key(installation_key)
