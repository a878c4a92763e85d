"""Calendar events: one per party (kept in step with it) and users' personal ones (issue 5)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, user_fk, uuid_pk, when

__all__ = ["CalendarEvent"]


class CalendarEvent(SQLModel, table=True):
    """A calendar entry. A `party` event mirrors its party (title, description, start, host as
    owner) and is written only by `watchparty.services.events.sync_party_event`."""

    __tablename__ = "calendar_events"
    __table_args__ = (sa.UniqueConstraint("party_id"),)

    id: uuid.UUID = uuid_pk()
    # party, personal
    type: str = Field(max_length=16)
    owner_id: uuid.UUID = user_fk()
    party_id: uuid.UUID | None = fk("parties.id", nullable=True, index=False)
    title: str = Field(max_length=120)
    description: str = Field(default="", sa_type=sa.Text)
    starts_at: dt.datetime = when(index=True)
    ends_at: dt.datetime | None = when(nullable=True)
    created_at: dt.datetime = when()
    updated_at: dt.datetime = when()
