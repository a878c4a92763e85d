"""Store: the item catalog, credit balances, purchases, owned items, and idempotency records."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, user_fk, uuid_pk, when

__all__ = ["StoreItem", "StoreBalance", "Purchase", "OwnedItem", "IdempotencyRecord"]


class StoreItem(SQLModel, table=True):
    """A catalog entry, seeded by migration a1c0f0000006; retired items keep `available` false."""

    __tablename__ = "store_items"

    id: uuid.UUID = uuid_pk()
    slug: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100)
    description: str = Field(default="", sa_type=sa.Text)
    # StoreItemKind / PriceCurrency of specs/schemas/store.yaml
    kind: str = Field(max_length=16, index=True)
    price_amount: int = Field()
    price_currency: str = Field(max_length=16)
    image_url: str | None = Field(default=None, max_length=500)
    available: bool = Field(default=True)
    created_at: dt.datetime = when()


class StoreBalance(SQLModel, table=True):
    """A user's credits; created on first use with the starting grant (settings)."""

    __tablename__ = "store_balances"
    # Never negative, whatever races: the purchase's conditional UPDATE relies on it too.
    __table_args__ = (sa.CheckConstraint("credits >= 0", name="credits_not_negative"),)

    user_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("users.id", ondelete="CASCADE")], primary_key=True
    )
    credits: int = Field(default=0)
    updated_at: dt.datetime = when()


class Purchase(SQLModel, table=True):
    __tablename__ = "store_purchases"
    __table_args__ = (sa.Index("ix_store_purchases_user_created", "user_id", "created_at", "id"),)

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk(index=False)
    item_id: uuid.UUID = fk("store_items.id", ondelete="RESTRICT")
    # The price paid, copied: catalog prices may change later.
    price_amount: int = Field()
    price_currency: str = Field(max_length=16)
    status: str = Field(default="completed", max_length=16)
    balance_after: int | None = Field(default=None)
    invoice_id: uuid.UUID | None = fk("invoices.id", nullable=True, ondelete="SET NULL")
    created_at: dt.datetime = when()


class OwnedItem(SQLModel, table=True):
    """Items are owned once: the unique pair is what stops a second charge for one item."""

    __tablename__ = "store_owned_items"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "item_id"),
        sa.Index("ix_store_owned_items_user_acquired", "user_id", "acquired_at", "id"),
    )

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk(index=False)
    item_id: uuid.UUID = fk("store_items.id", ondelete="RESTRICT")
    purchase_id: uuid.UUID | None = fk("store_purchases.id", nullable=True, ondelete="SET NULL")
    acquired_at: dt.datetime = when()


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a request sent with an `Idempotency-Key` (watchparty.idempotency)."""

    __tablename__ = "idempotency_records"
    __table_args__ = (sa.UniqueConstraint("user_id", "operation", "key"),)

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk(index=False)
    operation: str = Field(max_length=64)
    key: str = Field(max_length=255)
    # SHA-256 of the canonical request body: the same key with another body is refused.
    fingerprint: str = Field(max_length=64)
    # Null while the first request is still running.
    status_code: int | None = Field(default=None)
    response: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    created_at: dt.datetime = when()
