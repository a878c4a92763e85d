"""Single-use tokens (refresh, password reset, 2FA challenge): find a live one, spend it once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.auth.tokens import hash_token
from watchparty.tables import SingleUseToken

__all__ = ["find_token", "is_live", "spend_token"]

TokenT = TypeVar("TokenT", bound=SingleUseToken)


async def find_token(*, session: AsyncSession, model: type[TokenT], token: str) -> TokenT | None:
    """The row of a presented token, live or not (only its hash is stored)."""
    query = select(model).where(col(model.token_hash) == hash_token(token))
    return (await session.exec(query)).first()


def is_live(row: SingleUseToken | None, *, now: dt.datetime) -> bool:
    return row is not None and row.used_at is None and row.expires_at > now


async def spend_token(
    *, session: AsyncSession, model: type[SingleUseToken], row_id: uuid.UUID, now: dt.datetime
) -> bool:
    """Mark the token used unless someone already did: of two concurrent uses exactly one
    gets True, whatever the isolation level (the caller commits)."""
    marked = await session.exec(
        update(model)
        .where(col(model.id) == row_id, col(model.used_at).is_(None))
        .values(used_at=now)
    )
    return marked.rowcount == 1
