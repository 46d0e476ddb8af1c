"""The one-click unsubscribe link of a mail: a GET asks (and changes nothing), a POST (the
page's button, or a mail client's RFC 8058 one-click) switches the kind off; the next event
of that kind sends nothing, other kinds still do. Forged links are refused."""

from __future__ import annotations

import pytest

from saleor_mlm.network.actions import assign_house_customer, create_partner
from saleor_mlm.notifications import NotificationKind, NotificationStatus
from saleor_mlm.notifications.links import unsubscribe_url
from saleor_mlm.notifications.models import Notification, NotificationOptOut

pytestmark = pytest.mark.django_db
MERCHANT = "office@vitalwerk.example"


def path_of(url: str) -> str:
    return url.removeprefix("https://mlm.vitalwerk.example")


@pytest.mark.parametrize("one_click", [True, False], ids=["mail client one-click", "page button"])
def test_unsubscribing_stops_that_kind_only(installation, partner_factory, customer_factory, smtp, client, django_capture_on_commit_callbacks, one_click):
    greta = partner_factory(first_name="Greta", email="greta@example.com", language="de")
    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="ida@example.com", sponsor=greta, created_by=MERCHANT)
    [mail] = smtp.to("greta@example.com")
    link = path_of(mail.header("List-Unsubscribe")[1:-1])

    page = client.get(link)
    assert page.status_code == 200
    assert "Keine E-Mails mehr über neue Partner in Ihrer ersten Ebene?" in page.content.decode()
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert not NotificationOptOut.objects.exists()  # a link scanner's GET changes nothing

    if one_click:
        answer = client.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    else:
        answer = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "Sie erhalten keine E-Mails mehr über neue Partner in Ihrer ersten Ebene." in answer.content.decode()
    assert list(NotificationOptOut.objects.values_list("partner_id", "kind", "source")) == [(greta.pk, NotificationKind.NEW_PARTNER, "link")]

    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="jon@example.com", sponsor=greta, created_by=MERCHANT)
        assign_house_customer(customer_factory(email="kim@example.com"), greta, changed_by=MERCHANT)

    assert [m.subject for m in smtp.to("greta@example.com")][1:] == ["Neuer Kunde: kim@example.com"]
    skipped = Notification.objects.get(kind=NotificationKind.NEW_PARTNER, status=NotificationStatus.SKIPPED)
    assert skipped.last_error == "switched off by the partner"
    # Twice is harmless.
    assert client.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code == 200
    assert NotificationOptOut.objects.count() == 1


def test_a_forged_or_changed_link_is_refused(partner_factory, client, settings):
    settings.APP_URL = "https://mlm.vitalwerk.example"
    greta = partner_factory(email="greta@example.com")
    link = path_of(unsubscribe_url(greta.pk, NotificationKind.PAYOUT_SENT))
    other = link.replace(f"/{greta.pk}:", f"/{greta.pk + 1}:")

    assert client.post(other, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code == 404
    assert client.get(link.replace("payout_sent", "payout_returned")).status_code == 404
    assert not NotificationOptOut.objects.exists()
    assert client.get(link).status_code == 200
