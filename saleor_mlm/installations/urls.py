from django.urls import path

from . import views

urlpatterns = [
    path("manifest", views.manifest, name="manifest"),
    # The manifest's brand logo (Saleor fetches it once, at install).
    path("logo.png", views.logo, name="logo"),
    path("register", views.register, name="register"),
]
