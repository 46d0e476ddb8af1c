"""The gettext catalogs: every language of saleor_mlm/locale complete (German, English and
French at least), the compiled files in step with the sources, and the API answering in the
language the client asks for."""

import gettext
from pathlib import Path

import polib
import pytest

import saleor_mlm

LOCALE = Path(saleor_mlm.__file__).parent / "locale"
CATALOGS = sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_the_languages_are_the_catalogs_present():
    from django.conf import settings

    assert {"de", "en", "fr"} <= set(CATALOGS)
    assert [code for code, _name in settings.LANGUAGES] == CATALOGS


@pytest.mark.parametrize("language", CATALOGS)
def test_every_message_is_translated_and_compiled(language):
    source = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)

    singular = [entry for entry in source if not entry.msgid_plural]
    plural = [entry for entry in source if entry.msgid_plural]

    assert len(singular) > 0
    assert [entry.msgid for entry in source if "fuzzy" in entry.flags] == []
    assert [entry.msgid for entry in singular if not entry.msgstr] == []
    assert [entry.msgid for entry in plural if not all(entry.msgstr_plural.get(form) for form in (0, 1))] == []
    # `compilemessages` after every change of the .po: the .mo answers each entry with its msgstr.
    assert [
        entry.msgid for entry in singular
        if (compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)) != entry.msgstr
    ] == []
    assert [
        entry.msgid for entry in plural
        if (compiled.ngettext(entry.msgid, entry.msgid_plural, 1), compiled.ngettext(entry.msgid, entry.msgid_plural, 2))
        != (entry.msgstr_plural[0], entry.msgstr_plural[1])
    ] == []


@pytest.mark.django_db
@pytest.mark.parametrize(("accept_language", "message"), [
    ("de-DE,de;q=0.9", "Der Inhalt ist kein gültiges JSON."),
    ("fr-BE,fr;q=0.9,en;q=0.5", "Le contenu n'est pas du JSON valide."),
    ("it,fr;q=0.8", "Le contenu n'est pas du JSON valide."),
    ("en", "The body is not valid JSON."),
    ("", "The body is not valid JSON."),
])
def test_the_api_answers_in_the_language_asked_for(client, accept_language, message):
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = client.post("/graphql/", data=b"{not json", content_type="application/json", headers=headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


@pytest.mark.parametrize(("language", "message"), [
    ("de", "Ein Anteil muss zwischen 0 und 1 liegen (0,25 sind 25 %); erhalten: 1.5."),
    ("en", "A share must be between 0 and 1 (0.25 is 25 %); got 1.5."),
    ("fr", "Une part doit être comprise entre 0 et 1 (0,25 correspond à 25 %)\u00a0; reçu\u00a0: 1.5."),
])
def test_a_domain_refusal_speaks_the_active_language(language, message):
    from django.utils import translation

    from saleor_mlm.core.errors import DomainError
    from saleor_mlm.network.shares import clean_share

    with translation.override(language), pytest.raises(DomainError) as refusal:
        clean_share("1.5")

    assert refusal.value.message == message
    assert refusal.value.messages == [message]


def test_no_domain_refusal_is_left_outside_the_catalogs():
    """Every `DomainError(code, message)` in the app passes its message through gettext:
    a bare string or f-string there would reach a German partner in English."""
    import ast

    bare = []
    for path in Path(saleor_mlm.__file__).parent.rglob("*.py"):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DomainError" and len(node.args) > 1:
                if isinstance(node.args[1], ast.Constant | ast.JoinedStr):
                    bare.append(f"{path.name}:{node.lineno}")
    assert bare == []
