"""The statements' summary as CSV: as text in the API, or as a download link.

A link carries its own credential: the installation and period signed with the app's
secret key and a time stamp (`django.core.signing`), valid for
`GRAPHQL_EXPORT_LINK_SECONDS` (15 minutes by default). Browsers download it without the
Dashboard's token; whoever holds the link within that time may download that one file,
so the API hands links only to requestors with MANAGE_ORDERS. The file is written to a
temporary file first (a million partners are about 150 MB) and streamed from there.
"""

from __future__ import annotations

import io
import tempfile

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404
from django.urls import reverse

from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.core.logging import secret_in_path
from saleor_mlm.statements.exports import write_statements_csv

SALT = "saleor-mlm.graphql.statements-csv"


def link_seconds() -> int:
    return int(getattr(settings, "GRAPHQL_EXPORT_LINK_SECONDS", 15 * 60))


def statements_csv_text(period: Period) -> str | None:
    """The CSV text of the period's standing run; None while it has no figures."""
    handle = io.StringIO()
    try:
        write_statements_csv(period.installation, period, handle)
    except DomainError:
        return None
    return handle.getvalue()


def statements_csv_url(info, period: Period) -> str:
    token = signing.dumps({"installation": period.installation_id, "period": period.pk}, salt=SALT, compress=True)
    path = reverse("graphql-statements-csv", kwargs={"token": token})
    request = info.context.request
    return request.build_absolute_uri(path) if request is not None else path


# The token is the credential: logs show the route, never the token (core/logging.py).
@secret_in_path
def statements_csv_view(request, token: str):
    try:
        data = signing.loads(token, salt=SALT, max_age=link_seconds())
    except signing.BadSignature:  # also SignatureExpired
        raise Http404("The link is unknown or has expired; ask the API for a new one.") from None
    period = Period.objects.select_related("installation").filter(pk=data.get("period"), installation_id=data.get("installation")).first()
    if period is None:
        raise Http404("No such period.")
    raw = tempfile.TemporaryFile()
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    try:
        write_statements_csv(period.installation, period, text)
    except DomainError as error:
        text.close()
        raise Http404(str(error)) from None
    text.flush()
    text.detach()
    raw.seek(0)
    filename = f"statements-{period.label}.csv"
    return FileResponse(raw, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8")
