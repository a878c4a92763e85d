"""Parties and their participants (issue 5).

Revision ID: 367d9a628af7
Revises: 1ff731e91ef7
Create Date: 2026-11-25 17:29:49.297876+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "367d9a628af7"
down_revision: str | None = "1ff731e91ef7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("host_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("max_participants", sa.Integer(), nullable=False),
        sa.Column("allow_guest_control", sa.Boolean(), nullable=False),
        sa.Column("chat_enabled", sa.Boolean(), nullable=False),
        sa.Column("reactions_enabled", sa.Boolean(), nullable=False),
        sa.Column("require_approval", sa.Boolean(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["users.id"], name=op.f("fk_parties_host_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parties_host_id"), ["host_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_parties_scheduled_for"), ["scheduled_for"], unique=False
        )

    op.create_table(
        "party_participants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_party_participants_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_party_participants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_participants")),
        sa.UniqueConstraint(
            "party_id", "user_id", name=op.f("uq_party_participants_party_id_user_id")
        ),
    )
    with op.batch_alter_table("party_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_party_participants_party_id"), ["party_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_party_participants_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("party_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_participants_user_id"))
        batch_op.drop_index(batch_op.f("ix_party_participants_party_id"))

    op.drop_table("party_participants")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parties_scheduled_for"))
        batch_op.drop_index(batch_op.f("ix_parties_host_id"))

    op.drop_table("parties")
