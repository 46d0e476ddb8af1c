"""Whether Saleor still accepts an installation's app token.

Saleor answers 401 or 403 to a call with a token it no longer knows: the app was uninstalled,
or its token was revoked. `SaleorClient` reports such an answer here (`mark_disconnected`),
and the installation is *disconnected*: `/healthz` lists it, the dashboard says so, and
write-backs, voucher codes and order syncs fail until Saleor registers the app again
(`actions.install` clears the mark). Nothing else changes: webhooks Saleor still signs are
verified with the stored keys and processed as before.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext

from saleor_mlm.core.health import HealthCheckResult

from .models import Installation

logger = logging.getLogger(__name__)


def mark_disconnected(installation_id: int, status_code: int) -> bool:
    """Mark the installation disconnected (once: the first rejection's time is kept).
    Returns whether it was connected until now."""
    reason = f"Saleor answered HTTP {status_code} to the app token"
    marked = Installation.objects.filter(pk=installation_id, disconnected_at__isnull=True).update(
        disconnected_at=timezone.now(), disconnected_reason=reason
    )
    if marked:
        logger.warning("installation disconnected", extra={"installation": installation_id, "status": status_code})
    return bool(marked)


def connection_health() -> HealthCheckResult:
    """The `/healthz` check (registered in `InstallationsConfig.ready`): names the installations
    Saleor rejected. It stays healthy (200): the process serves every other shop, and taking
    it out of a load balancer would not bring the token back."""
    disconnected = list(
        Installation.objects.filter(disconnected_at__isnull=False)
        .order_by("pk")
        .values("saleor_api_url", "disconnected_at", "disconnected_reason")
    )
    if not disconnected:
        return HealthCheckResult("ok", True)
    summary = gettext("%(count)d disconnected (Saleor rejects the app token; install the app again)") % {"count": len(disconnected)}
    detail = {
        "disconnected": [
            {"saleor_api_url": row["saleor_api_url"], "since": row["disconnected_at"].isoformat(), "reason": row["disconnected_reason"]}
            for row in disconnected
        ]
    }
    return HealthCheckResult(summary, True, detail)
