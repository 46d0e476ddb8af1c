"""A fixed-window rate limit on Django's cache.

The cache is the project's default one: per process (locmem) unless settings configure
a shared cache such as Redis, in which case the limit holds across workers. With locmem
every worker process counts on its own, so the effective limit is the limit times the
number of workers.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one hit for `key`; False when `key` went over `limit` in the current window."""
    window = int((time.time() if now is None else now) // window_seconds)
    cache_key = f"mlm-graphql:ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, window_seconds + 1):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds + 1)
        return True
