from django.urls import path

from . import views

urlpatterns = [
    path("<slug:event>", views.webhook, name="webhook"),
]
