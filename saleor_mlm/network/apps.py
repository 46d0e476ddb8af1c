from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "saleor_mlm.network"
    label = "network"
