from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "saleor_mlm.plans"
    label = "plans"
