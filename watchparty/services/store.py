"""Store: the item catalog, credit balances, purchases and the items users own.

A purchase can never charge twice for one item, whatever races: the (user, item) pair of
`OwnedItem` is unique and is inserted before anything is charged, and credits leave the
balance through one conditional UPDATE that cannot go below zero. Replays of one request
are answered by `watchparty.idempotency` (the handler wraps `check_purchase` in it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from watchparty.errors import Conflict, NotFound, PaymentRequired, ValidationFailed
from watchparty.services.billing import charge_invoice
from watchparty.services.message_store import insert_once
from watchparty.services.payments import PaymentProvider
from watchparty.services.users import rfc3339
from watchparty.tables import OwnedItem, Purchase, StoreBalance, StoreItem, User

__all__ = [
    "item_summary_json",
    "item_json",
    "item_row_json",
    "purchase_row_json",
    "owned_row_json",
    "balance_json",
    "items_query",
    "purchases_query",
    "owned_query",
    "access_item",
    "access_purchase",
    "ensure_balance",
    "check_purchase",
]


def item_summary_json(item: StoreItem) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "slug": item.slug,
        "name": item.name,
        "kind": item.kind,
        "image_url": item.image_url,
    }


def item_json(item: StoreItem, *, owned: bool) -> dict[str, Any]:
    return {
        **item_summary_json(item),
        "description": item.description,
        "price": {"amount": item.price_amount, "currency": item.price_currency},
        "available": item.available,
        "owned": owned,
        "created_at": rfc3339(item.created_at),
    }


def item_row_json(row: Any) -> dict[str, Any]:
    """A row of `items_query`: (StoreItem, owned item id or None)."""
    item, owned_id = row
    return item_json(item, owned=owned_id is not None)


def purchase_json(purchase: Purchase, item: StoreItem) -> dict[str, Any]:
    return {
        "id": str(purchase.id),
        "item": item_summary_json(item),
        "price": {"amount": purchase.price_amount, "currency": purchase.price_currency},
        "status": purchase.status,
        "balance_after": purchase.balance_after,
        "invoice_id": str(purchase.invoice_id) if purchase.invoice_id else None,
        "created_at": rfc3339(purchase.created_at),
    }


def purchase_row_json(row: Any) -> dict[str, Any]:
    purchase, item = row
    return purchase_json(purchase, item)


def owned_row_json(row: Any) -> dict[str, Any]:
    owned, item = row
    return {
        "item": item_summary_json(item),
        "purchase_id": str(owned.purchase_id) if owned.purchase_id else None,
        "acquired_at": rfc3339(owned.acquired_at),
    }


def balance_json(balance: StoreBalance) -> dict[str, Any]:
    return {"credits": balance.credits, "updated_at": rfc3339(balance.updated_at)}


def _owned_by(user: User) -> Any:
    return sa.and_(col(OwnedItem.item_id) == col(StoreItem.id), col(OwnedItem.user_id) == user.id)


def items_query(*, user: User, kind: str | None, owned: bool | None) -> Select[*tuple[Any, ...]]:
    """Available items and retired ones the user owns, with the user's OwnedItem id."""
    stmt = (
        select(StoreItem, col(OwnedItem.id))
        .outerjoin(OwnedItem, _owned_by(user))
        .where(sa.or_(col(StoreItem.available), col(OwnedItem.id).is_not(None)))
    )
    if kind is not None:
        stmt = stmt.where(col(StoreItem.kind) == kind)
    if owned is True:
        stmt = stmt.where(col(OwnedItem.id).is_not(None))
    elif owned is False:
        stmt = stmt.where(col(OwnedItem.id).is_(None))
    return stmt


def purchases_query(*, user: User) -> Select[*tuple[Any, ...]]:
    return (
        select(Purchase, StoreItem)
        .join(StoreItem, col(StoreItem.id) == col(Purchase.item_id))
        .where(col(Purchase.user_id) == user.id)
    )


