from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "saleor_mlm.orders"
    label = "orders"
