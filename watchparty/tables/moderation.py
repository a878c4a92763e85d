"""Moderation: users' reports and the audit log of staff actions (issue 6).

A report names its target by `target_type` + `target_id` (message, user, party, video) with
no foreign key: those rows belong to other domains and may be deleted; the report keeps the
author (`target_user_id`) and an excerpt taken when it was filed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, json_column, uuid_pk, when

__all__ = ["Report", "AuditEntry", "REPORT_TARGET_TYPES"]

REPORT_TARGET_TYPES = ("message", "user", "party", "video")


class Report(SQLModel, table=True):
    __tablename__ = "reports"

    id: uuid.UUID = uuid_pk()
    # SET NULL: the report outlives its reporter (the API then shows `reporter: null`).
    reporter_id: uuid.UUID | None = fk("users.id", nullable=True, ondelete="SET NULL")
    # message, user, party, video (REPORT_TARGET_TYPES)
    target_type: str = Field(max_length=16)
    target_id: uuid.UUID = Field(index=True)
    # The reported user, or the author/owner of the reported content.
    target_user_id: uuid.UUID | None = fk("users.id", nullable=True, ondelete="SET NULL")
    target_excerpt: str | None = Field(default=None, max_length=500)
    # ReportReason of specs/schemas/moderation.yaml
    reason: str = Field(max_length=32)
    text: str = Field(default="", sa_type=sa.Text)
    # open, resolved, dismissed
    status: str = Field(default="open", max_length=16, index=True)
    # The resolution (all null while open): ModerationAction, suspension days, staff note.
    action: str | None = Field(default=None, max_length=16)
    days: int | None = None
    note: str = Field(default="", sa_type=sa.Text)
    resolved_by_id: uuid.UUID | None = fk(
        "users.id", nullable=True, index=False, ondelete="SET NULL"
    )
    resolved_at: dt.datetime | None = when(nullable=True)
    created_at: dt.datetime = when(index=True)


# One open report per reporter and target: a repeated report answers the open one, and two
# concurrent ones cannot both be stored.
sa.Index(
    "uq_reports_open_per_reporter",
    Report.__table__.c.reporter_id,  # type: ignore[attr-defined]
    Report.__table__.c.target_type,  # type: ignore[attr-defined]
    Report.__table__.c.target_id,  # type: ignore[attr-defined]
    unique=True,
    sqlite_where=sa.text("status = 'open'"),
    postgresql_where=sa.text("status = 'open'"),
)


class AuditEntry(SQLModel, table=True):
    """One staff action (report resolution, admin change to an account); append-only."""

    __tablename__ = "audit_log"

    id: uuid.UUID = uuid_pk()
    # SET NULL: the trail outlives the staff account.
    actor_id: uuid.UUID | None = fk("users.id", nullable=True, ondelete="SET NULL")
    # dotted verb, e.g. report.resolve, user.update
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(max_length=32)
    target_id: uuid.UUID | None = Field(default=None, index=True)
    data: dict[str, Any] = json_column()
    created_at: dt.datetime = when(index=True)
