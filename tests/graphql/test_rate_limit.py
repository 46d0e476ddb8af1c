"""`referralCodeValidate`'s rate limit holds across processes by default when Redis is
configured (issue 13, item 8): two separate processes, each with the settings a
deployment gets from its environment, share one counter in the real Redis."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
REPOSITORY = Path(__file__).resolve().parents[2]

# One web process: Django set up from the environment, `hits` checks of one key.
WEB_PROCESS = """
import json, sys
import django
django.setup()
from django.core.cache import caches
from saleor_mlm.graphql.core import ratelimit
key, hits, now = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
allowed = [ratelimit.allow(key, 10, 60, now=now) for _ in range(hits)]
print(json.dumps({"cache": type(caches[ratelimit.CACHE]).__name__, "allowed": allowed}))
"""


def web_process(environment: dict[str, str], key: str, hits: int, now: float) -> dict:
    # The suite's own environment (settings module, keys), without any Redis but `environment`'s.
    env = {name: value for name, value in os.environ.items() if name not in ("CACHE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(environment)
    env.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    finished = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS, key, str(hits), str(now)],
        env=env,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("variable", ["REDIS_URL", "CELERY_BROKER_URL"])
def test_two_processes_share_one_counter_in_redis(variable):
    """Without CACHE_URL, the Redis of REDIS_URL or of the Celery broker counts."""
    key, now = f"referral-code:test:{uuid4().hex}", time.time()

    first = web_process({variable: REDIS_URL}, key, 6, now)
    second = web_process({variable: REDIS_URL}, key, 6, now)

    assert first == {"cache": "RedisCache", "allowed": [True] * 6}
    assert second == {"cache": "RedisCache", "allowed": [True] * 4 + [False] * 2}


@pytest.mark.slow
def test_without_any_redis_each_process_counts_alone():
    key, now = f"referral-code:test:{uuid4().hex}", time.time()

    first = web_process({}, key, 6, now)
    second = web_process({}, key, 6, now)

    assert first == second == {"cache": "LocMemCache", "allowed": [True] * 6}
