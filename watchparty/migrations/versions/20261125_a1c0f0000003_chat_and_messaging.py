"""Party chat, direct messaging and blocks (issue 6)

Revision ID: a1c0f0000003
Revises: a1c0f0000002
Create Date: 2026-11-25 18:20:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "a1c0f0000003"
down_revision: str | None = "a1c0f0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
