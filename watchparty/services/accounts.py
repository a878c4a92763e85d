"""Accounts: register, profile, password change, deletion, roles.

`check_*` functions validate what the spec cannot (uniqueness, password policy, the current
password) and raise `ValidationFailed` with a field map before writing anything.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.auth import passwords
from watchparty.db import utcnow
from watchparty.errors import ValidationFailed
from watchparty.runtime import runtime
from watchparty.services.sessions import revoke_families
from watchparty.services.users import get_user_by_email, normalize_email, username_taken
from watchparty.tables import ROLES, PasswordResetToken, TwoFactorChallenge, User

__all__ = [
    "PROFILE_FIELDS",
    "DELETED_DISPLAY_NAME",
    "check_register",
    "check_update_profile",
    "check_change_password",
    "check_delete_account",
    "do_set_password",
    "do_set_role",
    "free_username",
]

PROFILE_FIELDS = ("username", "display_name", "bio", "avatar_url")
DELETED_DISPLAY_NAME = "Deleted user"
EMAIL_TAKEN = "A user with this email already exists."
USERNAME_TAKEN = "A user with this username already exists."
WRONG_PASSWORD = "The password is not correct."
_USERNAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


async def _new_account_errors(
    *, session: AsyncSession, username: str, email: str, password: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "@" not in email:
        errors["email"] = ["Enter a valid email address."]
    elif await get_user_by_email(session=session, email=email) is not None:
        errors["email"] = [EMAIL_TAKEN]
    if await username_taken(session=session, username=username):
        errors["username"] = [USERNAME_TAKEN]
    problems = passwords.password_problems(password, username=username, email=email)
    if problems:
        errors["password"] = problems
    return errors


async def _commit_unique(session: AsyncSession) -> None:
    """Commit; a unique index tripped by a concurrent request is still a field error."""
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        message = str(exc.orig).lower()
        field = "email" if "email" in message else "username"
        raise ValidationFailed.field(
            field, EMAIL_TAKEN if field == "email" else USERNAME_TAKEN
        ) from None


async def check_register(
    *,
    session: AsyncSession,
    username: str,
    email: str,
    password: str,
    display_name: str | None = None,
    bio: str = "",
    avatar_url: str | None = None,
    role: str = "user",
) -> User:
    """Create an account (committed).

    Raises:
        ValidationFailed: every field problem at once (taken email or username, weak password).
    """
    email = normalize_email(email)
    errors = await _new_account_errors(
        session=session, username=username, email=email, password=password
    )
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email,
        username=username,
        password_hash=await passwords.hash_password(password, settings=runtime().settings),
        display_name=display_name if display_name is not None else username,
        bio=bio,
        avatar_url=avatar_url,
        role=role,
    )
    session.add(user)
    await _commit_unique(session)
    return user


async def check_update_profile(
    *, session: AsyncSession, user: User, changes: Mapping[str, Any]
) -> User:
    """Apply the given profile fields (absent ones stay as they are)."""
    username: str | None = changes.get("username")
    renamed = username is not None and username.lower() != user.username.lower()
    if renamed and await username_taken(session=session, username=str(username), exclude=user.id):
        raise ValidationFailed.field("username", USERNAME_TAKEN)
    for field in PROFILE_FIELDS:
        if field in changes:
            setattr(user, field, changes[field])
    session.add(user)
    await _commit_unique(session)
    return user


async def _require_password(user: User, password: str, *, field: str) -> None:
    if not await passwords.verify_password(
        password, user.password_hash, settings=runtime().settings
    ):
        raise ValidationFailed.field(field, WRONG_PASSWORD)


async def do_set_password(*, session: AsyncSession, user: User, password: str) -> None:
    """Store a new password hash; the caller revokes sessions and commits."""
    user.password_hash = await passwords.hash_password(password, settings=runtime().settings)
    user.password_changed_at = utcnow()
    session.add(user)


def check_password_policy(user: User, password: str, *, field: str) -> None:
    problems = passwords.password_problems(password, username=user.username, email=user.email)
    if problems:
        raise ValidationFailed({field: problems})


async def check_change_password(
    *,
    session: AsyncSession,
    user: User,
    current_password: str,
    new_password: str,
    keep_family: uuid.UUID,
) -> None:
    """Change the password and end every other session (the caller's stays logged in)."""
    await _require_password(user, current_password, field="current_password")
    check_password_policy(user, new_password, field="new_password")
    await do_set_password(session=session, user=user, password=new_password)
    await revoke_families(
        session=session, user_id=user.id, reason="password_change", keep=keep_family
    )
    await session.commit()


async def check_delete_account(*, session: AsyncSession, user: User, password: str) -> None:
    """Delete the account: personal data anonymized, the row kept for authored content."""
    await _require_password(user, password, field="password")
    user_id = user.id
    user.email = f"deleted-{user_id.hex}@deleted.invalid"
    user.username = f"deleted-{user_id.hex}"
    user.display_name = DELETED_DISPLAY_NAME
    user.bio = ""
    user.avatar_url = None
    user.password_hash = "!"  # matches no password: argon2 refuses to parse it
    user.totp_secret = user.totp_pending_secret = None
    user.two_factor_enabled = False
    user.status = "deleted"
    user.role = "user"
    user.suspended_until = None
    user.deleted_at = utcnow()
    session.add(user)
    await revoke_families(session=session, user_id=user_id, reason="deleted")
    await session.exec(delete(PasswordResetToken).where(col(PasswordResetToken.user_id) == user_id))
    await session.exec(delete(TwoFactorChallenge).where(col(TwoFactorChallenge.user_id) == user_id))
    await session.commit()


async def do_set_role(*, session: AsyncSession, user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    user.role = role
    session.add(user)
    await session.commit()


async def free_username(*, session: AsyncSession, email: str) -> str:
    """A username derived from an email's local part that nobody has yet (for the CLI)."""
    base = _USERNAME_CHARS.sub("", normalize_email(email).partition("@")[0])[:24] or "user"
    base = base if len(base) >= 3 else f"{base}_user"
    candidate, n = base, 1
    while await username_taken(session=session, username=candidate):
        n += 1
        candidate = f"{base}{n}"
    return candidate
