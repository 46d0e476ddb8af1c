"""A new partner or customer on a partner's first level is mailed to that partner through a
real SMTP server, in the partner's language, with a text and an HTML part and the one-click
unsubscribe headers; the same event is mailed once; a refusing server leaves it pending."""

from __future__ import annotations

import pytest

from saleor_mlm.network.actions import NewCustomer, assign_house_customer, create_customers, create_partner
from saleor_mlm.network.models import NetworkChange
from saleor_mlm.notifications import NotificationKind, NotificationStatus
from saleor_mlm.notifications.models import Notification
from saleor_mlm.notifications.sending import MAX_ATTEMPTS, send_notifications
from saleor_mlm.notifications.tasks import send_pending_task
from saleor_mlm.notifications.triggers import network_changes, paused

pytestmark = pytest.mark.django_db
MERCHANT = "office@vitalwerk.example"


@pytest.fixture
def sponsors(partner_factory):
    return (
        partner_factory(first_name="Greta", last_name="Berg", email="greta@example.com", language="de"),
        partner_factory(first_name="Henry", last_name="Hill", email="henry@example.com", language="en"),
    )


def test_a_new_partner_is_mailed_to_its_sponsor_in_the_sponsor_s_language(installation, sponsors, smtp, django_capture_on_commit_callbacks):
    greta, henry = sponsors
    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="ida@example.com", first_name="Ida", last_name="Klein", sponsor=greta, created_by=MERCHANT)
    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="jon@example.com", first_name="Jon", last_name="Doe", sponsor=henry, created_by=MERCHANT)

    [german] = smtp.to("greta@example.com")
    [english] = smtp.to("henry@example.com")
    assert german.subject == "Neu in Ihrem Team: Ida Klein"
    assert english.subject == "New in your team: Jon Doe"
    assert german.header("From") == "Vitalwerk Partner <partner@vitalwerk.example>"
    assert german.message.get_content_type() == "multipart/alternative"
    assert "Guten Tag Greta Berg," in german.text and "Ida Klein ist Partner in Ihrer ersten Ebene" in german.text
    assert "https://mlm.vitalwerk.example/office/team" in german.text
    assert '<html lang="de">' in german.html and 'href="https://mlm.vitalwerk.example/office/team"' in german.html
    assert "Hello Henry Hill," in english.text and "Jon Doe is a partner on your first level" in english.text
    assert '<html lang="en">' in english.html
    for mail in (german, english):
        unsubscribe = mail.header("List-Unsubscribe")
        assert unsubscribe.startswith("<https://mlm.vitalwerk.example/notifications/unsubscribe/") and unsubscribe.endswith("/>")
        assert mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        assert mail.header("Auto-Submitted") == "auto-generated"
        assert unsubscribe[1:-1] in mail.text and unsubscribe[1:-1] in mail.html
    assert german.header("Content-Language") == "de"
    assert Notification.objects.filter(status=NotificationStatus.SENT, language="de", partner=greta).count() == 1


def test_a_new_customer_is_mailed_to_its_partner(installation, sponsors, customer_factory, smtp, django_capture_on_commit_callbacks):
    greta, henry = sponsors
    house = customer_factory(email="kim@example.com", first_name="Kim", last_name="Lee")
    with django_capture_on_commit_callbacks(execute=True):
        assign_house_customer(house, henry, changed_by=MERCHANT)
    with django_capture_on_commit_callbacks(execute=True):
        create_customers(installation, [NewCustomer(saleor_user_id="", email="lou@example.com", sponsor=greta, first_name="Lou")], changed_by="app")

    [english] = smtp.to("henry@example.com")
    [german] = smtp.to("greta@example.com")
    assert english.subject == "New customer: Kim Lee"
    assert german.subject == "Neuer Kunde: Lou"
    assert "https://mlm.vitalwerk.example/office/customers" in german.text


def test_an_event_is_mailed_once(installation, sponsors, smtp, django_capture_on_commit_callbacks):
    greta, _henry = sponsors
    with django_capture_on_commit_callbacks(execute=True):
        ida = create_partner(installation, email="ida@example.com", sponsor=greta, created_by=MERCHANT)
    created = list(NetworkChange.objects.filter(partner=ida))
    # The same change reported again, and the sending task run again, send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        network_changes(created)
    send_notifications(list(Notification.objects.values_list("pk", flat=True)))

    assert len(smtp.to("greta@example.com")) == 1
    assert Notification.objects.get().kind == NotificationKind.NEW_PARTNER


def test_a_partner_without_a_sponsor_and_paused_history_tell_nobody(installation, sponsors, smtp, django_capture_on_commit_callbacks):
    greta, _henry = sponsors
    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="root@example.com", created_by=MERCHANT)
        with paused():
            create_partner(installation, email="old@example.com", sponsor=greta, created_by=MERCHANT)

    assert smtp.delivered == []
    assert not Notification.objects.exists()


def test_a_refusing_server_leaves_the_mail_pending_until_it_gives_up(installation, sponsors, smtp, django_capture_on_commit_callbacks):
    greta, _henry = sponsors
    smtp.refuse = True
    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="ida@example.com", sponsor=greta, created_by=MERCHANT)
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 1)
    assert "550" in notification.last_error

    smtp.refuse = False
    Notification.objects.filter(pk=notification.pk).update(created_at=notification.created_at.replace(year=2020))
    assert send_pending_task() == 1  # the sweep sends it (eagerly here)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 2)
    assert len(smtp.to("greta@example.com")) == 1

    smtp.refuse = True
    with django_capture_on_commit_callbacks(execute=True):
        create_partner(installation, email="max@example.com", sponsor=greta, created_by=MERCHANT)
    failing = Notification.objects.exclude(pk=notification.pk).get()
    for _attempt in range(MAX_ATTEMPTS - 1):
        send_notifications([failing.pk])
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (NotificationStatus.FAILED, MAX_ATTEMPTS)
