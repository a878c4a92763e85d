"""What the realtime channels store: a party's playback state and its polls (issue 8)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import json_column, user_fk, uuid_pk, when

__all__ = ["PartyPlayback", "Poll", "PollBallot"]


class PartyPlayback(SQLModel, table=True):
    """The authoritative playback state of one party; no row means paused at 0, `seq` 0.

    `seq` grows by one with every change and guards updates (compare-and-set), so commands
    from several server processes are applied one after the other, never over each other.
    """

    __tablename__ = "party_playback"

    party_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("parties.id", ondelete="CASCADE")], primary_key=True
    )
    # playing, paused
    status: str = Field(default="paused", max_length=8)
    position: float = Field(default=0.0)
    rate: float = Field(default=1.0)
    # Server time (ms since epoch) `position` refers to.
    ref_ts: int = Field(sa_type=sa.BigInteger)
    seq: int = Field(default=0)
    updated_at: dt.datetime = when()


class Poll(SQLModel, table=True):
    """A party poll; `options` is `[{"id", "text"}]`, votes are counted from the ballots."""

    __tablename__ = "polls"
    __table_args__ = (sa.Index("ix_polls_party_created", "party_id", "created_at"),)

    id: uuid.UUID = uuid_pk()
    party_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("parties.id", ondelete="CASCADE")], nullable=False
    )
    question: str = Field(max_length=200)
    options: list[dict[str, Any]] = json_column()
    multiple: bool = Field(default=False)
    created_by: uuid.UUID = user_fk(index=False)
    created_at: dt.datetime = when()
    # When the poll closes by itself (duration_seconds), if it does.
    closes_at: dt.datetime | None = when(nullable=True)
    closed_at: dt.datetime | None = when(nullable=True)


class PollBallot(SQLModel, table=True):
    """One user's vote in one poll (the unique key is the "vote once" rule)."""

    __tablename__ = "poll_ballots"
    __table_args__ = (sa.UniqueConstraint("poll_id", "user_id"),)

    id: uuid.UUID = uuid_pk()
    poll_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("polls.id", ondelete="CASCADE")], nullable=False, index=True
    )
    user_id: uuid.UUID = user_fk(index=False)
    option_ids: list[str] = json_column()
    created_at: dt.datetime = when()
