"""The demo's stand-in for the shop's Saleor: the account mutations of Saleor's public API.

On a shop the partner office's registration page creates the visitor's shop account with
Saleor's `accountRegister` and signs it in with `tokenCreate` (and `tokenRefresh`), in the
browser, against the shop's Saleor. The demo has no Saleor, so the demo server answers these
mutations itself at `/office/demo-saleor/graphql/` (`config.json` names it as the office's
`accountsUrl`), with Saleor's own types: `demo_saleor.graphql` is an excerpt of Saleor's
schema (a test compares it with the schema captured from a running Saleor,
tests/federation/saleor/schema.graphql), and the documents run through graphql-core against
it, so a document Saleor would refuse is refused here too.

What it does as Saleor does:

- `accountRegister` checks the e-mail and the password with Django's password validators
  (Saleor's AUTH_PASSWORD_VALIDATORS: too short, too common, entirely numeric, too similar)
  and answers their codes upper case (`PASSWORD_TOO_SHORT`). An e-mail that has an account
  already is not revealed: the answer is the same, nothing changes (Saleor since 3.15).
  No e-mail confirmation (`requiresConfirmation: false`).
- `tokenCreate` checks the password (`INVALID_CREDENTIALS` on `email` otherwise) and signs
  an access token and a refresh token with the demo installation's key, shaped as Saleor's.
  The demo's own partners and customers with a shop account have no password: like the
  demo's sign-in, their e-mail is enough.
- `tokenRefresh` gives a new access token for a refresh token it signed.

Accounts created here are kept in the data directory (`demo-shop-accounts.json`, passwords
hashed). Only in the demo server; everywhere else the endpoint answers 404.
"""

from __future__ import annotations

import base64
import fcntl
import json
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from graphql import build_schema, graphql_sync

from saleor_mlm.installations.demo import demo_signer, sign_demo_token
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Customer, Partner

from .demo import access_claims

SCHEMA = build_schema((Path(__file__).resolve().parent / "demo_saleor.graphql").read_text(encoding="utf-8"))
ACCOUNTS_FILE = "demo-shop-accounts.json"
REFRESH_LIFETIME = 30 * 24 * 3600
FIRST_USER_NUMBER = 5_000_000  # above the demo network's users (demo/network.py)
PASSWORD_VALIDATORS = (UserAttributeSimilarityValidator(), MinimumLengthValidator(), CommonPasswordValidator(), NumericPasswordValidator())


def user_id(number: int) -> str:
    return base64.b64encode(f"User:{number}".encode()).decode()


def _error(field: str | None, code: str, message: str) -> dict[str, Any]:
    return {"field": field, "code": code, "message": message, "addressType": None, "attributes": None}


def _answer(errors: list[dict], **fields) -> dict[str, Any]:
    return {**fields, "errors": errors, "accountErrors": errors}


class AccountStore:
    """The demo shop's accounts created through `accountRegister` (a JSON file, locked while written)."""

    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> list[dict[str, str]]:
        return json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else []

    def find(self, email: str) -> dict[str, str] | None:
        return next((account for account in self._read() if account["email"].lower() == email.strip().lower()), None)

    def by_id(self, saleor_user_id: str) -> dict[str, str] | None:
        return next((account for account in self._read() if account["id"] == saleor_user_id), None)

    def add(self, email: str, password: str, first_name: str, last_name: str) -> dict[str, str] | None:
        """The new account, or None when the e-mail has one already."""
        with self._locked():
            accounts = self._read()
            if any(account["email"].lower() == email.lower() for account in accounts):
                return None
            account = {
                "id": user_id(FIRST_USER_NUMBER + len(accounts) + 1),
                "email": email,
                "password": make_password(password),
                "first_name": first_name,
                "last_name": last_name,
            }
            self.path.write_text(json.dumps([*accounts, account], indent=1), encoding="utf-8")
        return account


def account_store() -> AccountStore:
    return AccountStore(Path(settings.DATA_DIR) / ACCOUNTS_FILE)


