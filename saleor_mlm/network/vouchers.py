"""Partner codes as Saleor voucher codes.

One voucher per installation ("Partner codes") holds every partner's code; a partner's
voucher code is its referral code, so one code works in a link and at checkout. The
voucher gives `PartnerVoucher.discount_percent` off the entire order, 0 by default: the
code then only tells us whose customer placed the order.

Saleor details this relies on (saleor/saleor, graphql/discount/mutations/voucher/):

- `voucherCreate(input: VoucherInput!)` and `voucherUpdate(id, input: VoucherInput!)`
  take `addCodes: [String!]`; a code that exists anywhere (any voucher or gift card) is
  refused with `ALREADY_EXISTS` and the code in `voucherCodes`.
- A voucher applies only in channels it is listed in:
  `voucherChannelListingUpdate(id, input: {addChannels: [{channelId, discountValue}]})`.
  A *new* listing refuses a discount value of 0 (`REQUIRED`, "Value is required for
  voucher"); updating an existing listing to 0 is accepted. So for a 0 % voucher we
  list with a token value (0.001 %) first and set 0 right after, in the same task.
- `voucherCreate` refuses a voucher without codes ("At least one of arguments is
  required: 'code', 'addCodes'", since Saleor 3.18; `code: ""` would make Saleor invent a
  random usable code). So the first partner code that needs the voucher creates it, with
  that code in `addCodes`; an unlisted voucher applies in no channel, so the code does
  nothing until the listing that follows at once. (Found against a real Saleor, see
  docs/real-saleor-check.md.)
- `channels { id slug }` is readable by any app (AUTHENTICATED_APP).
- Everything about vouchers needs the MANAGE_DISCOUNTS permission.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.saleor_client import SaleorClient, SaleorError, SaleorUnavailable

from .error_codes import NetworkErrorCode
from .models import Partner, PartnerVoucher

logger = logging.getLogger(__name__)

# The smallest percentage Saleor stores (3 decimals). A 0 % voucher carries it in a new
# channel only between two calls; on the first listing the voucher has no codes yet.
LISTING_PLACEHOLDER_PERCENT = Decimal("0.001")

ERRORS = "errors { field code message voucherCodes }"

VOUCHER_CREATE = f"""
mutation PartnerVoucherCreate($input: VoucherInput!) {{
  voucherCreate(input: $input) {{
    voucher {{ id }}
    {ERRORS}
  }}
}}
"""

VOUCHER_ADD_CODES = f"""
mutation PartnerVoucherAddCodes($id: ID!, $input: VoucherInput!) {{
  voucherUpdate(id: $id, input: $input) {{
    voucher {{ id }}
    {ERRORS}
  }}
}}
"""

VOUCHER_CHANNEL_LISTING_UPDATE = f"""
mutation PartnerVoucherChannels($id: ID!, $input: VoucherChannelListingInput!) {{
  voucherChannelListingUpdate(id: $id, input: $input) {{
    voucher {{ id }}
    {ERRORS}
  }}
}}
"""

CHANNELS = """
query PartnerVoucherChannelList {
  channels { id slug }
}
"""

VOUCHERS_WITH_CODE = """
query PartnerVoucherByCode($code: String!) {
  vouchers(first: 10, filter: {search: $code}) {
    edges { node { id } }
  }
}
"""


class VoucherMutationError(SaleorError):
    """Saleor refused a voucher mutation (`errors` of the payload)."""

    def __init__(self, mutation: str, errors: list[dict[str, Any]]):
        super().__init__(mutation, errors)
        self.mutation = mutation
        self.errors = errors

    def __str__(self) -> str:
        details = "; ".join(f"{e.get('field')}: {e.get('code')} {e.get('message')}" for e in self.errors)
        return f"{self.mutation} refused: {details}"


class VoucherCodeTaken(SaleorError):
    """The partner's code exists in Saleor on another voucher or gift card."""


class UnknownChannel(SaleorError):
    """A configured channel slug is not a channel of this Saleor."""


def write_back_enabled(installation) -> bool:
    return bool(settings.SALEOR_WRITE_BACK) and not installation.is_demo


def _mutate(client: SaleorClient, document: str, name: str, variables: dict) -> dict[str, Any]:
    payload = client.execute(document, variables).get(name) or {}
    if payload.get("errors"):
        raise VoucherMutationError(name, payload["errors"])
    return payload


def _percent(value: Decimal) -> str:
    # Saleor's PositiveDecimal takes a JSON number or a string; a string keeps it exact.
    return format(value.normalize(), "f")


