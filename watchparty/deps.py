"""Shared handler dependencies: who is calling (DESIGN §3 Auth).

`bearer_info` has only checked the token's signature and expiry; `current_user` is where a
request learns whether the account may still act: it loads the row and refuses users that
are gone, banned, suspended, or whose session (refresh family) was revoked, e.g. by logout
or a password change elsewhere.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import AuthenticationFailed
from watchparty.runtime import runtime
from watchparty.services.users import login_refusal
from watchparty.tables import RefreshTokenFamily, User

__all__ = ["caller", "current_user", "db_session", "Answer", "Body", "CurrentUser", "TokenInfo"]

CurrentUser = User
TokenInfo = Mapping[str, Any]
# What connexion hands a handler as `body`, and what a handler returns: (JSON, status).
Body = dict[str, Any]
Answer = tuple[Any, int]

# The user and their session's state in one round trip. Built once: constructing the select
# per call cost about 0.4 ms of CPU per request (docs/benchmarks.md, REST).
_USER_AND_FAMILY = (
    select(User, RefreshTokenFamily.revoked_at)
    .join(RefreshTokenFamily, RefreshTokenFamily.user_id == User.id)  # type: ignore[arg-type]
    .where(User.id == sa.bindparam("user_id"), RefreshTokenFamily.id == sa.bindparam("family_id"))
)


async def current_user(token_info: TokenInfo, *, session: AsyncSession) -> User:
    """The user of a checked access token, still allowed to act.

    Raises:
        AuthenticationFailed: the user is gone or may not log in, or the session was revoked.
    """
    try:
        user_id = uuid.UUID(str(token_info["sub"]))
        family_id = uuid.UUID(str(token_info["fid"]))
    except (KeyError, ValueError):
        raise AuthenticationFailed("Invalid token.") from None
    row = (
        await session.exec(_USER_AND_FAMILY, params={"user_id": user_id, "family_id": family_id})
    ).first()
    if row is None:
        raise AuthenticationFailed("User not found.")
    user, revoked_at = row
    if revoked_at is not None:
        raise AuthenticationFailed("This session has ended; log in again.")
    refusal = login_refusal(user, now=utcnow())
    if refusal is not None:
        raise refusal
    structlog.contextvars.bind_contextvars(user_id=str(user.id))  # on this request's log lines
    return user


@asynccontextmanager
async def db_session() -> AsyncIterator[AsyncSession]:
    """A session on the serving runtime's database, for one handler call."""
    async with runtime().db.session() as session:
        yield session


@asynccontextmanager
async def caller(token_info: TokenInfo) -> AsyncIterator[tuple[AsyncSession, User]]:
    """A session and the calling user (`current_user`), for authenticated handlers."""
    async with db_session() as session:
        yield session, await current_user(token_info, session=session)
