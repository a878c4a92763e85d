"""Billing: subscriptions to the plans of `watchparty.plans`, upgrades, cancels, invoices.

The rules (proration, renewals, cancel at period end) are in docs/billing.md; money moves
only through `watchparty.services.payments`. `User.plan` is the plan in force (parties and
uploads read it) and changes here only. Period ends are settled lazily: the first billing
call after `current_period_end` renews the plan (one charge per period), or ends it after a
cancel, or switches to the scheduled cheaper plan.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import Conflict, PaymentRequired
from watchparty.plans import DEFAULT_PLAN, PLAN_CATALOG, Plan
from watchparty.services.payments import PaymentProvider
from watchparty.services.users import rfc3339
from watchparty.tables import Invoice, Subscription, User, Video

__all__ = [
    "plan_json",
    "plans_json",
    "invoice_json",
    "invoices_query",
    "subscription_json",
    "settle_subscription",
    "charge_invoice",
    "check_upgrade",
    "check_cancel",
    "add_month",
    "prorated_cents",
]

# Settling a long-forgotten subscription renews at most this many periods in one go.
MAX_RENEWALS_AT_ONCE = 24


def plan_json(plan: Plan) -> dict[str, Any]:
    limits = plan.limits
    return {
        "slug": plan.slug,
        "name": plan.name,
        "description": plan.description,
        "price_cents": plan.price_cents,
        "currency": plan.currency,
        "interval": plan.interval,
        "limits": {
            "max_participants": limits.max_participants,
            "uploads_allowed": limits.uploads,
            "upload_quota_bytes": limits.upload_quota_bytes,
            "max_upload_bytes": limits.max_upload_bytes,
        },
        "features": list(plan.features),
    }


def plans_json() -> list[dict[str, Any]]:
    return [plan_json(plan) for plan in PLAN_CATALOG.values()]


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": str(invoice.id),
        "number": invoice.number,
        "description": invoice.description,
        "amount_cents": invoice.amount_cents,
        "currency": invoice.currency,
        "status": invoice.status,
        "plan": invoice.plan,
        "period_start": rfc3339(invoice.period_start) if invoice.period_start else None,
        "period_end": rfc3339(invoice.period_end) if invoice.period_end else None,
        "provider": invoice.provider,
        "provider_reference": invoice.provider_reference,
        "created_at": rfc3339(invoice.created_at),
    }


def invoices_query(*, user: User) -> sa.Select[Any]:
    return select(Invoice).where(col(Invoice.user_id) == user.id)


def add_month(when: dt.datetime) -> dt.datetime:
    """The same day and time next month, clamped to the month's last day (Jan 31 -> Feb 28)."""
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def prorated_cents(
    *, old_cents: int, new_cents: int, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> int:
    """(new - old) x remaining seconds / period seconds, rounded to the nearest cent."""
    remaining = max(0.0, (end - now).total_seconds())
    period = (end - start).total_seconds()
    return round((new_cents - old_cents) * remaining / period) if period > 0 else 0


async def subscription_json(
    session: AsyncSession, *, user: User, sub: Subscription | None
) -> dict[str, Any]:
    plan = PLAN_CATALOG.get(sub.plan if sub else user.plan, PLAN_CATALOG[DEFAULT_PLAN])
    # Usage reads the videos table directly (read-only): the quota is the plan's business.
    used, count = (
        await session.exec(
            select(sa.func.coalesce(sa.func.sum(col(Video.size_bytes)), 0), sa.func.count()).where(
                col(Video.owner_id) == user.id
            )
        )
    ).one()
    return {
        "plan": plan_json(plan),
        "status": sub.status if sub else "active",
        "current_period_start": rfc3339(sub.current_period_start) if sub else None,
        "current_period_end": rfc3339(sub.current_period_end) if sub else None,
        "cancel_at_period_end": sub.cancel_at_period_end if sub else False,
        "canceled_at": rfc3339(sub.canceled_at) if sub and sub.canceled_at else None,
        "scheduled_plan": sub.scheduled_plan if sub else None,
        "usage": {
            "upload_bytes_used": int(used or 0),
            "upload_bytes_quota": plan.limits.upload_quota_bytes,
            "video_count": int(count),
        },
    }


async def charge_invoice(
    session: AsyncSession,
    *,
    provider: PaymentProvider,
    user_id: uuid.UUID,
    amount_cents: int,
    description: str,
    idempotency_key: str,
    payment_method: str | None = None,
    plan: str | None = None,
    period: tuple[dt.datetime, dt.datetime] | None = None,
) -> Invoice:
    """Charge through the provider and add the invoice (`paid` or `failed`) to the session."""
    charge = await provider.charge(
        user_id=user_id,
        amount_cents=amount_cents,
        currency="usd",
        description=description,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
    )
    invoice = Invoice(
        user_id=user_id,
        number="",
        description=description[:200],
        amount_cents=amount_cents,
        status="paid" if charge.ok else "failed",
        plan=plan,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        provider=provider.name,
        provider_reference=charge.reference,
    )
    # Human-facing and unique without a shared counter: year plus the id's first 10 hex digits.
    invoice.number = f"WP-{invoice.created_at:%Y}-{invoice.id.hex[:10].upper()}"
    session.add(invoice)
    return invoice


async def _lock_account(session: AsyncSession, user: User) -> None:
    """Serialize billing changes of one user until the caller's transaction ends.

    A no-op UPDATE of the user's row takes its row lock on PostgreSQL and the database's
    write lock on SQLite, before the subscription is read: two upgrades racing with different
    keys can then never both see the free plan and both charge. The row is read again under
    the lock.
    """
    await session.exec(
        sa.update(User)
        .where(col(User.id) == user.id)
        .values(plan=col(User.plan))
        .execution_options(synchronize_session=False)
    )
    await session.refresh(user)


def _declined() -> PaymentRequired:
    return PaymentRequired("The payment was declined.", code="payment_declined")


async def settle_subscription(
    session: AsyncSession, *, user: User, provider: PaymentProvider, now: dt.datetime
) -> Subscription | None:
    """The user's subscription with every ended period settled (caller commits).

    None means the free plan.
    """
    sub = await session.get(Subscription, user.id)
    if sub is not None and sub.current_period_end <= now:
        # Another request may be settling the same period: wait for it, then look again.
        await _lock_account(session, user)
        sub = await session.get(Subscription, user.id, populate_existing=True)
    renewals = 0
    while sub is not None and sub.current_period_end <= now:
        if sub.cancel_at_period_end or renewals >= MAX_RENEWALS_AT_ONCE:
            await session.delete(sub)
            user.plan = DEFAULT_PLAN
            sub = None
            break
        renewals += 1
        plan = PLAN_CATALOG[sub.scheduled_plan or sub.plan]
        start, end = sub.current_period_end, add_month(sub.current_period_end)
        invoice = await charge_invoice(
            session,
            provider=provider,
            user_id=user.id,
            amount_cents=plan.price_cents,
            description=f"{plan.name} plan renewal",
            idempotency_key=f"renewal:{rfc3339(start)}",
            payment_method=sub.payment_method,
            plan=plan.slug,
            period=(start, end),
        )
        if invoice.status != "paid":
            # A failed renewal ends the paid plan; the failed invoice stays as the record.
            await session.delete(sub)
            user.plan = DEFAULT_PLAN
            sub = None
            break
        sub.plan, sub.scheduled_plan = plan.slug, None
        sub.current_period_start, sub.current_period_end = start, end
        sub.updated_at = now
        user.plan = plan.slug
    session.add(user)
    return sub


async def check_upgrade(
    session: AsyncSession,
    *,
    user: User,
    provider: PaymentProvider,
    plan_slug: str,
    payment_method: str | None,
    idempotency_key: str,
    now: dt.datetime,
) -> tuple[Subscription, Invoice | None]:
    """Apply the UpgradeRequest rules (docs/billing.md); the caller commits.

    Raises:
        Conflict: `already_on_plan`.
        PaymentRequired: `payment_declined` (nothing is changed).
    """
    await _lock_account(session, user)
    sub = await settle_subscription(session, user=user, provider=provider, now=now)
    target = PLAN_CATALOG[plan_slug]
    method = payment_method or (sub.payment_method if sub else None)
    if sub is None:
        start, end = now, add_month(now)
        first = await charge_invoice(
            session,
            provider=provider,
            user_id=user.id,
            amount_cents=target.price_cents,
            description=f"{target.name} plan",
            idempotency_key=idempotency_key,
            payment_method=method,
            plan=target.slug,
            period=(start, end),
        )
        if first.status != "paid":
            raise _declined()
        sub = Subscription(
            user_id=user.id,
            plan=target.slug,
            current_period_start=start,
            current_period_end=end,
            payment_method=method,
        )
        session.add(sub)
        user.plan = target.slug
        session.add(user)
        return sub, first
    current = PLAN_CATALOG[sub.plan]
    if target.slug == current.slug:
        if not (sub.cancel_at_period_end or sub.scheduled_plan):
            raise Conflict(f"You are already on the {current.name} plan.", code="already_on_plan")
        _keep(sub, now)  # undoes a pending cancel or downgrade
        return sub, None
    invoice: Invoice | None = None
    if target.price_cents > current.price_cents:
        amount = prorated_cents(
            old_cents=current.price_cents,
            new_cents=target.price_cents,
            start=sub.current_period_start,
            end=sub.current_period_end,
            now=now,
        )
        if amount > 0:
            days_left = (sub.current_period_end - now).days
            days = (sub.current_period_end - sub.current_period_start).days
            invoice = await charge_invoice(
                session,
                provider=provider,
                user_id=user.id,
                amount_cents=amount,
                description=f"Upgrade {current.slug} -> {target.slug} "
                f"(prorated, {days_left} of {days} days)",
                idempotency_key=idempotency_key,
                payment_method=method,
                plan=target.slug,
                period=(now, sub.current_period_end),
            )
            if invoice.status != "paid":
                raise _declined()
        sub.plan = target.slug
        user.plan = target.slug
        session.add(user)
        _keep(sub, now)
    else:
        # Cheaper: the paid-for period runs out on the current plan first.
        _keep(sub, now)
        sub.scheduled_plan = target.slug
    sub.payment_method = method
    session.add(sub)
    return sub, invoice


def _keep(sub: Subscription, now: dt.datetime) -> None:
    """The subscription continues: no cancel, no scheduled change."""
    sub.status = "active"
    sub.cancel_at_period_end = False
    sub.canceled_at = None
    sub.scheduled_plan = None
    sub.updated_at = now


async def check_cancel(
    session: AsyncSession, *, user: User, provider: PaymentProvider, now: dt.datetime
) -> Subscription:
    """Cancel at period end (idempotent); the caller commits.

    Raises:
        Conflict: `no_paid_plan` on the free plan.
    """
    await _lock_account(session, user)
    sub = await settle_subscription(session, user=user, provider=provider, now=now)
    if sub is None:
        raise Conflict("You are on the free plan; there is nothing to cancel.", code="no_paid_plan")
    if not sub.cancel_at_period_end:
        sub.status = "canceled"
        sub.cancel_at_period_end = True
        sub.canceled_at = now
        sub.scheduled_plan = DEFAULT_PLAN
        sub.updated_at = now
        session.add(sub)
    return sub
