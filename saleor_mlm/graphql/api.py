"""The schema, assembled from the domain packages of the API.

A domain adds its root fields by contributing a `<Domain>Queries` / `<Domain>Mutations`
class here; its types live in its own package (`saleor_mlm/graphql/<domain>/`). The
federation's `_entities` and `_service` make the same schema a subgraph (federation/).
"""

import graphene

from .checkouts.schema import CheckoutMutations, CheckoutQueries
from .credit_notes.schema import CreditNoteMutations, CreditNoteQueries
from .federation.schema import FederationQueries
from .installations.schema import InstallationQueries
from .ledger.schema import LedgerMutations, LedgerQueries
from .network.schema import NetworkMutations, NetworkQueries
from .notifications.schema import NotificationMutations, NotificationQueries
from .payouts.schema import PayoutMutations, PayoutQueries
from .periods.schema import PeriodMutations, PeriodQueries
from .privacy.schema import PrivacyMutations
from .programs.schema import ProgramMutations, ProgramQueries
from .reconciliation.schema import ReconciliationMutations, ReconciliationQueries
from .registration.schema import RegistrationMutations, RegistrationQueries


class Query(
    FederationQueries,
    NetworkQueries,
    PeriodQueries,
    ProgramQueries,
    LedgerQueries,
    ReconciliationQueries,
    CreditNoteQueries,
    PayoutQueries,
    NotificationQueries,
    InstallationQueries,
    CheckoutQueries,
    RegistrationQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    NetworkMutations,
    ProgramMutations,
    PeriodMutations,
    LedgerMutations,
    ReconciliationMutations,
    CreditNoteMutations,
    PayoutMutations,
    NotificationMutations,
    PrivacyMutations,
    CheckoutMutations,
    RegistrationMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
