"""Billing: each user's subscription to a plan (watchparty.plans) and their invoices."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import user_fk, uuid_pk, when

__all__ = ["Subscription", "Invoice"]


class Subscription(SQLModel, table=True):
    """A paid plan's period; users without a row are on the free plan.

    `User.plan` stays the plan in force (what parties and uploads read); billing keeps both
    in step.
    """

    __tablename__ = "subscriptions"

    user_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("users.id", ondelete="CASCADE")], primary_key=True
    )
    plan: str = Field(max_length=32)
    # SubscriptionStatus of specs/schemas/billing.yaml
    status: str = Field(default="active", max_length=16)
    current_period_start: dt.datetime = when()
    current_period_end: dt.datetime = when()
    cancel_at_period_end: bool = Field(default=False)
    canceled_at: dt.datetime | None = when(nullable=True)
    scheduled_plan: str | None = Field(default=None, max_length=32)
    payment_method: str | None = Field(default=None, max_length=200)
    updated_at: dt.datetime = when()


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"
    __table_args__ = (sa.Index("ix_invoices_user_created", "user_id", "created_at", "id"),)

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk(index=False)
    number: str = Field(max_length=32, unique=True)
    description: str = Field(max_length=200)
    amount_cents: int = Field()
    currency: str = Field(default="usd", max_length=8)
    # InvoiceStatus of specs/schemas/billing.yaml
    status: str = Field(max_length=16)
    plan: str | None = Field(default=None, max_length=32)
    period_start: dt.datetime | None = when(nullable=True)
    period_end: dt.datetime | None = when(nullable=True)
    provider: str = Field(max_length=32)
    provider_reference: str | None = Field(default=None, max_length=100)
    created_at: dt.datetime = when()
