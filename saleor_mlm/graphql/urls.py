from django.urls import path

from .periods.exports import statements_csv_view

# The API's own view is routed by the root URLs, which hand it the GraphiQL page.
urlpatterns = [
    path("exports/statements/<str:token>/", statements_csv_view, name="graphql-statements-csv"),
]
