"""`saleor-mlm api-key create|list|revoke`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.graphql.api_keys import authenticate_api_key
from saleor_mlm.graphql.models import ApiKey


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_key_once_and_stores_its_hash(gql_installation):
    out, err = run("create", "--installation", "https://mlm-shop.example.com/graphql", "--name", "ERP export")

    raw_key = out.strip()
    stored = ApiKey.objects.get()
    assert raw_key.startswith("mlm_") and len(raw_key) > 40
    assert err == "API key 'ERP export' for https://mlm-shop.example.com/graphql/ (shown once, store it now):\n"
    assert (stored.name, stored.installation_id, stored.prefix) == ("ERP export", gql_installation.pk, raw_key[:10])
    assert raw_key not in stored.hashed_key
    assert authenticate_api_key(raw_key).pk == stored.pk


def test_list_and_revoke(gql_installation):
    out, _ = run("create", "--installation", gql_installation.saleor_api_url, "--name", "script")
    prefix = out.strip()[:10]

    listed, _ = run("list", "--installation", gql_installation.saleor_api_url)
    revoked, _ = run("revoke", "--installation", gql_installation.saleor_api_url, "--prefix", prefix)

    assert listed == f"{prefix}\tscript\tactive\tlast used never\n"
    assert revoked == "Revoked 'script'.\n"
    assert authenticate_api_key(out.strip()) is None


def test_unknown_installation(db):
    with pytest.raises(CommandError, match="No installation has the Saleor API URL 'https://nowhere.example.com/graphql/'"):
        run("create", "--installation", "https://nowhere.example.com/graphql/", "--name", "x")
