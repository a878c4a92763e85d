"""The append-only facts party analytics are computed from (docs/analytics.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, json_column, uuid_pk, when

__all__ = ["ACTIVITY_KINDS", "PartyActivity"]

# invited: one invitation sent; joined/left: participation changes (REST);
# connected/disconnected: a viewer socket opened/closed (realtime; watch time is the time
# between them); chat_message; reaction (data.emoji); poll_created; poll_vote.
ACTIVITY_KINDS = (
    "invited",
    "joined",
    "left",
    "connected",
    "disconnected",
    "chat_message",
    "reaction",
    "poll_created",
    "poll_vote",
)


class PartyActivity(SQLModel, table=True):
    """One fact. Never updated or deleted while the party exists."""

    __tablename__ = "party_activity"
    __table_args__ = (sa.Index("ix_party_activity_party_at", "party_id", "at"),)

    id: uuid.UUID = uuid_pk()
    party_id: uuid.UUID = fk("parties.id", index=False)
    user_id: uuid.UUID | None = fk("users.id", nullable=True, index=False, ondelete="SET NULL")
    kind: str = Field(max_length=16)
    data: dict[str, Any] = json_column()
    at: dt.datetime = when()