def _list_channels(client: SaleorClient, voucher: PartnerVoucher) -> None:
    channels = {row["slug"]: row["id"] for row in client.execute(CHANNELS).get("channels") or []}
    wanted = list(voucher.channel_slugs) or sorted(channels)
    missing = [slug for slug in wanted if slug not in channels]
    if missing:
        raise UnknownChannel(f"no channel {', '.join(missing)} in {voucher.installation.saleor_api_url}")
    target = [channels[slug] for slug in wanted]
    new = [channel_id for channel_id in target if channel_id not in voucher.listed_channel_ids]
    gone = [channel_id for channel_id in voucher.listed_channel_ids if channel_id not in target]
    discount = voucher.discount_percent
    if discount == 0 and new:
        _mutate(
            client,
            VOUCHER_CHANNEL_LISTING_UPDATE,
            "voucherChannelListingUpdate",
            {
                "id": voucher.saleor_voucher_id,
                "input": {"addChannels": [{"channelId": c, "discountValue": _percent(LISTING_PLACEHOLDER_PERCENT)} for c in new]},
            },
        )
    listing: dict[str, Any] = {"addChannels": [{"channelId": c, "discountValue": _percent(discount)} for c in target]}
    if gone:
        listing["removeChannels"] = gone
    _mutate(client, VOUCHER_CHANNEL_LISTING_UPDATE, "voucherChannelListingUpdate", {"id": voucher.saleor_voucher_id, "input": listing})
    voucher.listed_channel_ids = target


def ensure_partner_voucher(installation, client: SaleorClient | None = None, *, first_code: str = "") -> PartnerVoucher | None:
    """The installation's partner voucher, created and listed in Saleor if need be.

    Saleor creates no voucher without a code: `first_code` is the code it is created
    with. Without one, a voucher that does not exist yet is not created (None is
    returned): the first partner code creates it.

    Each step is committed on its own so that a retry after a failure goes on where it
    stopped instead of creating a second voucher. The row lock keeps two workers from
    creating two vouchers at once.
    """
    client = client or SaleorClient.for_installation(installation)
    PartnerVoucher.objects.get_or_create(installation=installation)
    created_with_code = ""
    with transaction.atomic():
        voucher = PartnerVoucher.objects.select_for_update(of=("self",)).select_related("installation").get(installation=installation)
        if not voucher.saleor_voucher_id:
            if not first_code:
                return None
            payload = _mutate(
                client,
                VOUCHER_CREATE,
                "voucherCreate",
                {
                    "input": {
                        "name": voucher.name,
                        "type": "ENTIRE_ORDER",
                        "discountValueType": "PERCENTAGE",
                        "addCodes": [first_code],
                    }
                },
            )
            voucher.saleor_voucher_id = payload["voucher"]["id"]
            voucher.save(update_fields=["saleor_voucher_id", "updated_at"])
            created_with_code = first_code
            logger.info("partner voucher created", extra={"installation_id": installation.pk, "voucher_id": voucher.saleor_voucher_id})
    with transaction.atomic():
        voucher = PartnerVoucher.objects.select_for_update(of=("self",)).select_related("installation").get(installation=installation)
        if voucher.listed_at is None:
            _list_channels(client, voucher)
            voucher.listed_at = timezone.now()
            voucher.save(update_fields=["listed_channel_ids", "listed_at", "updated_at"])
    # Tells the caller whether its code is on the voucher already (not stored).
    voucher.created_with_code = created_with_code
    return voucher


def clean_discount_percent(value) -> Decimal:
    """0 to 100 with at most 3 decimals (Saleor stores percentages so)."""
    try:
        percent = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        percent = Decimal("NaN")
    if not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100) or percent != percent.quantize(LISTING_PLACEHOLDER_PERCENT):
        raise DomainError(NetworkErrorCode.INVALID, _("The discount is a percentage from 0 to 100 with at most 3 decimals."), field="discount_percent")
    return percent


def configure_partner_voucher(installation, *, discount_percent: Decimal | None = None, channel_slugs: list[str] | None = None) -> PartnerVoucher:
    """Change the discount or the channels; the next `ensure_partner_voucher` (run by
    `tasks.sync_partner_voucher_task`) writes them to Saleor."""
    voucher, _created = PartnerVoucher.objects.get_or_create(installation=installation)
    if discount_percent is not None:
        voucher.discount_percent = clean_discount_percent(discount_percent)
    if channel_slugs is not None:
        voucher.channel_slugs = [slug.strip() for slug in channel_slugs if slug.strip()]
    voucher.listed_at = None
    voucher.save()
    return voucher


def _code_is_on_voucher(client: SaleorClient, code: str, voucher_id: str) -> bool:
    edges = ((client.execute(VOUCHERS_WITH_CODE, {"code": code}).get("vouchers") or {}).get("edges")) or []
    return any(edge["node"]["id"] == voucher_id for edge in edges)


