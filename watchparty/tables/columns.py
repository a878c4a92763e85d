"""Column helpers and conventions shared by every table module (see `watchparty.tables`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.db import UTCDateTime, utcnow

__all__ = ["metadata", "uuid_pk", "when", "fk", "user_fk", "json_column"]

metadata = SQLModel.metadata
# Named constraints, so later migrations can alter them (SQLite batch mode needs the names).
metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def uuid_pk() -> uuid.UUID:
    return Field(default_factory=uuid.uuid4, primary_key=True)  # type: ignore[no-any-return]


def when(*, nullable: bool = False, index: bool = False) -> dt.datetime:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)  # type: ignore[no-any-return]
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)  # type: ignore[no-any-return]


def fk(
    target: str, *, nullable: bool = False, index: bool = True, ondelete: str = "CASCADE"
) -> Any:
    """A foreign key column to `target` ("table.column")."""
    return Field(
        default=None if nullable else ...,
        sa_column_args=[sa.ForeignKey(target, ondelete=ondelete)],
        nullable=nullable,
        index=index,
    )


def user_fk(*, index: bool = True) -> uuid.UUID:
    return fk("users.id", index=index)  # type: ignore[no-any-return]


def json_column() -> Any:
    """A JSON object column (JSON on both backends), defaulting to {}."""
    return Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
