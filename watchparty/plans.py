"""Billing plans and the limits other domains enforce (parties, uploads).

The one source of a plan's limits: parties cap `max_participants` with `plan_limits(user)`,
videos check `uploads` and `upload_quota_bytes`. Billing (issue 7) sells the plans; prices
live with it. A user whose plan is unknown gets the free plan's limits.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchparty.tables import User

__all__ = ["PlanLimits", "PLANS", "DEFAULT_PLAN", "plan_limits"]

GIB = 1024**3


@dataclass(frozen=True, slots=True)
class PlanLimits:
    max_participants: int
    uploads: bool
    upload_quota_bytes: int


DEFAULT_PLAN = "free"
PLANS: dict[str, PlanLimits] = {
    "free": PlanLimits(max_participants=10, uploads=True, upload_quota_bytes=5 * GIB),
    "plus": PlanLimits(max_participants=50, uploads=True, upload_quota_bytes=50 * GIB),
    "pro": PlanLimits(max_participants=200, uploads=True, upload_quota_bytes=500 * GIB),
}


def plan_limits(user: User) -> PlanLimits:
    return PLANS.get(user.plan, PLANS[DEFAULT_PLAN])
