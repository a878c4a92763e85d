"""Party chat messages (issue 6; the service is `watchparty.services.chat`)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, uuid_pk, when

__all__ = ["ChatMessage"]


class ChatMessage(SQLModel, table=True):
    """One message of a party's chat. Removal is soft (`deleted_at`): it keeps its place."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        # The list order and the `before`/`since` walks: (party, created_at, id).
        sa.Index("ix_chat_messages_party_created", "party_id", "created_at", "id"),
        # A retried send with the same client id finds the stored message (and a concurrent
        # duplicate fails here instead of being stored twice).
        sa.UniqueConstraint("party_id", "author_id", "client_id"),
    )

    id: uuid.UUID = uuid_pk()
    party_id: uuid.UUID = fk("parties.id", index=False)
    # Kept (SET NULL) if the user row ever goes; deleted accounts are anonymized instead.
    author_id: uuid.UUID | None = fk("users.id", nullable=True, ondelete="SET NULL")
    content: str = Field(sa_type=sa.Text)
    reply_to_id: uuid.UUID | None = fk(
        "chat_messages.id", nullable=True, index=False, ondelete="SET NULL"
    )
    client_id: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = when()
    deleted_at: dt.datetime | None = when(nullable=True)
    deleted_by_id: uuid.UUID | None = fk(
        "users.id", nullable=True, index=False, ondelete="SET NULL"
    )
