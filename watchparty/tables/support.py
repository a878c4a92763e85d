"""Support tickets: a thread of messages between a user and staff, with file attachments."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, user_fk, uuid_pk, when

__all__ = ["SupportTicket", "SupportMessage", "SupportAttachment"]


class SupportTicket(SQLModel, table=True):
    __tablename__ = "support_tickets"
    # The user's list is "most recently active first"; the staff queue filters by status.
    __table_args__ = (
        sa.Index("ix_support_tickets_user_last", "user_id", "last_message_at", "id"),
        sa.Index("ix_support_tickets_status_last", "status", "last_message_at", "id"),
    )

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk(index=False)
    subject: str = Field(max_length=150)
    # SupportTicketCategory / SupportTicketStatus of specs/schemas/support.yaml
    category: str = Field(max_length=16)
    status: str = Field(default="open", max_length=16)
    # Denormalized so lists need no per-row count or max over the messages.
    message_count: int = Field(default=0)
    last_message_at: dt.datetime = when()
    created_at: dt.datetime = when()
    updated_at: dt.datetime = when()
    closed_at: dt.datetime | None = when(nullable=True)


class SupportMessage(SQLModel, table=True):
    __tablename__ = "support_messages"
    __table_args__ = (
        sa.Index("ix_support_messages_ticket_created", "ticket_id", "created_at", "id"),
    )

    id: uuid.UUID = uuid_pk()
    ticket_id: uuid.UUID = fk("support_tickets.id", index=False)
    author_id: uuid.UUID = user_fk()
    from_staff: bool = Field(default=False)
    body: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = when()


class SupportAttachment(SQLModel, table=True):
    __tablename__ = "support_attachments"

    id: uuid.UUID = uuid_pk()
    # The ticket too, so the per-ticket attachment limit is one count.
    ticket_id: uuid.UUID = fk("support_tickets.id")
    message_id: uuid.UUID = fk("support_messages.id")
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size_bytes: int = Field(sa_type=sa.BigInteger)
    # Where the bytes live in the storage backend (see services.support_files).
    storage_key: str = Field(max_length=500)
    created_at: dt.datetime = when()