class DemoSaleor:
    """The root of the stand-in's schema: graphql-core calls `tokenCreate(info, **arguments)`."""

    def __init__(self, installation: Installation, store: AccountStore, bearer: str = ""):
        self.installation = installation
        self.store = store
        self.bearer = bearer

    # -- the shop's users ----------------------------------------------------------------
    def _demo_person(self, email: str) -> Partner | Customer | None:
        """A partner or customer of the demo network with a shop account (no password)."""
        for model in (Partner, Customer):
            person = model.objects.filter(installation=self.installation, email__iexact=email.strip()).exclude(saleor_user_id="").first()
            if person is not None:
                return person
        return None

    def _user(self, saleor_user_id: str, email: str, first_name: str = "", last_name: str = "") -> dict[str, Any]:
        return {"id": saleor_user_id, "email": email, "firstName": first_name, "lastName": last_name, "isActive": True, "isConfirmed": True}

    def _tokens(self, saleor_user_id: str, email: str) -> dict[str, str]:
        issued = int(time.time())
        access = access_claims(self.installation, saleor_user_id, email, issued)
        csrf = uuid.uuid4().hex
        refresh = {**access, "exp": issued + REFRESH_LIFETIME, "type": "refresh", "csrfToken": csrf}
        del refresh["is_staff"]
        return {"token": sign_demo_token(access), "refreshToken": sign_demo_token(refresh), "csrfToken": csrf}

    def _claims(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this stand-in signed (and not expired); None for anything else."""
        try:
            return jwt.decode(token, demo_signer().private_key.public_key(), algorithms=["RS256"])
        except jwt.PyJWTError:
            return None

    # -- Mutation ------------------------------------------------------------------------
    def tokenCreate(self, info, email: str, password: str, audience: str | None = None):
        account = self.store.find(email)
        if account is not None and check_password(password, account["password"]):
            tokens = self._tokens(account["id"], account["email"])
            return _answer([], **tokens, user=self._user(account["id"], account["email"], account["first_name"], account["last_name"]))
        person = self._demo_person(email) if account is None else None
        if person is not None:
            tokens = self._tokens(person.saleor_user_id, person.email)
            return _answer([], **tokens, user=self._user(person.saleor_user_id, person.email, person.first_name, person.last_name))
        return _answer(
            [_error("email", "INVALID_CREDENTIALS", "Please, enter valid credentials")], token=None, refreshToken=None, csrfToken=None, user=None
        )

    def tokenRefresh(self, info, refreshToken: str | None = None, csrfToken: str | None = None):
        if not refreshToken:
            return _answer([_error("refreshToken", "JWT_MISSING_TOKEN", "Missing refreshToken")], token=None, user=None)
        claims = self._claims(refreshToken)
        if claims is None or claims.get("type") != "refresh":
            return _answer([_error("refreshToken", "JWT_INVALID_TOKEN", "Invalid token")], token=None, user=None)
        tokens = self._tokens(claims["user_id"], claims["email"])
        return _answer([], token=tokens["token"], user=self._user(claims["user_id"], claims["email"]))

    def accountRegister(self, info, input: dict[str, Any]):
        email = (input.get("email") or "").strip()
        first_name, last_name = input.get("firstName") or "", input.get("lastName") or ""
        try:
            validate_email(email)
        except ValidationError:
            return _answer([_error("email", "INVALID", "Enter a valid email address.")], user=None, requiresConfirmation=None)
        errors: list[dict[str, Any]] = []
        person = User(email=email, first_name=first_name, last_name=last_name)  # what the similarity check compares with; never saved
        for validator in PASSWORD_VALIDATORS:
            try:
                validator.validate(input.get("password") or "", person)
            except ValidationError as refused:
                errors.extend(_error("password", (error.code or "invalid").upper(), " ".join(error.messages)) for error in refused.error_list)
        if errors:
            return _answer(errors, user=None, requiresConfirmation=None)
        if self._demo_person(email) is None:
            self.store.add(email, input["password"], first_name, last_name)
        # As Saleor: the same answer whether or not the e-mail had an account (no user id).
        return _answer([], user=self._user("", email, first_name, last_name), requiresConfirmation=False)

    # -- Query ---------------------------------------------------------------------------
    def me(self, info):
        """The user of the request's access token (null without one, as Saleor answers)."""
        claims = self._claims(self.bearer)
        if claims is None or claims.get("type") != "access":
            return None
        account = self.store.by_id(claims["user_id"])
        if account is not None:
            return self._user(account["id"], account["email"], account["first_name"], account["last_name"])
        return self._user(claims["user_id"], claims["email"])


def execute(installation: Installation, body: dict[str, Any], *, bearer: str = "", store: AccountStore | None = None) -> dict[str, Any]:
    """Saleor's answer to a GraphQL request `{query, variables, operationName}`."""
    result = graphql_sync(
        SCHEMA,
        body.get("query") or "",
        root_value=DemoSaleor(installation, store or account_store(), bearer),
        variable_values=body.get("variables") or None,
        operation_name=body.get("operationName"),
    )
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    return answer
