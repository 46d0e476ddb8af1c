"""Reading a network import file: the engine's exchange format plus people's details.

Terms
-----
node
    A data row of the file, numbered in file order (as in the engine's `PartnerRows`).
relation columns
    `id,kind,sponsor_id,care_id,care_share,status,career_rank`: the engine's
    `partners.csv` (docs/compensation.md, section 6). `sponsor_id` and `care_id` name an
    `id` of the file or, failing that, the referral code of a partner already here.
detail columns
    `email,first_name,last_name,referral_code,saleor_user_id,country,language,balance`,
    each optional. An empty cell leaves what is stored as it is (a new partner gets the
    app's default); `referral_code`, `country`, `language` and `balance` are a
    partner's only.

Everything this module checks needs the file only; what needs the database (who exists
already, cycles through partners outside the file, ...) is `import_plan`. Every problem
goes to an `ExchangeErrors` that collects them all, at `file:line:column`; each check is
the engine's (exchange format) or the network's own (`validators`, `codes`, `shares`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress, repeat

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine.exchange import (
    PARTNER_COLUMNS,
    Chunk,
    ExchangeErrors,
    ExchangeFileError,
    PartnerRows,
    parse_partner_rows,
    read_chunks,
)

from .codes import CODE_PATTERN, clean_referral_code
from .validators import clean_country, clean_email, clean_language, clean_name, emails_to_clean

DETAIL_COLUMNS = ("email", "first_name", "last_name", "referral_code", "saleor_user_id", "country", "language", "balance")
PARTNER_ONLY_COLUMNS = ("referral_code", "country", "language", "balance")
# Lines that are no well-formed referral code as they are (the pattern of `codes`).
_NOT_A_CODE_LINE = re.compile(rf"^(?!{CODE_PATTERN.pattern.strip('^$')}$).*$", re.MULTILINE)
# A customers file needs no partner columns: `kind` is "customer" where it is left out.
CUSTOMER_REQUIRED_COLUMNS = ("id", "sponsor_id")


def _message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


@dataclass
class ImportFile:
    """A checked import file: the engine's rows and the cleaned details per node ("" where
    the cell is empty or the column missing)."""

    rows: PartnerRows
    name: str
    sha256: str
    columns: set[str]  # the detail columns the header names
    email: list[str]
    email_key: list[str]  # upper case: e-mails are compared case-insensitively
    first_name: list[str]
    last_name: list[str]
    referral_code: list[str]  # normalized (upper case)
    saleor_user_id: list[str]
    country: list[str]
    language: list[str]
    career_rank: list[str]
    balance: dict[int, Decimal] = field(default_factory=dict)  # node -> balance given

    def __len__(self) -> int:
        return len(self.rows)


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _with_defaults(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """A customers file's chunks with the relation columns it may leave out. A row that
    says it is a partner is reported once, at its kind (so it gets a status here)."""
    for chunk in chunks:
        count = len(chunk.lines)
        for name in PARTNER_COLUMNS:
            if name not in chunk.columns:
                if name == "status" and "kind" in chunk.columns:
                    chunk.columns[name] = ["active" if kind == "partner" else "" for kind in chunk.columns["kind"]]
                else:
                    chunk.columns[name] = ["customer" if name == "kind" else ""] * count
                chunk.column_numbers[name] = 1
        yield chunk


def read_import_file(
    path: str,
    errors: ExchangeErrors,
    *,
    customers_only: bool = False,
    career_ranks: Sequence[str] = (),
    clean_balance: Callable[[str], Decimal] | None = None,
    progress: Callable[[float], None] | None = None,
) -> ImportFile | None:
    """Read and check the file; None when it cannot be read at all (the reason is in
    `errors`) or has no rows. `career_ranks`: the codes of the plan in force;
    `clean_balance`: the periods' amount check (None: balances cannot be imported)."""
    name = os.path.basename(path)
    try:
        if customers_only:
            optional = tuple(column for column in PARTNER_COLUMNS if column not in CUSTOMER_REQUIRED_COLUMNS) + DETAIL_COLUMNS
            chunks = _with_defaults(read_chunks(path, CUSTOMER_REQUIRED_COLUMNS, name, progress, optional, errors))
        else:
            chunks = read_chunks(path, PARTNER_COLUMNS, name, progress, DETAIL_COLUMNS, errors)
        careers = {code: index for index, code in enumerate(career_ranks)}
        careers[""] = -1
        rows = parse_partner_rows(chunks, careers, errors)
    except ExchangeFileError as error:  # the header, not UTF-8: nothing else can be read
        errors.add(error)
        return None
    if rows is None:
        return None
    count = len(rows)
    present = {column for column in DETAIL_COLUMNS if column in rows.extra}

    def column(name: str) -> list[str]:
        return rows.extra.get(name) or [""] * count

    found = ImportFile(
        rows=rows,
        name=name,
        sha256=file_digest(path),
        columns=present,
        email=[""] * count,
        email_key=[""] * count,
        first_name=list(map(clean_name, column("first_name"))),
        last_name=list(map(clean_name, column("last_name"))),
        referral_code=[""] * count,
        saleor_user_id=[text.strip() for text in column("saleor_user_id")],
        country=[""] * count,
        language=[""] * count,
        career_rank=[career_ranks[index] if index >= 0 else "" for index in rows.career.tolist()],
    )
    if customers_only:
        for node in np.flatnonzero(rows.is_partner).tolist():
            errors.add(rows.error(node, "kind", _("a customers file holds customers only: import partners with 'network import'")))
    _check_partner_only_columns(found, errors)
    _check_emails(found, column("email"), errors)
    _check_codes(found, column("referral_code"), errors)
    _check_saleor_users(found, errors)
    found.country = _per_distinct_value(found, column("country"), "country", clean_country, errors)
    found.language = _per_distinct_value(found, column("language"), "language", clean_language, errors)
    _check_balances(found, column("balance"), clean_balance, errors)
    _check_people_can_be_found_again(found, errors)
    return found


