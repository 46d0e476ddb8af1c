import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers, voucher
from .enums import PartnerStatusEnum
from .filters import (
    CareAssignmentFilterInput,
    CustomerFilterInput,
    NetworkChangeFilterInput,
    PartnerFilterInput,
    SplitAgreementFilterInput,
)
from .mutations.care_assign import CareAssign
from .mutations.care_unassign import CareUnassign
from .mutations.house_customer_assign import HouseCustomerAssign
from .mutations.my_tax_profile_update import MyTaxProfileUpdate
from .mutations.partner_change_sponsor import PartnerChangeSponsor
from .mutations.partner_create import PartnerCreate
from .mutations.partner_enroll import PartnerEnroll
from .mutations.partner_set_status import PartnerSetStatus
from .mutations.partner_update import PartnerUpdate
from .mutations.partner_voucher_update import PartnerVoucherUpdate
from .mutations.referral_code_validate import ReferralCodeValidate
from .mutations.split_agreement_set import SplitAgreementSet
from .mutations.tax_profile_lock import PartnerTaxProfileLock
from .mutations.tax_profile_update import PartnerTaxProfileUpdate
from .sorters import CustomerSortingInput, PartnerSortingInput
from .types import (
    CareAssignmentCountableConnection,
    Customer,
    CustomerCountableConnection,
    DownlineConnection,
    Me,
    NetworkChangeCountableConnection,
    Partner,
    PartnerCountableConnection,
    SplitAgreementCountableConnection,
)

MANAGE_USERS = MlmPermission.MANAGE_USERS
_MERCHANT = permissions_description([MANAGE_USERS])


class NetworkQueries(graphene.ObjectType):
    partner_voucher = graphene.Field(
        voucher.PartnerVoucherSettings,
        required=True,
        description="The discount of partner codes and the channels they work in." + _MERCHANT,
    )
    me = graphene.Field(Me, description="The logged-in Saleor user's place in the network; null for anonymous requests and API keys.")
    partners = graphene.Field(
        PartnerCountableConnection,
        description="Partners of the shop." + _MERCHANT,
        **connection_args(
            filter=PartnerFilterInput(),
            search=graphene.String(description="Words to find in names or e-mail, or the exact referral code."),
            sort_by=PartnerSortingInput(description="Default: by name."),
        ),
    )
    partner = graphene.Field(
        Partner,
        id=graphene.ID(),
        referral_code=graphene.String(description="A referral or voucher code, any case."),
        saleor_user_id=graphene.String(description="The partner's Saleor user id (as the Dashboard passes it)."),
        description="A partner by id, by code or by Saleor user. Give exactly one." + _MERCHANT,
    )
    genealogy = graphene.Field(
        DownlineConnection,
        description="The partners below a partner by sponsor edges (its legs and their lines), by level." + _MERCHANT,
        **connection_args(
            partner_id=graphene.ID(required=True),
            depth=graphene.Int(description="Only levels 1 to `depth` (frontline is level 1)."),
            status=graphene.List(graphene.NonNull(PartnerStatusEnum)),
            search=graphene.String(),
        ),
    )
    customers = graphene.Field(
        CustomerCountableConnection,
        description="Customers of the shop (without those who became partners)." + _MERCHANT,
        **connection_args(filter=CustomerFilterInput(), search=graphene.String(), sort_by=CustomerSortingInput()),
    )
    house_customers = graphene.Field(
        CustomerCountableConnection,
        description="Customers without a sponsor, to be assigned to partners." + _MERCHANT,
        **connection_args(search=graphene.String(), sort_by=CustomerSortingInput()),
    )
    customer = graphene.Field(
        Customer,
        id=graphene.ID(),
        saleor_user_id=graphene.String(description="The customer's Saleor user id (as the Dashboard passes it)."),
        description="A customer by id or by Saleor user (not one who became a partner). Give exactly one." + _MERCHANT,
    )
    care_assignments = graphene.Field(
        CareAssignmentCountableConnection,
        description="Betreuer assignments, newest first." + _MERCHANT,
        **connection_args(filter=CareAssignmentFilterInput()),
    )
    split_agreements = graphene.Field(
        SplitAgreementCountableConnection,
        description="Split agreements, newest first." + _MERCHANT,
        **connection_args(filter=SplitAgreementFilterInput()),
    )
    network_changes = graphene.Field(
        NetworkChangeCountableConnection,
        description="The history of the network, newest first." + _MERCHANT,
        **connection_args(filter=NetworkChangeFilterInput()),
    )

    @staticmethod
    def resolve_me(root, info):
        return resolvers.resolve_me(info)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_partners(root, info, **kwargs):
        return resolvers.resolve_partners(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_partner(root, info, **kwargs):
        return resolvers.resolve_partner(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_genealogy(root, info, **kwargs):
        return resolvers.resolve_genealogy(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_partner_voucher(root, info):
        return voucher.resolve_partner_voucher(info)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_customers(root, info, **kwargs):
        return resolvers.resolve_customers(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_house_customers(root, info, **kwargs):
        return resolvers.resolve_house_customers(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_customer(root, info, **kwargs):
        return resolvers.resolve_customer(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_care_assignments(root, info, **kwargs):
        return resolvers.resolve_care_assignments(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_split_agreements(root, info, **kwargs):
        return resolvers.resolve_split_agreements(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_network_changes(root, info, **kwargs):
        return resolvers.resolve_network_changes(info, **kwargs)


class NetworkMutations(graphene.ObjectType):
    partner_create = PartnerCreate.Field()
    partner_update = PartnerUpdate.Field()
    partner_set_status = PartnerSetStatus.Field()
    partner_change_sponsor = PartnerChangeSponsor.Field()
    care_assign = CareAssign.Field()
    care_unassign = CareUnassign.Field()
    split_agreement_set = SplitAgreementSet.Field()
    house_customer_assign = HouseCustomerAssign.Field()
    partner_enroll = PartnerEnroll.Field()
    referral_code_validate = ReferralCodeValidate.Field()
    partner_tax_profile_update = PartnerTaxProfileUpdate.Field()
    partner_tax_profile_lock = PartnerTaxProfileLock.Field()
    my_tax_profile_update = MyTaxProfileUpdate.Field()
    partner_voucher_update = PartnerVoucherUpdate.Field()
