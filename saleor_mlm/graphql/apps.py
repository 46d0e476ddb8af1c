from django.apps import AppConfig


class GraphQLConfig(AppConfig):
    """The app's own GraphQL API at /graphql/ (storefronts, dashboard extension, scripts)."""

    name = "saleor_mlm.graphql"
    label = "mlm_graphql"
