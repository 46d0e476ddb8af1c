"""A partner's e-mail settings in the API (`myNotificationSettings`,
`myNotificationSettingsUpdate`): every kind on until switched off, the language of the
mails; a kind switched off there is not sent; nobody else has settings or may change them."""

from __future__ import annotations

import pytest

from saleor_mlm.network.actions import create_partner
from saleor_mlm.network.models import NetworkChange
from saleor_mlm.notifications import NotificationStatus
from saleor_mlm.notifications.models import Notification, NotificationOptOut

pytestmark = pytest.mark.django_db
GRETA_USER = "VXNlcjo5MDE="
SETTINGS = "{ myNotificationSettings { language kinds { kind enabled label } } }"
UPDATE = """
mutation Update($input: NotificationSettingsInput!) {
  myNotificationSettingsUpdate(input: $input) { errors { field code message } notificationSettings { language kinds { kind enabled } } }
}
"""


@pytest.fixture
def greta(gql_installation, partner_factory):
    return partner_factory(installation=gql_installation, email="greta@example.com", language="de", saleor_user_id=GRETA_USER)


def test_a_partner_reads_and_changes_its_settings(gql, storefront, greta):
    as_greta = storefront(user_id=GRETA_USER, email="greta@example.com")

    read = gql(SETTINGS, as_=as_greta, headers={"HTTP_ACCEPT_LANGUAGE": "de"}).data["myNotificationSettings"]
    assert read["language"] == "de"
    assert [(k["kind"], k["enabled"]) for k in read["kinds"]] == [
        ("NEW_PARTNER", True),
        ("NEW_CUSTOMER", True),
        ("RANK_REACHED", True),
        ("STATEMENT_READY", True),
        ("PAYOUT_SENT", True),
        ("PAYOUT_RETURNED", True),
    ]
    assert read["kinds"][0]["label"] == "neue Partner in Ihrer ersten Ebene"

    changed = gql(UPDATE, {"input": {"language": "en", "kinds": [{"kind": "NEW_PARTNER", "enabled": False}, {"kind": "PAYOUT_SENT", "enabled": False}]}}, as_=as_greta)
    result = changed.data["myNotificationSettingsUpdate"]
    assert result["errors"] == []
    assert result["notificationSettings"]["language"] == "en"
    assert {k["kind"] for k in result["notificationSettings"]["kinds"] if not k["enabled"]} == {"NEW_PARTNER", "PAYOUT_SENT"}
    greta.refresh_from_db()
    assert greta.language == "en"
    assert NetworkChange.objects.get(partner=greta, kind="details").new_value == {"language": "en"}
    assert set(NotificationOptOut.objects.values_list("kind", "source")) == {("new_partner", "office"), ("payout_sent", "office")}

    again = gql(UPDATE, {"input": {"kinds": [{"kind": "NEW_PARTNER", "enabled": True}]}}, as_=as_greta).data["myNotificationSettingsUpdate"]
    assert {k["kind"] for k in again["notificationSettings"]["kinds"] if not k["enabled"]} == {"PAYOUT_SENT"}

    wrong = gql(UPDATE, {"input": {"language": "it"}}, as_=as_greta).data["myNotificationSettingsUpdate"]
    assert [(e["field"], e["code"]) for e in wrong["errors"]] == [("language", "INVALID")]


def test_a_kind_switched_off_in_the_settings_is_not_sent(gql, storefront, greta, gql_installation, smtp, django_capture_on_commit_callbacks):
    as_greta = storefront(user_id=GRETA_USER, email="greta@example.com")
    gql(UPDATE, {"input": {"kinds": [{"kind": "NEW_PARTNER", "enabled": False}]}}, as_=as_greta)

    with django_capture_on_commit_callbacks(execute=True):
        create_partner(gql_installation, email="ida@example.com", sponsor=greta, created_by="office@example.com")

    assert smtp.delivered == []
    assert Notification.objects.get().status == NotificationStatus.SKIPPED


def test_nobody_else_has_settings(gql, storefront, anonymous, greta):
    stranger = storefront(user_id="VXNlcjo5OTk=", email="someone@example.com")

    assert gql(SETTINGS, as_=stranger).data["myNotificationSettings"] is None
    assert gql(UPDATE, {"input": {"language": "en"}}, as_=stranger).error_codes == ["PERMISSION_DENIED"]
    assert gql(UPDATE, {"input": {"language": "en"}}, as_=anonymous()).error_codes == ["PERMISSION_DENIED"]
    assert not NotificationOptOut.objects.exists()
