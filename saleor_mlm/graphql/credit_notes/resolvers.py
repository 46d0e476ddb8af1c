from __future__ import annotations

from saleor_mlm.credit_notes.links import period_zip_link
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.credit_notes.numbers import credit_note_settings
from saleor_mlm.credit_notes.tasks import rendering_progress

from ..core.connection import paginate
from ..core.types import decode_id_argument
from ..network.visibility import viewer_partner
from ..periods.dataloaders import parse_period_argument
from .filters import filter_credit_notes, search_credit_notes
from .types import CreditNoteCountableConnection, absolute

SORT = ["-year", "-sequence"]


def resolve_credit_notes(info, filter=None, search=None, **page):
    installation = info.context.installation
    notes = search_credit_notes(filter_credit_notes(CreditNote.objects.filter(installation=installation), filter), installation.pk, search)
    return paginate(notes, CreditNoteCountableConnection, sort_by=SORT, **page)


def resolve_credit_note(info, id):
    pk = decode_id_argument(id, "CreditNote", "id")
    return CreditNote.objects.filter(installation=info.context.installation, pk=pk).first()


def resolve_my_credit_notes(info, **page):
    partner = viewer_partner(info.context)
    notes = CreditNote.objects.filter(partner=partner) if partner is not None else CreditNote.objects.none()
    return paginate(notes, CreditNoteCountableConnection, sort_by=SORT, **page)


def resolve_credit_note_settings(info):
    return credit_note_settings(info.context.installation.pk)


def resolve_period_credit_notes(info, period):
    found, _ = parse_period_argument(info, period)
    if found is None:
        return None
    issued, rendered = rendering_progress(found.pk)
    zip_url = absolute(info, period_zip_link(found.installation_id, found.pk)) if rendered else None
    return {"period": found, "issued": issued, "rendered": rendered, "zip_url": zip_url}
