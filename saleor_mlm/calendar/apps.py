from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "saleor_mlm.calendar"
    label = "calendar"
