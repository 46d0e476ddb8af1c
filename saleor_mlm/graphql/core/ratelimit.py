"""A fixed-window rate limit on Django's cache `ratelimit`.

That cache is Redis whenever the settings know one (`CACHE_URL`, else `REDIS_URL` or a
Redis `CELERY_BROKER_URL`, see settings.py), so the limit holds across all web processes
and hosts. Only without any Redis (the demo, a single process) is it in memory, and then
every worker process counts on its own: the effective limit is the limit times the
number of workers.
"""

from __future__ import annotations

import time

from django.core.cache import caches

CACHE = "ratelimit"


def allow(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one hit for `key`; False when `key` went over `limit` in the current window."""
    cache = caches[CACHE]
    window = int((time.time() if now is None else now) // window_seconds)
    cache_key = f"mlm-graphql:ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, window_seconds + 1):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds + 1)
        return True
