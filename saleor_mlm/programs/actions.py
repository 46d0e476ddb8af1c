"""Creating and changing programs (docs/programs.md): name, code, volume source, keys.

- The code is lower-case letters, digits and hyphens (`models.CODE`), unique in the shop;
  it names the program's metadata keys unless the program has keys of its own.
- The volume source is all products, or the listed Saleor product types, categories and
  collections (at least one id). The default program takes every order line, as it always
  did (docs/adr/0007-partner-programs.md): its source cannot be changed.
- A change applies to the orders credited from then on; what was credited stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from . import ProductScope
from .error_codes import ProgramErrorCode
from .fetch import default_program
from .models import CODE, KEY_MAX_LENGTH, Program


@dataclass(frozen=True)
class VolumeSource:
    products: str = ProductScope.ALL
    product_type_ids: tuple[str, ...] = ()
    category_ids: tuple[str, ...] = ()
    collection_ids: tuple[str, ...] = ()


def _clean_code(installation_id: int, code: str, program: Program | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise DomainError(ProgramErrorCode.REQUIRED, _("A program needs a code."), field="code")
    try:
        CODE(code)
    except ValidationError:
        raise DomainError(ProgramErrorCode.INVALID, _("A code is lower-case letters, digits and hyphens, up to 32."), field="code") from None
    taken = Program.objects.filter(installation_id=installation_id, code=code)
    if program is not None:
        taken = taken.exclude(pk=program.pk)
    if taken.exists():
        raise DomainError(ProgramErrorCode.DUPLICATE_CODE, _("Another program has the code %(code)s.") % {"code": code}, field="code")
    return code


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(ProgramErrorCode.REQUIRED, _("A program needs a name."), field="name")
    return name


def _clean_ids(ids, field: str) -> list[str]:
    cleaned = []
    for value in ids or ():
        value = str(value).strip()
        if not value:
            raise DomainError(ProgramErrorCode.INVALID, _("An id must not be empty."), field=field)
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def _clean_source(source: VolumeSource) -> dict:
    if source.products not in (ProductScope.ALL, ProductScope.LISTED):
        raise DomainError(ProgramErrorCode.INVALID, _("Products are all or listed."), field="products")
    if source.products == ProductScope.ALL:
        return {"products": ProductScope.ALL, "product_type_ids": [], "category_ids": [], "collection_ids": []}
    ids = {
        "product_type_ids": _clean_ids(source.product_type_ids, "product_type_ids"),
        "category_ids": _clean_ids(source.category_ids, "category_ids"),
        "collection_ids": _clean_ids(source.collection_ids, "collection_ids"),
    }
    if not any(ids.values()):
        raise DomainError(
            ProgramErrorCode.REQUIRED, _("Listed products need at least one product type, category or collection."), field="products"
        )
    return {"products": ProductScope.LISTED, **ids}


def _clean_key(key: str | None, field: str) -> str:
    """A metadata key of the program's own, or "" for the one its code names."""
    key = (key or "").strip()
    if len(key) > KEY_MAX_LENGTH or any(character.isspace() for character in key):
        raise DomainError(
            ProgramErrorCode.INVALID, _("A metadata key has no spaces and at most %(count)d characters.") % {"count": KEY_MAX_LENGTH}, field=field
        )
    return key


def create_program(
    installation_id: int,
    *,
    code: str,
    name: str,
    source: VolumeSource,
    pv_metadata_key: str = "",
    bv_metadata_key: str = "",
    created_by: str = "",
) -> Program:
    """A new program of the shop, without members or plan versions yet."""
    default_program(installation_id)  # it holds its code (`main`) from the start
    with transaction.atomic():
        return Program.objects.create(
            installation_id=installation_id,
            code=_clean_code(installation_id, code),
            name=_clean_name(name),
            **_clean_source(source),
            pv_metadata_key=_clean_key(pv_metadata_key, "pv_metadata_key"),
            bv_metadata_key=_clean_key(bv_metadata_key, "bv_metadata_key"),
            created_by=(created_by or "")[:255],
        )


def update_program(
    program: Program,
    *,
    code: str | None = None,
    name: str | None = None,
    source: VolumeSource | None = None,
    pv_metadata_key: str | None = None,
    bv_metadata_key: str | None = None,
) -> Program:
    """Change what is given; what is left out (None) stays."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        if code is not None:
            program.code = _clean_code(program.installation_id, code, program)
        if name is not None:
            program.name = _clean_name(name)
        if source is not None:
            if program.is_default:
                raise DomainError(
                    ProgramErrorCode.DEFAULT_PROGRAM, _("The default program takes every order line: its volume source stays."), field="products"
                )
            for field, value in _clean_source(source).items():
                setattr(program, field, value)
        if pv_metadata_key is not None:
            program.pv_metadata_key = _clean_key(pv_metadata_key, "pv_metadata_key")
        if bv_metadata_key is not None:
            program.bv_metadata_key = _clean_key(bv_metadata_key, "bv_metadata_key")
        program.save()
    return program
