"""Billing plans and the limits other domains enforce (parties, uploads).

The one source of a plan's limits: parties cap `max_participants` with `plan_limits(user)`,
videos check `uploads`, `upload_quota_bytes` and `max_upload_bytes`. Billing
(watchparty.services.billing) sells the plans at `price_cents` per month and keeps
`User.plan` on the plan in force. A user whose plan is unknown gets the free plan's limits.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchparty.tables import User

__all__ = ["PlanLimits", "Plan", "PLANS", "PLAN_CATALOG", "DEFAULT_PLAN", "plan_limits"]

GIB = 1024**3


@dataclass(frozen=True, slots=True)
class PlanLimits:
    max_participants: int
    uploads: bool
    upload_quota_bytes: int
    max_upload_bytes: int = 2 * GIB


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan as billing sells it (the `Plan` schema of specs/schemas/billing.yaml)."""

    slug: str
    name: str
    description: str
    price_cents: int
    limits: PlanLimits
    features: tuple[str, ...]
    currency: str = "usd"
    interval: str = "month"


DEFAULT_PLAN = "free"
# Cheapest first: billing compares prices to tell an upgrade from a downgrade.
PLAN_CATALOG: dict[str, Plan] = {
    plan.slug: plan
    for plan in (
        Plan(
            slug="free",
            name="Free",
            description="Watch together with a few friends.",
            price_cents=0,
            limits=PlanLimits(max_participants=10, uploads=True, upload_quota_bytes=5 * GIB),
            features=("10 guests per party", "5 GB of uploads"),
        ),
        Plan(
            slug="plus",
            name="Plus",
            description="Bigger parties and more room for your uploads.",
            price_cents=499,
            limits=PlanLimits(max_participants=50, uploads=True, upload_quota_bytes=50 * GIB),
            features=("50 guests per party", "50 GB of uploads"),
        ),
        Plan(
            slug="pro",
            name="Pro",
            description="Large parties and plenty of storage.",
            price_cents=999,
            limits=PlanLimits(max_participants=200, uploads=True, upload_quota_bytes=500 * GIB),
            features=("200 guests per party", "500 GB of uploads"),
        ),
    )
}
PLANS: dict[str, PlanLimits] = {slug: plan.limits for slug, plan in PLAN_CATALOG.items()}


def plan_limits(user: User) -> PlanLimits:
    return PLANS.get(user.plan, PLANS[DEFAULT_PLAN])
