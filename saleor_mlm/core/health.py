"""What `/healthz` checks beyond the database and the broker.

Domain apps register their checks from `AppConfig.ready()` (the webhooks app: the age of its
backlog), so that core imports none of them::

    register_health_check("webhooks", backlog_check)   # () -> HealthCheckResult
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HealthCheckResult:
    summary: str  # under "checks": "ok", or what is wrong in a few words
    healthy: bool  # False answers 503
    detail: dict[str, Any] = field(default_factory=dict)  # under "details", for people and monitors


HealthCheck = Callable[[], HealthCheckResult]
_checks: dict[str, HealthCheck] = {}


def register_health_check(name: str, check: HealthCheck) -> None:
    _checks[name] = check


def registered_health_checks() -> dict[str, HealthCheck]:
    return dict(_checks)
