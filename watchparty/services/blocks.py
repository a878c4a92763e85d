"""User blocks (issue 6): a user blocks another, who can then no longer start a
conversation with them or message them 1:1 (`watchparty.services.messaging` asks
`blocked_between`). A block works in both directions for those checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import NotFound, ValidationFailed
from watchparty.services.message_store import insert_once
from watchparty.services.users import rfc3339
from watchparty.tables import User, UserBlock

__all__ = [
    "blocked_between",
    "blocked_user_row_json",
    "blocks_query",
    "check_block_user",
    "check_unblock_user",
    "blockers_of",
]


def blocks_query(*, user: User) -> sa.Select[UserBlock, User]:
    """(UserBlock, blocked User) rows of the caller's blocks, to page on (created_at, id)."""
    return (
        sa.select(UserBlock, User)
        .join(User, User.id == UserBlock.blocked_id)  # type: ignore[arg-type]
        .where(UserBlock.blocker_id == user.id)  # type: ignore[arg-type]
    )


def blocked_user_row_json(row: Any) -> dict[str, Any]:
    """A `blocks_query` row as `BlockedUser`."""
    block, blocked = row
    return {
        "id": str(blocked.id),
        "username": blocked.username,
        "display_name": blocked.display_name,
        "avatar_url": blocked.avatar_url,
        "blocked_at": rfc3339(block.created_at),
    }


async def blocked_between(
    *, session: AsyncSession, user_id: uuid.UUID, others: Iterable[uuid.UUID]
) -> bool:
    """Whether `user_id` blocked any of `others`, or any of them blocked `user_id`."""
    others = list(others)
    if not others:
        return False
    stmt = (
        sa.select(col(UserBlock.id))
        .where(
            sa.or_(
                sa.and_(
                    UserBlock.blocker_id == user_id,  # type: ignore[arg-type]
                    UserBlock.blocked_id.in_(others),  # type: ignore[attr-defined]
                ),
                sa.and_(
                    UserBlock.blocked_id == user_id,  # type: ignore[arg-type]
                    UserBlock.blocker_id.in_(others),  # type: ignore[attr-defined]
                ),
            )
        )
        .limit(1)
    )
    return (await session.exec(stmt)).first() is not None  # type: ignore[call-overload]


async def blockers_of(
    *, session: AsyncSession, user_id: uuid.UUID, among: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `among` who blocked `user_id` (they get no notifications from them)."""
    among = list(among)
    if not among:
        return set()
    stmt = sa.select(col(UserBlock.blocker_id)).where(
        UserBlock.blocked_id == user_id,  # type: ignore[arg-type]
        UserBlock.blocker_id.in_(among),  # type: ignore[attr-defined]
    )
    return set((await session.exec(stmt)).scalars().all())  # type: ignore[call-overload]


async def check_block_user(
    *, session: AsyncSession, user: User, user_id: str
) -> tuple[dict[str, Any], bool]:
    """Block a user (committed); blocking again answers the existing block.

    Returns:
        The `BlockedUser` JSON and whether the block is new.

    Raises:
        ValidationFailed: on `user_id`, for the caller themselves or an unknown user.
    """
    target = await _known_user(session, user_id)
    if target is None:
        raise ValidationFailed.field("user_id", "No such user.")
    if target.id == user.id:
        raise ValidationFailed.field("user_id", "You cannot block yourself.")
    created = await insert_once(
        session,
        UserBlock(blocker_id=user.id, blocked_id=target.id),
        unique=("blocker_id", "blocked_id"),
    )
    await session.commit()
    row = (
        await session.exec(  # type: ignore[call-overload]
            blocks_query(user=user).where(UserBlock.blocked_id == target.id)  # type: ignore[arg-type]
        )
    ).one()
    return blocked_user_row_json(row), created


async def check_unblock_user(*, session: AsyncSession, user: User, user_id: str) -> None:
    """Remove the caller's block of `user_id` (committed).

    Raises:
        NotFound: the caller has not blocked that user.
    """
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        raise NotFound() from None
    result = await session.exec(
        sa.delete(UserBlock).where(
            UserBlock.blocker_id == user.id,  # type: ignore[arg-type]
            UserBlock.blocked_id == key,  # type: ignore[arg-type]
        )
    )
    if not result.rowcount:
        raise NotFound()
    await session.commit()


async def _known_user(session: AsyncSession, user_id: str) -> User | None:
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    target = await session.get(User, key)
    return target if target is not None and not target.is_deleted else None
