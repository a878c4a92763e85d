"""Direct messaging: conversations, their members and messages, and user blocks (issue 6)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, user_fk, uuid_pk, when

__all__ = ["Conversation", "ConversationMember", "DirectMessage", "UserBlock"]


class Conversation(SQLModel, table=True):
    """A conversation between 2+ users; `pair_key` makes a 1:1 conversation unique per pair."""

    __tablename__ = "conversations"
    __table_args__ = (sa.Index("ix_conversations_activity", "last_activity_at", "id"),)

    id: uuid.UUID = uuid_pk()
    is_group: bool = Field(default=False)
    title: str | None = Field(default=None, max_length=100)
    # "<smaller user id>:<larger user id>" for 1:1 conversations, null for groups. Unique, so
    # two concurrent creates for one pair cannot both succeed.
    pair_key: str | None = Field(default=None, max_length=80, unique=True)
    created_by_id: uuid.UUID | None = fk(
        "users.id", nullable=True, index=False, ondelete="SET NULL"
    )
    # The newest message, for the list; no foreign key, since messages already reference
    # conversations (a cycle) and are only ever removed with their conversation.
    last_message_id: uuid.UUID | None = Field(default=None, nullable=True)
    created_at: dt.datetime = when()
    # Time of the last message, or of creation: the conversation list's order.
    last_activity_at: dt.datetime = when()


class ConversationMember(SQLModel, table=True):
    """One user's membership and read mark in one conversation."""

    __tablename__ = "conversation_members"
    __table_args__ = (sa.UniqueConstraint("conversation_id", "user_id"),)

    id: uuid.UUID = uuid_pk()
    conversation_id: uuid.UUID = fk("conversations.id", index=False)
    user_id: uuid.UUID = user_fk()
    # Messages created after this are unread for the member (null: none read yet).
    last_read_at: dt.datetime | None = when(nullable=True)
    joined_at: dt.datetime = when()


class DirectMessage(SQLModel, table=True):
    """One message of a conversation. Removal is soft (`deleted_at`): it keeps its place."""

    __tablename__ = "direct_messages"
    __table_args__ = (
        sa.Index("ix_direct_messages_conversation_created", "conversation_id", "created_at", "id"),
        sa.UniqueConstraint("conversation_id", "sender_id", "client_id"),
    )

    id: uuid.UUID = uuid_pk()
    conversation_id: uuid.UUID = fk("conversations.id", index=False)
    sender_id: uuid.UUID | None = fk("users.id", nullable=True, ondelete="SET NULL")
    content: str = Field(sa_type=sa.Text)
    client_id: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = when()
    deleted_at: dt.datetime | None = when(nullable=True)


class UserBlock(SQLModel, table=True):
    """`blocker_id` blocked `blocked_id`: no new conversations or 1:1 messages between them."""

    __tablename__ = "user_blocks"
    __table_args__ = (sa.UniqueConstraint("blocker_id", "blocked_id"),)

    id: uuid.UUID = uuid_pk()
    blocker_id: uuid.UUID = user_fk(index=False)
    blocked_id: uuid.UUID = user_fk()
    created_at: dt.datetime = when()