def _nodes_with_text(texts: list[str]) -> list[int]:
    return np.flatnonzero(np.fromiter(map(len, texts), np.int64, count=len(texts))).tolist()


def _check_partner_only_columns(found: ImportFile, errors: ExchangeErrors) -> None:
    rows = found.rows
    for name in PARTNER_ONLY_COLUMNS:
        texts = rows.extra.get(name)
        if not texts:
            continue
        for node in _nodes_with_text(texts):
            if not rows.is_partner[node] and texts[node].strip():
                errors.add(rows.error(node, name, _("%(column)s must be empty for a customer") % {"column": name}))


def _report_repeats(found: ImportFile, keys: list[str], name: str, errors: ExchangeErrors, message: str, shown: list[str] | None = None) -> None:
    """Report a key that an earlier row of the same kind has already (partners among
    partners, customers among customers). `message` has %(value)s (`shown`, default the
    key) and %(line)d."""
    rows = found.rows
    shown = shown or keys
    kinds = (rows.is_partner.tolist(), (~rows.is_partner).tolist())
    given = [[key for key in compress(keys, kind) if key] for kind in kinds]
    if all(len(set(values)) == len(values) for values in given):
        return  # no key twice (a million keys: one set each, no loop in Python)
    first: dict[tuple[bool, str], int] = {}
    for node in _nodes_with_text(keys):
        earlier = first.setdefault((bool(rows.is_partner[node]), keys[node]), node)
        if earlier != node:
            errors.add(rows.error(node, name, message % {"value": shown[node], "line": int(rows.lines[earlier])}))


