"""Text shown to people (messages stored for the merchant, answers to Saleor)."""

from __future__ import annotations


def quoted(value, limit: int = 40) -> str:
    """`repr` of a value for a message, cut to `limit` characters: a message stays
    readable whatever the value (a 10,000-character id, a megabyte of metadata).

    >>> quoted("12,5")
    "'12,5'"
    >>> quoted("x" * 100, limit=8)
    "'xxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