def issue_partner_voucher_code(partner: Partner, client: SaleorClient | None = None) -> str:
    """Give `partner` its voucher code (its referral code) and store it. Idempotent."""
    if partner.voucher_code:
        return partner.voucher_code
    code = partner.referral_code
    installation = partner.installation
    if write_back_enabled(installation):
        client = client or SaleorClient.for_installation(installation)
        try:
            voucher = ensure_partner_voucher(installation, client, first_code=code)
            if voucher.created_with_code != code:
                _mutate(client, VOUCHER_ADD_CODES, "voucherUpdate", {"id": voucher.saleor_voucher_id, "input": {"addCodes": [code]}})
        except VoucherMutationError as error:
            exists = any(e.get("code") == "ALREADY_EXISTS" and code in (e.get("voucherCodes") or []) for e in error.errors)
            voucher_id = PartnerVoucher.objects.filter(installation=installation).values_list("saleor_voucher_id", flat=True).first()
            # A retry after a lost answer finds the code on our voucher: that is success.
            if not (exists and voucher_id and _code_is_on_voucher(client, code, voucher_id)):
                if exists:
                    raise VoucherCodeTaken(f"the code {code} of partner {partner.pk} is used by another voucher or gift card") from error
                raise
    Partner.objects.filter(pk=partner.pk, voucher_code="").update(voucher_code=code, updated_at=timezone.now())
    partner.voucher_code = code
    return code


# --- partners without their code ------------------------------------------------------
# Every partner gets its code from the task its creation schedules after commit. When that
# task is lost (a worker died, a refusal fixed since, retries used up: issue 12 lost codes to
# "database is locked"), the partner shows as missing its code (API `voucherCodeMissing`,
# the dashboard's partner page) until the periodic sweep below gives it.

# Partners swept per run (each costs a call or two to Saleor); the sweep goes on from the
# last one in a task of its own while there are more.
SWEEP_BATCH_SIZE = 200
# A partner younger than this is probably still waiting for its own task.
SWEEP_MIN_AGE = datetime.timedelta(minutes=2)


def voucher_code_missing() -> Q:
    """The partners who should have a voucher code and have none. Every partner should: the
    code is stored even where nothing is written to Saleor (the demo, write-back off)."""
    return Q(voucher_code="")


def is_voucher_code_missing(partner: Partner) -> bool:
    """`voucher_code_missing` for one partner in memory."""
    return partner.voucher_code == ""


@dataclass
class VoucherCodeSweep:
    issued: int = 0
    failed: int = 0
    last_id: int = 0
    more: bool = False


def issue_missing_voucher_codes(
    *,
    installation_id: int | None = None,
    after_id: int = 0,
    limit: int | None = None,
    now: datetime.datetime | None = None,
) -> VoucherCodeSweep:
    """Give the partners missing their code (ids above `after_id`, older than
    `SWEEP_MIN_AGE`) their code, `limit` at most. A refusal by Saleor is logged and the
    partner stays missing (someone has to act: a code taken by another voucher, a revoked
    permission); an unreachable Saleor skips the rest of its installation until the next
    sweep. Database errors propagate: the task retries transient ones (core/transient.py).

    With `installation_id` only that installation's partners, of any age: a network
    import creates thousands of partners without a task each and sweeps them right after
    its commit (with write-back; without, it stores the codes as it writes the partners).
    """
    waiting = Partner.objects.filter(voucher_code_missing(), pk__gt=after_id)
    if installation_id is None:
        waiting = waiting.filter(created_at__lt=(now or timezone.now()) - SWEEP_MIN_AGE)
    else:
        waiting = waiting.filter(installation_id=installation_id)
    limit = limit or SWEEP_BATCH_SIZE
    partners = list(waiting.select_related("installation").order_by("pk")[:limit])
    clients: dict[int, SaleorClient] = {}  # one per installation and sweep
    sweep = VoucherCodeSweep(last_id=after_id, more=len(partners) == limit)
    unreachable: set[int] = set()
    for partner in partners:
        sweep.last_id = partner.pk
        if partner.installation_id in unreachable:
            sweep.failed += 1
            continue
        try:
            client = None
            if write_back_enabled(partner.installation):
                client = clients.get(partner.installation_id) or SaleorClient.for_installation(partner.installation)
                clients[partner.installation_id] = client
            issue_partner_voucher_code(partner, client)
        except SaleorError as error:
            sweep.failed += 1
            if isinstance(error, SaleorUnavailable):
                unreachable.add(partner.installation_id)
            logger.warning(
                "voucher code still missing", extra={"partner_id": partner.pk, "installation_id": partner.installation_id, "error": str(error)}
            )
        else:
            sweep.issued += 1
    if sweep.issued or sweep.failed:
        logger.info("voucher code sweep", extra={"issued": sweep.issued, "failed": sweep.failed, "last_id": sweep.last_id})
    return sweep