def owned_query(*, user: User, kind: str | None) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(OwnedItem, StoreItem)
        .join(StoreItem, col(StoreItem.id) == col(OwnedItem.item_id))
        .where(col(OwnedItem.user_id) == user.id)
    )
    return stmt.where(col(StoreItem.kind) == kind) if kind is not None else stmt


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def access_item(*, session: AsyncSession, user: User, item_id: str) -> dict[str, Any]:
    """The item as `StoreItem` JSON; retired items only for their owners (else 404)."""
    key = _uuid(item_id)
    if key is None:
        raise NotFound()
    stmt = items_query(user=user, kind=None, owned=None).where(col(StoreItem.id) == key)
    row = (await session.exec(stmt)).first()
    if row is None:
        raise NotFound()
    return item_row_json(row)


async def access_purchase(*, session: AsyncSession, user: User, purchase_id: str) -> dict[str, Any]:
    key = _uuid(purchase_id)
    if key is None:
        raise NotFound()
    row = (await session.exec(purchases_query(user=user).where(col(Purchase.id) == key))).first()
    if row is None:
        raise NotFound()
    return purchase_row_json(row)


async def ensure_balance(
    session: AsyncSession, *, user_id: uuid.UUID, starting_credits: int
) -> StoreBalance:
    """The user's balance row, created with the starting grant on first use (race-free)."""
    stmt = select(StoreBalance).where(col(StoreBalance.user_id) == user_id)
    balance = (await session.exec(stmt)).first()
    if balance is None:
        new = StoreBalance(user_id=user_id, credits=starting_credits)
        await insert_once(session, new, unique=["user_id"])
        balance = (await session.exec(stmt.execution_options(populate_existing=True))).one()
    return balance


async def check_purchase(
    session: AsyncSession,
    *,
    user: User,
    item_id: str,
    provider: PaymentProvider,
    starting_credits: int,
    idempotency_key: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """Buy `item_id` for `user` and answer the `Purchase` JSON; the caller commits.

    Raises:
        ValidationFailed: unknown or retired item (on `item_id`).
        Conflict: `already_owned`.
        PaymentRequired: `insufficient_balance` or `payment_declined`.
    """
    key = _uuid(item_id)
    item = await session.get(StoreItem, key) if key else None
    if item is None or not item.available:
        raise ValidationFailed.field("item_id", "No store item with this id is for sale.")
    owned = OwnedItem(user_id=user.id, item_id=item.id, acquired_at=now)
    session.add(owned)
    try:
        # First, before any charge: the unique (user, item) pair admits one buyer per item.
        await session.flush()
    except IntegrityError:
        raise Conflict("You already own this item.", code="already_owned") from None
    purchase = Purchase(
        user_id=user.id,
        item_id=item.id,
        price_amount=item.price_amount,
        price_currency=item.price_currency,
        created_at=now,
    )
    if item.price_currency == "credits":
        purchase.balance_after = await _take_credits(
            session, user=user, amount=item.price_amount, starting=starting_credits, now=now
        )
    else:
        invoice = await charge_invoice(
            session,
            provider=provider,
            user_id=user.id,
            amount_cents=item.price_amount,
            description=f"Store: {item.name}",
            idempotency_key=idempotency_key,
        )
        if invoice.status != "paid":
            raise PaymentRequired("The payment was declined.", code="payment_declined")
        await session.flush()
        purchase.invoice_id = invoice.id
    session.add(purchase)
    await session.flush()
    owned.purchase_id = purchase.id
    session.add(owned)
    return purchase_json(purchase, item)


async def _take_credits(
    session: AsyncSession, *, user: User, amount: int, starting: int, now: dt.datetime
) -> int:
    """Take `amount` credits in one conditional UPDATE; the balance left.

    Raises:
        PaymentRequired: `insufficient_balance`.
    """
    await ensure_balance(session, user_id=user.id, starting_credits=starting)
    result = await session.exec(
        sa.update(StoreBalance)
        .where(col(StoreBalance.user_id) == user.id, col(StoreBalance.credits) >= amount)
        .values(credits=col(StoreBalance.credits) - amount, updated_at=now)
        .returning(col(StoreBalance.credits))
    )
    left = result.scalar_one_or_none()
    if left is None:
        raise PaymentRequired(
            f"This item costs {amount} credits; your balance is too low.",
            code="insufficient_balance",
        )
    return int(left)
