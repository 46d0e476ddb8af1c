from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "saleor_mlm.ledger"
    label = "ledger"
