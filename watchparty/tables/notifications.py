"""In-app notifications (written by `watchparty.services.notifications.notify`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import json_column, user_fk, uuid_pk, when

__all__ = ["Notification"]


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    # The list pages newest first per user; the badge counts unread per user.
    __table_args__ = (sa.Index("ix_notifications_user_created", "user_id", "created_at", "id"),)

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = user_fk(index=False)
    # NotificationType of specs/schemas/notifications.yaml
    type: str = Field(max_length=32)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=sa.Text)
    data: dict[str, Any] = json_column()
    read_at: dt.datetime | None = when(nullable=True)
    created_at: dt.datetime = when()
