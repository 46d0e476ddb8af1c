class PartnerStatus:
    ACTIVE = "active"  # may qualify and earn
    INACTIVE = "inactive"  # set by the company ("inaktiv gesetzt"): stays in place, never qualifies
    TERMINATED = "terminated"  # contract ended: stays in place, never qualifies

    CHOICES = [(ACTIVE, "Active"), (INACTIVE, "Inactive"), (TERMINATED, "Terminated")]


class TaxStatus:
    """How a partner's credit notes are taxed (docs/credit-notes.md; no tax advice)."""

    REGULAR = "regular"  # Regelbesteuerung: VAT at the merchant's rate for the partner's country
    SMALL_BUSINESS = "small_business"  # Kleinunternehmer, §19 UStG: no VAT, with the legal note
    REVERSE_CHARGE = "reverse_charge"  # entrepreneur in another EU state with a VAT id: the recipient owes the VAT
    NON_EU = "non_eu"  # entrepreneur outside the EU: no German VAT
    PRIVATE = "private"  # not an entrepreneur: a commission statement, not a VAT document

    CHOICES = [
        (REGULAR, "Regular VAT"),
        (SMALL_BUSINESS, "Small business (§19 UStG)"),
        (REVERSE_CHARGE, "EU reverse charge"),
        (NON_EU, "Outside the EU"),
        (PRIVATE, "Private person (no entrepreneur)"),
    ]


class AttributionSource:
    """How a customer came to its sponsor (first attribution sticks: customer protection)."""

    VOUCHER = "voucher"  # the order's voucher code is a partner's code
    REFERRAL_METADATA = "referral_metadata"  # order metadata `mlm_referral_code`
    CUSTOMER_METADATA = "customer_metadata"  # the Saleor customer's metadata
    MANUAL = "manual"  # assigned by the merchant (house customers)
    ENROLLMENT = "enrollment"  # recorded when the customer enrolled or was created with a sponsor
    NONE = "none"  # house customer: volume recorded, credited to nobody

    CHOICES = [
        (VOUCHER, "Voucher code"),
        (REFERRAL_METADATA, "Referral link"),
        (CUSTOMER_METADATA, "Customer metadata"),
        (MANUAL, "Assigned by the merchant"),
        (ENROLLMENT, "Enrollment"),
        (NONE, "House customer"),
    ]


class ChangeKind:
    SPONSOR = "sponsor"
    CARE = "care"
    STATUS = "status"
    SPLIT_AGREEMENT = "split_agreement"
    CREATED = "created"
    DETAILS = "details"  # name, e-mail, country, tax data ... (only the changed fields)
    TAX_PROFILE = "tax_profile"  # a new version of the tax profile, or its lock

    CHOICES = [
        (SPONSOR, "Sponsor changed"),
        (CARE, "Betreuer changed"),
        (STATUS, "Status changed"),
        (SPLIT_AGREEMENT, "Split agreement changed"),
        (CREATED, "Created"),
        (DETAILS, "Details changed"),
        (TAX_PROFILE, "Tax profile changed"),
    ]


class CareShareSource:
    """Where the effective share of a care assignment comes from (see docs/network.md)."""

    ASSIGNMENT = "assignment"  # the assignment names its own share
    SPLIT_AGREEMENT = "split_agreement"  # the recruiting partner's split agreement in force
    NONE = "none"  # neither: the recruiting side gives up nothing (share 0)


class ChangedBy:
    """`changed_by` values for changes nobody typed in; people are recorded by e-mail."""

    APP = "app"  # the app on a person's behalf without a known user (e.g. storefront enrollment)
    SYSTEM = "system"  # automatic rules (attribution of orders, migrations)


# Referral codes are read aloud, typed from paper and entered at checkout: no 0/O, 1/I/L.
REFERRAL_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERRAL_CODE_LENGTH = 8


def person_keys(saleor_user_id: str, email: str) -> set[str]:
    """What makes two orders or events the same person's: the Saleor user id, the e-mail
    (case-insensitive, as attribution compares it). Empty values say nothing."""
    keys = {f"user:{saleor_user_id}"} if saleor_user_id else set()
    return keys | ({f"email:{email.upper()}"} if email else set())
