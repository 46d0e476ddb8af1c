import graphene

from .mutations.person_erase import PersonErase
from .mutations.person_export import PersonExport


class PrivacyMutations(graphene.ObjectType):
    person_erase = PersonErase.Field()
    person_export = PersonExport.Field()
