"""What party chat and direct messages share: content cleanup and the once-only insert.

Both kinds of message are stored once per `(scope, sender, client_id)`: a retried send finds
the stored row instead of a second one. The insert uses `ON CONFLICT DO NOTHING` on the
table's unique key (SQLite and PostgreSQL both speak it), so two concurrent retries cannot
both store, and the losing request never has to roll back its session.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import ValidationFailed

__all__ = ["MAX_MESSAGE_LENGTH", "beyond", "clean_content", "insert_many_once", "insert_once"]

MAX_MESSAGE_LENGTH = 2000
_NEWLINES = re.compile(r"\r\n?")


def clean_content(raw: str, *, field: str = "content") -> str:
    """`raw` trimmed and without control characters (line breaks are kept).

    Raises:
        ValidationFailed: on `field` when nothing visible is left or it is too long.
    """
    text = _NEWLINES.sub("\n", raw)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()
    if not text:
        raise ValidationFailed.field(field, "This field may not be blank.")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationFailed.field(
            field, f"Ensure this field has no more than {MAX_MESSAGE_LENGTH} characters."
        )
    return text


async def insert_once(session: AsyncSession, row: SQLModel, *, unique: Sequence[str]) -> bool:
    """Insert `row` unless a row with the same `unique` columns exists; True if inserted.

    The row is written in the session's transaction (not added to the session): load it
    afterwards by its key. Its defaults must already be set (they are, for `uuid_pk`/`when`).
    """
    table: Any = type(row).__table__  # type: ignore[attr-defined]
    result = await session.exec(
        _insert_ignoring(session, table, unique).values(_values(table, row))
    )
    return bool(result.rowcount)


async def insert_many_once(
    session: AsyncSession, table: Any, rows: Sequence[Any], *, unique: Sequence[str]
) -> set[Any]:
    """`insert_once` for many rows of `table` at once (objects with an attribute per column);
    the `id`s it inserted.

    A row whose `unique` columns match a stored row (or an earlier row of `rows`) is skipped.
    """
    if not rows:
        return set()
    stmt = _insert_ignoring(session, table, unique).returning(table.c.id)
    # executemany: one compiled (and cached) statement, sent as multi-row VALUES batches.
    result = await session.exec(stmt, params=[_values(table, row) for row in rows])
    return {key for (key,) in result}


def _values(table: Any, row: Any) -> dict[str, Any]:
    return {column.name: getattr(row, column.name) for column in table.columns}


def _insert_ignoring(session: AsyncSession, table: Any, unique: Sequence[str]) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique))


def beyond(model: Any, anchor: Any, *, older: bool) -> sa.ColumnElement[bool]:
    """Rows of `model` before (`older`) or after `anchor` in the (created_at, id) list order.

    The expanded form of a row comparison: portable, and an index range scan.
    """
    at, key = model.created_at, model.id
    if older:
        return sa.or_(at < anchor.created_at, sa.and_(at == anchor.created_at, key < anchor.id))
    return sa.or_(at > anchor.created_at, sa.and_(at == anchor.created_at, key > anchor.id))
