"""Mutation errors are typed per domain: `code: NetworkErrorCode!`, `PeriodErrorCode!`, `SyncErrorCode!`
(as Saleor's `OrderError`), each enum holding every code its mutations can answer."""

import logging

from django.core.exceptions import ValidationError

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.checkouts.error_codes import CheckoutErrorCode
from saleor_mlm.credit_notes.error_codes import CreditNoteErrorCode
from saleor_mlm.graphql.api import schema
from saleor_mlm.graphql.core.errors import ApiErrorCode, errors_from_validation_error
from saleor_mlm.graphql.network.errors import NetworkError, ReferralCodeErrorCode
from saleor_mlm.graphql.periods.errors import PeriodError
from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.plans.error_codes import PlanErrorCode
from saleor_mlm.programs.error_codes import ProgramErrorCode
from saleor_mlm.reconciliation.error_codes import SyncErrorCode

ERROR_TYPES = """
{ __schema { mutationType { fields { name type { fields { name type { ofType { ofType { ofType { name } } } } } } } } } }
"""
ENUM = """
query($name: String!) { __type(name: $name) { kind enumValues { name } } }
"""
# The domain whose error codes each mutation answers with.
NETWORK_MUTATIONS = {
    "partnerCreate", "partnerEnroll", "partnerUpdate", "partnerChangeSponsor", "partnerSetStatus", "careAssign", "careUnassign",
    "houseCustomerAssign", "splitAgreementSet", "referralCodeValidate",
    "partnerTaxProfileUpdate", "partnerTaxProfileLock", "myTaxProfileUpdate", "partnerVoucherUpdate",
}  # fmt: skip
SYNC_MUTATIONS = {"ordersBackfill"}
CREDIT_NOTE_MUTATIONS = {"creditNoteCancel", "creditNoteSettingsUpdate", "vatRateSet"}
PRIVACY_MUTATIONS = {"personErase", "personExport"}
PAYOUT_MUTATIONS = {
    "myPayoutProfileUpdate", "payoutAccountLink", "payoutProfileUpdate", "payoutBankChangeConfirm", "payoutSettingsUpdate", "payoutRunCreate",
    "payoutRunApprove", "payoutRunExecute", "sepaFileMarkExecuted", "sepaFileRejectItems",
}  # fmt: skip
LEDGER_MUTATIONS = {"volumeSettingsUpdate", "exchangeRatesImport"}
NOTIFICATION_MUTATIONS = {"myNotificationSettingsUpdate"}
CHECKOUT_MUTATIONS = {"customerCheckoutCreate", "customerCheckoutSettingsUpdate"}
REGISTRATION_MUTATIONS = {"partnerRegister", "partnerRegistrationApprove", "partnerRegistrationReject", "registrationSettingsUpdate"}
PROGRAM_MUTATIONS = {"programCreate", "programUpdate", "programEnrollmentCreate", "programEnrollmentMove", "programEnrollmentRemove", "programEnrollmentSetCare"}


def test_every_mutation_lists_errors_of_its_domain():
    result = schema.execute(ERROR_TYPES)
    mutations = result.data["__schema"]["mutationType"]["fields"]

    error_types = {}
    for mutation in mutations:
        errors = next(field for field in mutation["type"]["fields"] if field["name"] == "errors")
        error_types[mutation["name"]] = errors["type"]["ofType"]["ofType"]["ofType"]["name"]  # [X!]!

    assert result.errors is None
    assert {name for name, kind in error_types.items() if kind == "NetworkError"} == NETWORK_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "SyncError"} == SYNC_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "CreditNoteError"} == CREDIT_NOTE_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "PrivacyError"} == PRIVACY_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "PayoutError"} == PAYOUT_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "LedgerError"} == LEDGER_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "NotificationError"} == NOTIFICATION_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "CustomerCheckoutError"} == CHECKOUT_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "RegistrationError"} == REGISTRATION_MUTATIONS
    assert {name for name, kind in error_types.items() if kind == "ProgramError"} == PROGRAM_MUTATIONS
    others = (
        NETWORK_MUTATIONS | SYNC_MUTATIONS | CREDIT_NOTE_MUTATIONS | PRIVACY_MUTATIONS | PAYOUT_MUTATIONS | LEDGER_MUTATIONS | NOTIFICATION_MUTATIONS
        | CHECKOUT_MUTATIONS | REGISTRATION_MUTATIONS | PROGRAM_MUTATIONS
    )
    assert {kind for name, kind in error_types.items() if name not in others} == {"PeriodError"}


def test_error_code_enums_hold_the_domain_codes_and_the_api_codes():
    api = [code.value for code in ApiErrorCode]
    network = schema.execute(ENUM, variable_values={"name": "NetworkErrorCode"}).data["__type"]
    period = schema.execute(ENUM, variable_values={"name": "PeriodErrorCode"}).data["__type"]
    code_type = {
        name: schema.execute(
            'query($name: String!) { __type(name: $name) { fields { name type { kind ofType { name } } } } }', variable_values={"name": name}
        ).data["__type"]["fields"][1]
        for name in ("NetworkError", "PeriodError")
    }

    assert (network["kind"], period["kind"]) == ("ENUM", "ENUM")
    assert {value["name"] for value in network["enumValues"]} == {*NetworkErrorCode, *ReferralCodeErrorCode, *api}
    # a commit issues the credit notes: their codes (ISSUER_INCOMPLETE) are the periods' too
    assert {value["name"] for value in period["enumValues"]} == {*PeriodErrorCode, *PlanErrorCode, *CreditNoteErrorCode, *api}
    program = schema.execute(ENUM, variable_values={"name": "ProgramErrorCode"}).data["__type"]
    # enrollments move partners in a program's network: its codes are the network's too
    assert {value["name"] for value in program["enumValues"]} == {*ProgramErrorCode, *NetworkErrorCode, *api}
    sync = schema.execute(ENUM, variable_values={"name": "SyncErrorCode"}).data["__type"]
    assert {value["name"] for value in sync["enumValues"]} == {*SyncErrorCode, *api}
    checkout = schema.execute(ENUM, variable_values={"name": "CustomerCheckoutErrorCode"}).data["__type"]
    assert {value["name"] for value in checkout["enumValues"]} == {*CheckoutErrorCode, *api}
    assert code_type == {
        "NetworkError": {"name": "code", "type": {"kind": "NON_NULL", "ofType": {"name": "NetworkErrorCode"}}},
        "PeriodError": {"name": "code", "type": {"kind": "NON_NULL", "ofType": {"name": "PeriodErrorCode"}}},
    }


def test_a_code_missing_from_the_enum_is_answered_as_invalid_and_logged(caplog):
    error = ValidationError({"period": ValidationError("Something new.", code="SOMETHING_NEW")})

    with caplog.at_level(logging.ERROR, logger="saleor_mlm.graphql.core.errors"):
        errors = errors_from_validation_error(error, PeriodError)
    known = errors_from_validation_error(ValidationError({"name": ValidationError("x", code="max_length")}), NetworkError)

    assert [(e.field, e.code, e.message) for e in errors] == [("period", "INVALID", "Something new.")]
    assert [record.getMessage() for record in caplog.records] == ["error code SOMETHING_NEW is not a member of the PeriodError codes; answered as INVALID"]
    assert [(e.field, e.code) for e in known] == [("name", "MAX_LENGTH")]
