"""Watch parties and their participants."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, user_fk, uuid_pk, when

__all__ = ["Party", "PartyParticipant"]


class Party(SQLModel, table=True):
    """A watch party. `host_id` is authoritative; the host's participant row mirrors it."""

    __tablename__ = "parties"

    id: uuid.UUID = uuid_pk()
    host_id: uuid.UUID = user_fk()
    title: str = Field(max_length=120)
    description: str = Field(default="", sa_type=sa.Text)
    # scheduled, live, ended, cancelled
    status: str = Field(default="scheduled", max_length=16)
    # public, private, unlisted
    visibility: str = Field(default="private", max_length=16)
    max_participants: int
    allow_guest_control: bool = Field(default=False)
    chat_enabled: bool = Field(default=True)
    reactions_enabled: bool = Field(default=True)
    require_approval: bool = Field(default=False)
    # The party's video (the host's own, ready); deleting the video clears it.
    video_id: uuid.UUID | None = fk("videos.id", nullable=True, ondelete="SET NULL")
    scheduled_for: dt.datetime = when(index=True)
    started_at: dt.datetime | None = when(nullable=True)
    ended_at: dt.datetime | None = when(nullable=True)
    created_at: dt.datetime = when()
    updated_at: dt.datetime = when()


class PartyParticipant(SQLModel, table=True):
    """One user's participation in one party (kept after they leave or are kicked)."""

    __tablename__ = "party_participants"
    __table_args__ = (sa.UniqueConstraint("party_id", "user_id"),)

    id: uuid.UUID = uuid_pk()
    party_id: uuid.UUID = Field(
        sa_column_args=[sa.ForeignKey("parties.id", ondelete="CASCADE")],
        nullable=False,
        index=True,
    )
    user_id: uuid.UUID = user_fk()
    # host, moderator, participant
    role: str = Field(default="participant", max_length=16)
    # pending, joined, left, kicked
    status: str = Field(default="joined", max_length=16)
    # Set by the host: reads the party chat but may not send to it.
    muted: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # 0 for the host, 1 for everyone else: the participants list shows the host first and
    # pages on (rank, created_at, id); transfer-host swaps the ranks.
    rank: int = Field(default=1)
    joined_at: dt.datetime | None = when(nullable=True)
    left_at: dt.datetime | None = when(nullable=True)
    created_at: dt.datetime = when()
