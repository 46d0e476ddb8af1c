"""Error codes of the network domain.

Network actions refuse a change with `core.errors.DomainError(NetworkErrorCode.X, ...)`;
the GraphQL layer exposes the codes as the `NetworkErrorCode` enum of the network's
mutation errors.
"""

from enum import StrEnum


class NetworkErrorCode(StrEnum):
    ALREADY_MEMBER = "ALREADY_MEMBER"  # the partner is a member of the program already
    ALREADY_PARTNER = "ALREADY_PARTNER"  # the Saleor user (or customer) is a partner already
    CARE_IS_SPONSOR = "CARE_IS_SPONSOR"  # the Betreuer would be the node's own sponsor
    CUSTOMER_PROTECTED = "CUSTOMER_PROTECTED"  # the customer belongs to another sponsor already
    CYCLE = "CYCLE"  # the new sponsor or care edge would close a cycle
    DUPLICATE_REFERRAL_CODE = "DUPLICATE_REFERRAL_CODE"
    HAS_MEMBERS = "HAS_MEMBERS"  # members of the program are below the partner leaving it
    INVALID = "INVALID"  # a malformed value (e-mail, country, currency, dates ...)
    INVALID_REFERRAL_CODE = "INVALID_REFERRAL_CODE"  # not a well-formed code
    INVALID_SHARE = "INVALID_SHARE"  # a share outside [0, 1] or with more than 4 decimals
    NOT_A_MEMBER = "NOT_A_MEMBER"  # the partner (or sponsor) is no member of the program
    NO_SPLIT_AGREEMENT = "NO_SPLIT_AGREEMENT"  # no share given and no agreement in force
    OVERLAPPING_AGREEMENT = "OVERLAPPING_AGREEMENT"  # a split agreement starts inside the new one
    OVERLAPPING_ASSIGNMENT = "OVERLAPPING_ASSIGNMENT"  # a care assignment would start in the past of another
    REQUIRED = "REQUIRED"  # a value the change needs is missing (tax profile: name, address ...)
    TAX_ID_REQUIRED = "TAX_ID_REQUIRED"  # a credit note needs the partner's tax number or VAT id
    TAX_PROFILE_LOCKED = "TAX_PROFILE_LOCKED"  # checked and locked by the merchant: only the merchant changes it
    TAX_STATUS_COUNTRY = "TAX_STATUS_COUNTRY"  # the tax status does not fit the country (reverse charge outside the EU ...)
    REASON_REQUIRED = "REASON_REQUIRED"  # sponsor changes and terminations need a reason
    SELF_CARE = "SELF_CARE"  # a partner cannot be its own Betreuer
    SPONSOR_NOT_ACTIVE = "SPONSOR_NOT_ACTIVE"  # storefront enrollment needs an active sponsor
    SPONSOR_REQUIRED = "SPONSOR_REQUIRED"  # storefront enrollment without any sponsor
    TERMINATED = "TERMINATED"  # a terminated partner cannot take part in the change
    UNKNOWN_SPONSOR = "UNKNOWN_SPONSOR"  # no partner of this installation has the code
    VAT_ID_REQUIRED = "VAT_ID_REQUIRED"  # EU reverse charge needs the partner's VAT id
    WRONG_INSTALLATION = "WRONG_INSTALLATION"  # nodes of two different Saleor installations
