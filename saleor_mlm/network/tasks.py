"""Celery tasks of the network: Saleor voucher codes for partners.

Tasks take ids and are safe to run twice: a partner with a voucher code is skipped, and
a code found on our voucher after a lost answer counts as created.
"""

import logging

from celery import shared_task

from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorUnavailable

from .models import Partner
from .vouchers import ensure_partner_voucher, issue_partner_voucher_code, issue_voucher_codes, write_back_enabled

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


# Partners per run of `issue_voucher_codes_task`: one Saleor call each when writing back,
# so a run stays within a minute or two; it then schedules the next.
VOUCHER_CODE_BATCH = 500


@shared_task(**RETRY)
def issue_voucher_codes_task(installation_id: int, after_id: int = 0) -> None:
    """Voucher codes for every partner without one, a batch at a time (after imports)."""
    installation = Installation.objects.filter(pk=installation_id).first()
    if installation is None:
        return
    last = issue_voucher_codes(installation, after_id=after_id, limit=VOUCHER_CODE_BATCH)
    if last is not None:
        issue_voucher_codes_task.delay(installation_id, last)
