from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "saleor_mlm.statements"
    label = "statements"
