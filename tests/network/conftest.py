import pytest

from .saleor_stub import SaleorServer


@pytest.fixture
def voucher_saleor():
    """A local GraphQL server answering voucher calls like Saleor (see saleor_stub)."""
    with SaleorServer() as saleor:
        yield saleor


@pytest.fixture
def voucher_installation(installation_factory, voucher_saleor, settings):
    """An installation whose Saleor is `voucher_saleor`; write-back on, no client retries."""
    settings.SALEOR_WRITE_BACK = True
    settings.SALEOR_CLIENT_RETRIES = 0
    return installation_factory(saleor_api_url=voucher_saleor.url, auth_token="app-token-1")
