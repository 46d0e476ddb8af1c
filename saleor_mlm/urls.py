from django.urls import include, path
from django.views.generic import RedirectView

from saleor_mlm.core.views import healthz, home
from saleor_mlm.dashboard.graphiql import graphiql_page
from saleor_mlm.dashboard.views import extension as dashboard_extension
from saleor_mlm.graphql.views import GraphQLView

urlpatterns = [
    # The demo opens its pages at /dashboard/; a deployment answers what it is (no data).
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("api/", include("saleor_mlm.installations.urls")),
    path("api/webhooks/", include("saleor_mlm.webhooks.urls")),
    # Stripe's webhook events of an installation (payout_runs.stripe_webhooks).
    path("api/stripe/", include("saleor_mlm.payout_runs.urls")),
    # The API; a browser's GET without a query gets GraphiQL, a page of the dashboard's build.
    path("graphql/", GraphQLView.as_view(graphiql=graphiql_page), name="graphql"),
    path("graphql/", include("saleor_mlm.graphql.urls")),
    # Signed, short-lived links to credit note PDFs (credit_notes.links).
    path("credit-notes/", include("saleor_mlm.credit_notes.urls")),
    # The one-click unsubscribe links of the e-mails to partners (docs/notifications.md).
    path("notifications/", include("saleor_mlm.notifications.urls")),
    # The app page as the Saleor Dashboard opens it: `urlJoin(appUrl, ...)` drops the trailing
    # slash of `<APP_URL>/dashboard/`. Served here, not redirected: a redirect would cost the
    # page its referrer, and with it app-sdk's handshake (docs/dashboard.md, "Mount URLs").
    path("dashboard", dashboard_extension, name="dashboard-app-page"),
    path("dashboard/", include("saleor_mlm.dashboard.urls")),
    # The partner office (docs/office.md): partners' own pages, on a phone too.
    path("office", RedirectView.as_view(url="/office/", query_string=True)),
    path("office/", include("saleor_mlm.office.urls")),
]
