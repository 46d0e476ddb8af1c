import graphene

from saleor_mlm.network import AttributionSource, CareShareSource, ChangeKind, PartnerStatus, TaxStatus


def _enum(name: str, choices, description: str) -> type[graphene.Enum]:
    return graphene.Enum(name, [(value.upper(), value) for value, _label in choices], description=description)


PartnerStatusEnum = _enum("PartnerStatusEnum", PartnerStatus.CHOICES, "Status of a partner; only active partners qualify.")
TaxStatusEnum = _enum("TaxStatusEnum", TaxStatus.CHOICES, "How a partner's credit notes are taxed.")
AttributionSourceEnum = _enum("AttributionSourceEnum", AttributionSource.CHOICES, "How a customer came to its sponsor.")
# `details` (partnerUpdate) is recorded by the domain before `ChangeKind` lists it.
_CHANGE_KINDS = ChangeKind.CHOICES
NetworkChangeKindEnum = _enum("NetworkChangeKindEnum", _CHANGE_KINDS, "Kind of a recorded change of the network.")
CareShareSourceEnum = graphene.Enum(
    "CareShareSourceEnum",
    [(v.upper(), v) for v in (CareShareSource.ASSIGNMENT, CareShareSource.SPLIT_AGREEMENT, CareShareSource.NONE)],
    description="Where the share of a care assignment comes from: the assignment itself, the recruiting "
    "partner's split agreement, or neither (share 0).",
)


class CareRelationRole(graphene.Enum):
    """A partner's side of care relations."""

    AS_BETREUER = "as_betreuer"  # the nodes the partner looks after
    AS_RECRUITER = "as_recruiter"  # the partner's recruits that someone else looks after


class PartnerSortField(graphene.Enum):
    NAME = "name"
    EMAIL = "email"
    REFERRAL_CODE = "referral_code"
    ENROLLED_AT = "enrolled_at"
    CREATED_AT = "created_at"


class CustomerSortField(graphene.Enum):
    NAME = "name"
    EMAIL = "email"
    CREATED_AT = "created_at"
