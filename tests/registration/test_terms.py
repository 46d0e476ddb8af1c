"""The merchant's partner terms: versions, texts per language, the text a visitor reads."""

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.registration.models import PartnerTerms
from saleor_mlm.registration.terms import current_terms, current_version, publish_terms, registration_settings, set_approval_required

pytestmark = pytest.mark.django_db


def test_each_publication_is_a_new_version_and_old_ones_stay(installation_factory):
    shop, other = installation_factory(), installation_factory()

    first = publish_terms(shop.pk, {"de": "AGB 1", "en": "Terms 1"}, published_by="owner@example.com")
    second = publish_terms(shop.pk, {"en": " Terms 2 "}, published_by="owner@example.com")
    publish_terms(other.pk, {"de": "Andere"}, published_by="other@example.com")

    assert [(terms.version, terms.language) for terms in first] == [(1, "de"), (1, "en")]
    assert [(terms.version, terms.language, terms.text) for terms in second] == [(2, "en", "Terms 2")]
    assert current_version(shop.pk) == 2 and current_version(other.pk) == 1
    assert PartnerTerms.objects.filter(installation=shop, version=1).count() == 2


def test_a_visitor_reads_the_newest_version_in_its_language_else_english_else_german(installation_factory):
    shop = installation_factory()
    assert current_terms(shop.pk, "de") is None

    publish_terms(shop.pk, {"de": "AGB", "en": "Terms", "fr": "Conditions"}, published_by="owner@example.com")
    assert current_terms(shop.pk, "fr").text == "Conditions"
    assert current_terms(shop.pk, "it").text == "Terms"
    publish_terms(shop.pk, {"de": "AGB 2"}, published_by="owner@example.com")
    assert (current_terms(shop.pk, "en").version, current_terms(shop.pk, "en").text) == (2, "AGB 2")


def test_terms_need_a_text_and_a_language(installation_factory):
    shop = installation_factory()

    with pytest.raises(DomainError) as empty:
        publish_terms(shop.pk, {"de": "  "}, published_by="owner@example.com")
    with pytest.raises(DomainError) as language:
        publish_terms(shop.pk, {"deutsch!": "AGB"}, published_by="owner@example.com")

    assert (empty.value.code, empty.value.field) == ("INVALID", "terms")
    assert (language.value.code, language.value.field) == ("INVALID", "language")
    assert not PartnerTerms.objects.exists()


def test_approval_is_off_until_the_merchant_turns_it_on(installation_factory):
    shop = installation_factory()

    assert registration_settings(shop.pk).approval_required is False
    set_approval_required(shop.pk, True, changed_by="owner@example.com")
    assert (registration_settings(shop.pk).approval_required, registration_settings(shop.pk).updated_by) == (True, "owner@example.com")
