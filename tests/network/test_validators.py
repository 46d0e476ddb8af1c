"""The fast path of the import's e-mail check agrees with `clean_email` (Django's validator)."""

import pytest

from saleor_mlm.network.validators import clean_email, emails_to_clean

ADDRESSES = [
    "a@b.de", "Anna.Berg+shop@Example.COM", "x_y-z@sub.sub.example.co.uk", "o'neil@example.ie", "a@xn--bcher-kva.ch",
    "bad", "", " a@b.de", "a@b.de ", "a..b@x.de", ".a@x.de", "a.@x.de", "a@b", "a@-b.de", "a@b-.de", "a@b.d", "a@b.123",
    "ü@x.de", "a@bücher.de", '"quoted"@x.de', "a@[127.0.0.1]", "a@b@c.de", "a b@c.de", "x" * 310 + "@example.com",
    "a@" + "b" * 64 + ".de", "a@localhost", "a\tb@c.de",
]  # fmt: skip


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_left_out_by_the_fast_path_is_one_clean_email_returns_unchanged(address):
    if 0 in emails_to_clean([address]):
        return  # checked one by one by clean_email itself
    assert clean_email(address) == address


def test_the_fast_path_leaves_out_the_plain_ones_only():
    flagged = emails_to_clean(ADDRESSES)
    assert flagged == [i for i, a in enumerate(ADDRESSES) if i >= 5]  # the first five are plain
    assert emails_to_clean(["a@b.de", "multi\nline@b.de"]) == [0, 1]  # a line break: all one by one
