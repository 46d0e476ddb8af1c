import graphene

from saleor_mlm.registration import RegistrationStatus

RegistrationStatusEnum = graphene.Enum(
    "RegistrationStatusEnum",
    [(value.upper(), value) for value, _label in RegistrationStatus.CHOICES],
    description="Where a partner registration stands: waiting for the merchant, approved (the partner exists), rejected.",
)