def _check_emails(found: ImportFile, texts: list[str], errors: ExchangeErrors) -> None:
    rows = found.rows
    found.email = list(texts)
    for node in emails_to_clean(texts):  # the others are plain addresses
        if not texts[node].strip():
            found.email[node] = ""
            continue
        try:
            found.email[node] = clean_email(texts[node])
        except DomainError as error:
            errors.add(rows.error(node, "email", _message(error)))
            found.email[node] = ""
    found.email_key = [email.upper() for email in found.email]
    message = _("the e-mail address %(value)s is in line %(line)d already (e-mail addresses are compared ignoring case)")
    _report_repeats(found, found.email_key, "email", errors, message, shown=found.email)


def _check_codes(found: ImportFile, texts: list[str], errors: ExchangeErrors) -> None:
    """Referral codes as `clean_referral_code` has them. The well-formed ones (its
    pattern, upper case already) are found in one scan; only the others go through it."""
    rows = found.rows
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        to_clean = _nodes_with_text(texts)
    else:
        upper = joined.upper()
        found.referral_code = upper.split("\n")
        to_clean = []
        line, position = 0, 0
        for match in _NOT_A_CODE_LINE.finditer(upper):
            line += upper.count("\n", position, match.start())
            position = match.start()
            to_clean.append(line)
    for node in to_clean:
        found.referral_code[node] = ""
        if not texts[node].strip():
            continue
        try:
            found.referral_code[node] = clean_referral_code(texts[node])
        except DomainError as error:
            if rows.is_partner[node]:  # a customer's code is reported as not allowed
                errors.add(rows.error(node, "referral_code", _message(error)))
    if not rows.is_partner.all():
        for node in np.flatnonzero(~rows.is_partner).tolist():
            found.referral_code[node] = ""
    message = _("the referral code %(value)s is in line %(line)d already (codes are compared ignoring case)")
    _report_repeats(found, found.referral_code, "referral_code", errors, message)


def _check_saleor_users(found: ImportFile, errors: ExchangeErrors) -> None:
    message = _("the Saleor user %(value)s is in line %(line)d already")
    _report_repeats(found, found.saleor_user_id, "saleor_user_id", errors, message)


def _per_distinct_value(found: ImportFile, texts: list[str], name: str, clean, errors: ExchangeErrors) -> list[str]:
    """Clean each distinct value once (a million rows have a few hundred countries)."""
    rows = found.rows
    cleaned: dict[str, str] = {}
    refused: dict[str, DomainError] = {}
    for text in set(texts):
        if text.strip():
            try:
                cleaned[text] = clean(text)
            except DomainError as error:
                refused[text] = error
    result = list(map(cleaned.get, texts, repeat("")))
    if refused:
        for node, text in enumerate(texts):
            if text in refused and rows.is_partner[node]:  # a customer's is reported as not allowed
                errors.add(rows.error(node, name, _message(refused[text])))
    if not rows.is_partner.all():
        for node in np.flatnonzero(~rows.is_partner).tolist():
            result[node] = ""
    return result


def _check_balances(found: ImportFile, texts: list[str], clean_balance, errors: ExchangeErrors) -> None:
    rows = found.rows
    for node in _nodes_with_text(texts):
        text = texts[node].strip()
        if not text or not rows.is_partner[node]:
            continue
        if clean_balance is None:
            errors.add(rows.error(node, "balance", _("balances cannot be imported here")))
            continue
        try:
            found.balance[node] = clean_balance(text)
        except ValidationError as error:
            errors.add(rows.error(node, "balance", _message(error)))


def _check_people_can_be_found_again(found: ImportFile, errors: ExchangeErrors) -> None:
    """A customer is found again (by the next import, by orders) by its Saleor user or
    its e-mail: a row without either could only ever be created anew."""
    rows = found.rows
    column = "email" if "email" in found.columns else "id"
    given = rows.extra.get("email") or [""] * len(rows)
    for node in np.flatnonzero(~rows.is_partner).tolist():
        if not found.saleor_user_id[node] and not given[node].strip():
            errors.add(rows.error(node, column, _("a customer needs an e-mail address or a saleor_user_id")))
