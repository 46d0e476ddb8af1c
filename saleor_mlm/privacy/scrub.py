"""Pure functions that take a person out of a value: a text, a JSON document, stored bytes.

Terms:

- *needles*: what identifies the person wherever it appears, in any case: the e-mail and
  the full name ("Anna Berg", "Berg, Anna", "Berg Anna"). A first or a last name alone is
  no needle when the person has both: another person may carry it.
- *personal keys*: the keys of a JSON document that hold a person's data (`email`,
  `firstName`, `streetAddress1`, ...). They are cleared only in documents that belong to
  the person (their orders, their webhook deliveries, the history of their record).
- *replacements*: the e-mail becomes the person's pseudonymous e-mail (the value stays a
  valid e-mail address), anything else `ERASED`.

>>> scrub_text("Order of anna@example.com (Anna Berg)", Needles("anna@example.com", "Anna", "Berg", "erased-1@erased.invalid"))
'Order of erased-1@erased.invalid ([erased])'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property

ERASED = "[erased]"

# Keys of Saleor payloads (camelCase) and of the app's own records (snake_case) that hold
# a person's data in a document of that person.
PERSONAL_KEYS = frozenset(
    {
        "email",
        "userEmail",
        "user_email",
        "firstName",
        "first_name",
        "lastName",
        "last_name",
        "name",
        "display_name",
        "displayName",
        "companyName",
        "company_name",
        "streetAddress1",
        "streetAddress2",
        "street_address_1",
        "street_address_2",
        "city",
        "cityArea",
        "postalCode",
        "postal_code",
        "countryArea",
        "phone",
        "note",
        "customerNote",
        "customer_note",
        "vatId",
        "vat_id",
        "taxId",
        "iban",
        "status_reason",
    }
)


@dataclass(frozen=True)
class Needles:
    """What identifies one person, and the e-mail that replaces theirs."""

    email: str
    first_name: str
    last_name: str
    pseudonym_email: str

    @cached_property
    def names(self) -> tuple[str, ...]:
        first, last = self.first_name.strip(), self.last_name.strip()
        if first and last:
            return (f"{first} {last}", f"{last}, {first}", f"{last} {first}")
        # One name alone is how the app names the person (`display_name`): a needle then.
        return tuple(name for name in (first, last) if name)

    @cached_property
    def all(self) -> tuple[str, ...]:
        """Every needle, longest first (a full name before a part of it)."""
        return tuple(sorted({n for n in (self.email.strip(), *self.names) if n}, key=len, reverse=True))

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        if not self.all:
            return None
        return re.compile("|".join(re.escape(needle) for needle in self.all), re.IGNORECASE)

    def replacement(self, found: str) -> str:
        return self.pseudonym_email if found.casefold() == self.email.strip().casefold() else ERASED

    def found_in(self, text: str) -> bool:
        return bool(self._pattern and self._pattern.search(text))

    def sub(self, text: str) -> str:
        if not self._pattern:
            return text
        return self._pattern.sub(lambda match: self.replacement(match.group(0)), text)


def scrub_text(text: str, needles: Needles) -> str:
    """`text` with every needle replaced."""
    return needles.sub(text) if isinstance(text, str) else text


def scrub_json(value, needles: Needles, *, personal: bool = False):
    """A JSON value with every needle replaced; with `personal` (a document of the person)
    also the values of `PERSONAL_KEYS` cleared (an e-mail becomes the pseudonym)."""
    if isinstance(value, str):
        return scrub_text(value, needles)
    if isinstance(value, list):
        return [scrub_json(item, needles, personal=personal) for item in value]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if personal and key in PERSONAL_KEYS and isinstance(item, str) and item:
                result[key] = needles.pseudonym_email if "email" in key.lower() else ERASED
            else:
                result[key] = scrub_json(item, needles, personal=personal)
        return result
    return value


def scrub_bytes(body: bytes, needles: Needles, *, personal: bool = False) -> bytes:
    """Stored bytes (a webhook body): as JSON when they parse (compact, UTF-8), else as text
    (a truncated body of an unverified request) with the needles replaced."""
    text = bytes(body).decode("utf-8", errors="surrogateescape")
    try:
        document = json.loads(text)
    except ValueError:
        return needles.sub(text).encode("utf-8", errors="surrogateescape")
    return json.dumps(scrub_json(document, needles, personal=personal), ensure_ascii=False, separators=(",", ":")).encode()


def json_escaped(needle: str) -> str:
    """How `json.dumps` with `ensure_ascii` writes a needle (Saleor's payloads escape
    non-ASCII letters: "Müller" is "M\\u00fcller")."""
    return json.dumps(needle)[1:-1]
