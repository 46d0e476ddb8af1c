"""Celery tasks of the network: Saleor voucher codes for partners.

Tasks take ids and are safe to run twice: a partner with a voucher code is skipped, and
a code found on our voucher after a lost answer counts as created. Transient database
errors are retried by the app's task class (core/transient.py); the sweep gives the codes
that were lost all the same (settings.CELERY_BEAT_SCHEDULE).
"""

import logging
from dataclasses import asdict

from celery import shared_task

from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorUnavailable

from .models import Partner
from .vouchers import ensure_partner_voucher, issue_missing_voucher_codes, issue_partner_voucher_code, write_back_enabled

logger = logging.getLogger(__name__)


# Only an unreachable Saleor is worth another try; a refusal (permissions, a taken code)
# stays a refusal until someone acts, and is logged by Celery as a failure.
RETRY = {
    "autoretry_for": (SaleorUnavailable,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def create_partner_voucher_code_task(partner_id: int) -> str | None:
    partner = Partner.objects.select_related("installation").filter(pk=partner_id).first()
    if partner is None:
        logger.warning("voucher code for a partner that does not exist", extra={"partner_id": partner_id})
        return None
    return issue_partner_voucher_code(partner)


@shared_task(**RETRY)
def sync_partner_voucher_task(installation_id: int) -> None:
    """Write changed discount or channels of the partner voucher to Saleor."""
    installation = Installation.objects.filter(pk=installation_id).first()
    if installation is None or not write_back_enabled(installation):
        return
    ensure_partner_voucher(installation)


@shared_task(name="network.issue_missing_voucher_codes")
def issue_missing_voucher_codes_task(after_id: int = 0, installation_id: int | None = None) -> dict:
    """Periodic sweep: partners without their voucher code get it (vouchers.py). A full
    batch goes on from its last partner in a task of its own. With `installation_id`
    (after a network import) that installation's partners, however new."""
    sweep = issue_missing_voucher_codes(installation_id=installation_id, after_id=after_id)
    if sweep.more:
        issue_missing_voucher_codes_task.delay(sweep.last_id, installation_id)
    return asdict(sweep)
