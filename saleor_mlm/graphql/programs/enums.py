import graphene

from saleor_mlm.programs import ProductScope

ProductScopeEnum = graphene.Enum(
    "ProductScope",
    [(value.upper(), value) for value, _ in ProductScope.CHOICES],
    description="Which order lines count in a program: all, or the listed product types, categories and collections.",
)
