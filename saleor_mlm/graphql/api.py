"""The schema, assembled from the domain packages of the API.

A domain adds its root fields by contributing a `<Domain>Queries` / `<Domain>Mutations`
class here; its types live in its own package (`saleor_mlm/graphql/<domain>/`).
"""

import graphene

from .network.schema import NetworkMutations, NetworkQueries


class Query(NetworkQueries, graphene.ObjectType):
    pass


class Mutation(NetworkMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
