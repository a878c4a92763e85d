"""Looking users up, who may log in, and the `User` resource as the API shows it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import AuthenticationFailed
from watchparty.tables import User

__all__ = [
    "normalize_email",
    "get_user",
    "get_user_by_email",
    "username_taken",
    "effective_status",
    "login_refusal",
    "user_json",
    "user_summary_json",
    "rfc3339",
]


def normalize_email(email: str) -> str:
    """Emails are case-insensitive here: stored and looked up lowercased."""
    return email.strip().lower()


def rfc3339(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


async def get_user(*, session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(*, session: AsyncSession, email: str) -> User | None:
    result = await session.exec(select(User).where(User.email == normalize_email(email)))
    return result.first()


async def username_taken(
    *, session: AsyncSession, username: str, exclude: uuid.UUID | None = None
) -> bool:
    query = select(User.id).where(sa.func.lower(User.username) == username.lower())
    if exclude is not None:
        query = query.where(User.id != exclude)
    return (await session.exec(query)).first() is not None


def effective_status(user: User, *, now: dt.datetime) -> str:
    """A timed suspension that has run out counts as active, without waiting for a write."""
    if (
        user.status == "suspended"
        and user.suspended_until is not None
        and user.suspended_until <= now
    ):
        return "active"
    return user.status


def login_refusal(user: User, *, now: dt.datetime) -> AuthenticationFailed | None:
    """Why `user` may not log in or act right now, or None."""
    status = effective_status(user, now=now)
    if status == "deleted":
        return AuthenticationFailed("User not found.")
    if status == "banned":
        return AuthenticationFailed("This account is banned.", code="account_banned")
    if status == "suspended":
        until = f" until {rfc3339(user.suspended_until)}" if user.suspended_until else ""
        return AuthenticationFailed(f"This account is suspended{until}.", code="account_suspended")
    return None


def user_json(user: User, *, now: dt.datetime) -> dict[str, Any]:
    """The `User` schema: the caller's own account."""
    return {
        "id": str(user.id),
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "avatar_url": user.avatar_url,
        "bio": user.bio,
        "role": user.role,
        "status": effective_status(user, now=now),
        "two_factor_enabled": user.two_factor_enabled,
        "plan": user.plan,
        "date_joined": rfc3339(user.date_joined),
    }


def user_summary_json(user: User) -> dict[str, Any]:
    """The `UserSummary` schema: a user as others see them."""
    return {
        "id": str(user.id),
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": user.avatar_url,
    }
