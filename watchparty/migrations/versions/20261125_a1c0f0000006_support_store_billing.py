"""Support tickets, store and billing (issue 7), with the seeded store catalog

The catalog is seeded here rather than by a `watchparty seed` command: it is reference data
every deployment needs (the store is empty without it), and migrations already run everywhere
the schema does (server start-up scripts, tests, CI), so no environment can forget it. Items
have fixed ids so links and client caches stay valid across installs; later catalog changes
get their own data migration.

Revision ID: a1c0f0000006
Revises: a1c0f0000005
Create Date: 2026-11-25 18:20:00+00:00
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c0f0000006"
down_revision: str | None = "a1c0f0000005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEEDED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# (id suffix, slug, name, kind, amount, currency, available, description)
CATALOG = [
    (
        1,
        "zombie-hand",
        "Zombie Hand",
        "emote",
        250,
        "credits",
        True,
        "An animated hand rising from the grave.",
    ),
    (
        2,
        "popcorn-storm",
        "Popcorn Storm",
        "emote",
        150,
        "credits",
        True,
        "Popcorn rains over the screen.",
    ),
    (3, "slow-clap", "Slow Clap", "emote", 100, "credits", True, "For the plot twist."),
    (
        4,
        "midnight-theme",
        "Midnight",
        "theme",
        400,
        "credits",
        True,
        "A deep blue theme for late screenings.",
    ),
    (
        5,
        "retro-vhs-theme",
        "Retro VHS",
        "theme",
        299,
        "usd",
        True,
        "Scanlines and tracking noise, like a rented tape.",
    ),
    (
        6,
        "critic-badge",
        "Critic",
        "badge",
        500,
        "credits",
        True,
        "For those who always have an opinion.",
    ),
    (7, "patron-badge", "Patron", "badge", 499, "usd", True, "Shows you support the platform."),
    (
        8,
        "founder-badge",
        "Founder",
        "badge",
        1000,
        "credits",
        False,
        "Sold during the launch month only.",
    ),
]


def catalog_id(suffix: int) -> uuid.UUID:
    return uuid.UUID(f"5e5d0000-0000-4000-8000-{suffix:012d}")


def catalog_rows() -> list[dict[str, object]]:
    """The seeded `store_items` rows (tests re-seed with it after truncating tables)."""
    return [
        {
            "id": catalog_id(suffix),
            "slug": slug,
            "name": name,
            "description": description,
            "kind": kind,
            "price_amount": amount,
            "price_currency": currency,
            "image_url": f"/media/store/{slug}.png",
            "available": available,
            "created_at": SEEDED_AT,
        }
        for suffix, slug, name, kind, amount, currency, available, description in CATALOG
    ]


def upgrade() -> None:
    op.create_table(
        "store_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=False),
        sa.Column("price_currency", sa.String(length=16), nullable=False),
        sa.Column("image_url", sa.String(length=500), nullable=True),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_items")),
        sa.UniqueConstraint("slug", name=op.f("uq_store_items_slug")),
    )

    with op.batch_alter_table("store_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_store_items_kind"), ["kind"], unique=False)

    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_idempotency_records_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint(
            "user_id", "operation", "key", name=op.f("uq_idempotency_records_user_id_operation_key")
        ),
    )

    op.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan", sa.String(length=32), nullable=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("provider_reference", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_invoices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
    )

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_invoices_user_created", ["user_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "store_balances",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("credits >= 0", name=op.f("ck_store_balances_credits_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_store_balances_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_store_balances")),
    )

    op.create_table(
        "subscriptions",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("plan", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current_period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False),
        sa.Column("canceled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduled_plan", sa.String(length=32), nullable=True),
        sa.Column("payment_method", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_subscriptions")),
    )

    op.create_table(
        "support_tickets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=150), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_support_tickets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_tickets")),
    )

    with op.batch_alter_table("support_tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_support_tickets_status_last", ["status", "last_message_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_support_tickets_user_last", ["user_id", "last_message_at", "id"], unique=False
        )

    op.create_table(
        "store_purchases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("price_amount", sa.Integer(), nullable=False),
        sa.Column("price_currency", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("balance_after", sa.Integer(), nullable=True),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_store_purchases_invoice_id_invoices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["store_items.id"],
            name=op.f("fk_store_purchases_item_id_store_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_store_purchases_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_purchases")),
    )

    with op.batch_alter_table("store_purchases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_store_purchases_invoice_id"), ["invoice_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_store_purchases_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            "ix_store_purchases_user_created", ["user_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "support_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("from_staff", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_support_messages_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["support_tickets.id"],
            name=op.f("fk_support_messages_ticket_id_support_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_messages")),
    )

    with op.batch_alter_table("support_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_messages_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            "ix_support_messages_ticket_created", ["ticket_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "store_owned_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("purchase_id", sa.Uuid(), nullable=True),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["store_items.id"],
            name=op.f("fk_store_owned_items_item_id_store_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["store_purchases.id"],
            name=op.f("fk_store_owned_items_purchase_id_store_purchases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_store_owned_items_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_owned_items")),
        sa.UniqueConstraint(
            "user_id", "item_id", name=op.f("uq_store_owned_items_user_id_item_id")
        ),
    )

    with op.batch_alter_table("store_owned_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_store_owned_items_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_store_owned_items_purchase_id"), ["purchase_id"], unique=False
        )
        batch_op.create_index(
            "ix_store_owned_items_user_acquired", ["user_id", "acquired_at", "id"], unique=False
        )

    op.create_table(
        "support_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("storage_key", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["support_messages.id"],
            name=op.f("fk_support_attachments_message_id_support_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["support_tickets.id"],
            name=op.f("fk_support_attachments_ticket_id_support_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_attachments")),
    )

    with op.batch_alter_table("support_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_attachments_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_attachments_ticket_id"), ["ticket_id"], unique=False
        )

    items = sa.table(
        "store_items",
        sa.column("id", sa.Uuid()),
        sa.column("slug", sa.String()),
        sa.column("name", sa.String()),
        sa.column("description", sa.Text()),
        sa.column("kind", sa.String()),
        sa.column("price_amount", sa.Integer()),
        sa.column("price_currency", sa.String()),
        sa.column("image_url", sa.String()),
        sa.column("available", sa.Boolean()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(items, catalog_rows())


def downgrade() -> None:
    with op.batch_alter_table("support_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_attachments_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_support_attachments_message_id"))

    op.drop_table("support_attachments")

    with op.batch_alter_table("store_owned_items", schema=None) as batch_op:
        batch_op.drop_index("ix_store_owned_items_user_acquired")
        batch_op.drop_index(batch_op.f("ix_store_owned_items_purchase_id"))
        batch_op.drop_index(batch_op.f("ix_store_owned_items_item_id"))

    op.drop_table("store_owned_items")

    with op.batch_alter_table("support_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_support_messages_ticket_created")
        batch_op.drop_index(batch_op.f("ix_support_messages_author_id"))

    op.drop_table("support_messages")

    with op.batch_alter_table("store_purchases", schema=None) as batch_op:
        batch_op.drop_index("ix_store_purchases_user_created")
        batch_op.drop_index(batch_op.f("ix_store_purchases_item_id"))
        batch_op.drop_index(batch_op.f("ix_store_purchases_invoice_id"))

    op.drop_table("store_purchases")

    with op.batch_alter_table("support_tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_support_tickets_user_last")
        batch_op.drop_index("ix_support_tickets_status_last")

    op.drop_table("support_tickets")

    op.drop_table("subscriptions")

    op.drop_table("store_balances")

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_invoices_user_created")

    op.drop_table("invoices")

    op.drop_table("idempotency_records")

    with op.batch_alter_table("store_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_store_items_kind"))

    op.drop_table("store_items")
