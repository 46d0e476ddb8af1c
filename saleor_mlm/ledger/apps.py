from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "saleor_mlm.ledger"
    label = "ledger"

    def ready(self):
        # Order events recorded by the webhook pipeline are credited by the ledger; the
        # pipeline exposes a registry of consumers so that it does not import the ledger.
        from .consumers import register

        register()
