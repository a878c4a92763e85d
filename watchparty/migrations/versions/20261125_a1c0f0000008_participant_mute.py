"""Participants muted in the party chat by the host (issue 6).

Revision ID: a1c0f0000008
Revises: a1c0f0000007
Create Date: 2026-11-25 19:20:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c0f0000008"
down_revision: str | None = "a1c0f0000007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("party_participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("muted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("party_participants", schema=None) as batch_op:
        batch_op.drop_column("muted")
