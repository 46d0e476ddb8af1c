from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "saleor_mlm.programs"
    label = "programs"
