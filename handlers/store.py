"""REST operations of the `store` tag: catalog, purchases, inventory and credit balance.

A purchase runs through `watchparty.idempotency` (its `Idempotency-Key` is required by the
spec), so a replay, even a concurrent one, answers the first result and charges once.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.idempotency import request_idempotency_key, run_idempotent
from watchparty.pagination import paginate
from watchparty.runtime import runtime
from watchparty.services import store
from watchparty.services.payments import payment_provider
from watchparty.tables import OwnedItem, Purchase, StoreItem, User

__all__ = [
    "list_store_items",
    "get_store_item",
    "purchase_store_item",
    "list_purchases",
    "get_purchase",
    "list_owned_items",
    "get_store_balance",
]


async def list_store_items(
    token_info: TokenInfo, kind: str | None = None, owned: bool | None = None, **query: Any
) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            store.items_query(user=me, kind=kind, owned=owned),
            params=query,
            serialize=store.item_row_json,
            order="oldest",
            key=(StoreItem.created_at, StoreItem.id),  # type: ignore[arg-type]
        )
        return page, 200


async def get_store_item(itemId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        return await store.access_item(session=session, user=me, item_id=itemId), 200


async def purchase_store_item(body: Body, token_info: TokenInfo) -> Answer:
    key = request_idempotency_key()
    settings = runtime().settings
    async with caller(token_info) as (session, me):
        user_id = me.id

        async def purchase(session: AsyncSession) -> Answer:
            answer = await store.check_purchase(
                session,
                user=await session.get_one(User, user_id),
                item_id=body["item_id"],
                provider=payment_provider(settings),
                starting_credits=settings.store_starting_credits,
                idempotency_key=key or "",
                now=utcnow(),
            )
            return answer, 201

        return await run_idempotent(
            session=session,
            user_id=user_id,
            operation="purchaseStoreItem",
            key=key,
            body=body,
            action=purchase,
        )


async def list_purchases(token_info: TokenInfo, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            store.purchases_query(user=me),
            params=query,
            serialize=store.purchase_row_json,
            order="newest",
            key=(Purchase.created_at, Purchase.id),  # type: ignore[arg-type]
        )
        return page, 200


async def get_purchase(purchaseId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        return await store.access_purchase(session=session, user=me, purchase_id=purchaseId), 200


async def list_owned_items(token_info: TokenInfo, kind: str | None = None, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            store.owned_query(user=me, kind=kind),
            params=query,
            serialize=store.owned_row_json,
            order="newest",
            key=(OwnedItem.acquired_at, OwnedItem.id),  # type: ignore[arg-type]
        )
        return page, 200


async def get_store_balance(token_info: TokenInfo) -> Answer:
    settings = runtime().settings
    async with caller(token_info) as (session, me):
        balance = await store.ensure_balance(
            session, user_id=me.id, starting_credits=settings.store_starting_credits
        )
        await session.commit()
        return store.balance_json(balance), 200
