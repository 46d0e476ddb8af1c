class EntryKind:
    """Why a ledger entry exists. Signs: `order` is positive, `refund` and
    `cancellation` are negative, `adjustment` is either."""

    ORDER = "order"  # a paid order's volume (ORDER_FULLY_PAID)
    REFUND = "refund"  # a share taken back (ORDER_REFUNDED, ORDER_FULLY_REFUNDED)
    CANCELLATION = "cancellation"  # what remained, taken back (ORDER_CANCELLED)
    ADJUSTMENT = "adjustment"  # a manual correction with a reason and an approver

    CHOICES = [
        (ORDER, "Order"),
        (REFUND, "Refund"),
        (CANCELLATION, "Cancellation"),
        (ADJUSTMENT, "Adjustment"),
    ]


class AttributionRule:
    """Which rule decided the node an order's volume is recorded on (first match wins)."""

    PARTNER_USER = "partner_user"  # the buyer's Saleor user id is a partner's
    PARTNER_EMAIL = "partner_email"  # the order's e-mail is a partner's
    KNOWN_CUSTOMER = "known_customer"  # a customer with a sponsor: stays (Kundenschutz)
    VOUCHER = "voucher"  # new customer: the order's voucher code is a partner's code
    REFERRAL_METADATA = "referral_metadata"  # new customer: order metadata `mlm_referral_code`
    CUSTOMER_METADATA = "customer_metadata"  # new customer: the Saleor user's metadata
    HOUSE = "house"  # nobody: a house customer, listed for the merchant to assign

    CHOICES = [
        (PARTNER_USER, "Partner (Saleor user)"),
        (PARTNER_EMAIL, "Partner (e-mail)"),
        (KNOWN_CUSTOMER, "Known customer"),
        (VOUCHER, "Voucher code"),
        (REFERRAL_METADATA, "Referral link"),
        (CUSTOMER_METADATA, "Customer metadata"),
        (HOUSE, "House customer"),
    ]


class ParkReason:
    """Why an order event could not be credited yet. Nothing parked is lost: parked
    events are retried when what they wait for arrives."""

    NO_EXCHANGE_RATE = "no_exchange_rate"  # retried after `saleor-mlm rates import`
    INVALID_METADATA = "invalid_metadata"  # mlm.pv / mlm.bv is not a decimal; fix and retry
    AWAITING_PAYMENT = "awaiting_payment"  # a refund or cancel before the paid event

    CHOICES = [
        (NO_EXCHANGE_RATE, "No exchange rate"),
        (INVALID_METADATA, "Invalid volume metadata"),
        (AWAITING_PAYMENT, "Refund before payment"),
    ]


class LineVolumeSource:
    """Where a line's PV or BV came from (kept in the attribution snapshot)."""

    VARIANT = "variant"  # variant metadata, per unit x quantity
    PRODUCT = "product"  # product metadata, per unit x quantity
    PRICE = "price"  # BV: net line total in the plan currency; PV: BV x pv_per_bv


# The largest PV or BV (absolute value) one ledger entry may carry: order lines and their
# sum on an order. The ledger's columns hold 16 digits before the point (models.VOLUME);
# one digit less leaves room for sums of entries. A value from product metadata beyond it
# parks the order (`volume.VolumeError`), never a failure.
MAX_ENTRY_VOLUME = 10**15
