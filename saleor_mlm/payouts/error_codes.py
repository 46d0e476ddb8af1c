"""Error codes of payout profiles, Stripe Connect and payout runs
(`core.errors.DomainError(PayoutErrorCode.X, ...)`)."""

from enum import StrEnum


class PayoutErrorCode(StrEnum):
    INVALID = "INVALID"  # a malformed value: method, account holder, key ...
    INVALID_IBAN = "INVALID_IBAN"  # schwifty refused the IBAN (length, check digits, country)
    INVALID_BIC = "INVALID_BIC"  # schwifty refused the BIC
    NOT_SEPA = "NOT_SEPA"  # the IBAN's country is outside the SEPA zone
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    NOT_A_PARTNER = "NOT_A_PARTNER"  # only partners have a payout profile
    NOTHING_TO_CONFIRM = "NOTHING_TO_CONFIRM"  # no changed bank account waits for confirmation
    STRIPE_NOT_CONFIGURED = "STRIPE_NOT_CONFIGURED"  # the merchant has not set the Stripe keys
    STRIPE_ERROR = "STRIPE_ERROR"  # Stripe refused or could not be reached
    DEBTOR_NOT_CONFIGURED = "DEBTOR_NOT_CONFIGURED"  # no bank account for the SEPA files
    PERIOD_NOT_COMMITTED = "PERIOD_NOT_COMMITTED"  # payouts are made for committed periods only
    RUN_EXISTS = "RUN_EXISTS"  # a period has one payout run
    INVALID_STATUS = "INVALID_STATUS"  # the run or item is not in a state that allows this
    SAME_USER = "SAME_USER"  # four eyes: the creator of a run does not approve it
    CURRENCY_NOT_EUR = "CURRENCY_NOT_EUR"  # SEPA credit transfers are in euro
    WRONG_INSTALLATION = "WRONG_INSTALLATION"
