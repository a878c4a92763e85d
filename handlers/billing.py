"""REST operations of the `billing` tag: plans, the caller's subscription, invoices.

Rules live in `watchparty.services.billing` (docs/billing.md); upgrades run through
`watchparty.idempotency` so a replayed `Idempotency-Key` never charges twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.idempotency import request_idempotency_key, run_idempotent
from watchparty.pagination import paginate
from watchparty.runtime import runtime
from watchparty.services import billing
from watchparty.services.payments import payment_provider
from watchparty.tables import Invoice, User

__all__ = [
    "list_plans",
    "get_subscription",
    "upgrade_subscription",
    "cancel_subscription",
    "list_invoices",
]


async def list_plans() -> Answer:
    return billing.plans_json(), 200


async def get_subscription(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        provider = payment_provider(runtime().settings)
        sub = await billing.settle_subscription(session, user=me, provider=provider, now=utcnow())
        await session.commit()
        return await billing.subscription_json(session, user=me, sub=sub), 200


async def upgrade_subscription(body: Body, token_info: TokenInfo) -> Answer:
    key = request_idempotency_key()
    async with caller(token_info) as (session, me):
        user_id = me.id

        async def upgrade(session: AsyncSession) -> Answer:
            user = await session.get_one(User, user_id)
            sub, invoice = await billing.check_upgrade(
                session,
                user=user,
                provider=payment_provider(runtime().settings),
                plan_slug=body["plan"],
                payment_method=body.get("payment_method"),
                idempotency_key=key or uuid.uuid4().hex,
                now=utcnow(),
            )
            await session.flush()
            return {
                "subscription": await billing.subscription_json(session, user=user, sub=sub),
                "invoice": billing.invoice_json(invoice) if invoice else None,
            }, 200

        return await run_idempotent(
            session=session,
            user_id=user_id,
            operation="upgradeSubscription",
            key=key,
            body=body,
            action=upgrade,
        )


async def cancel_subscription(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        provider = payment_provider(runtime().settings)
        sub = await billing.check_cancel(session, user=me, provider=provider, now=utcnow())
        await session.commit()
        return await billing.subscription_json(session, user=me, sub=sub), 200


async def list_invoices(token_info: TokenInfo, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            billing.invoices_query(user=me),
            params=query,
            serialize=billing.invoice_json,
            order="newest",
            key=(Invoice.created_at, Invoice.id),  # type: ignore[arg-type]
        )
        return page, 200
