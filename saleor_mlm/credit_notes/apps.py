from django.apps import AppConfig


class CreditNotesConfig(AppConfig):
    name = "saleor_mlm.credit_notes"
    label = "credit_notes"
