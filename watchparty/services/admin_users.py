"""Admin user management and account restrictions (issue 6; DESIGN §3 Roles).

`do_change_account` is the one place an account's role or status is changed by staff (the
admin endpoints and report resolutions both go through it). A suspended or banned user is
shut out twice: their refresh families are revoked here, and `deps.current_user` re-reads
the account's status on every request, so an access token still within its lifetime is
refused from the next request on (no revocation list to keep in step).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import contains_text, utcnow
from watchparty.errors import Conflict, NotFound, ValidationFailed
from watchparty.services.audit import record_audit
from watchparty.services.sessions import revoke_families
from watchparty.services.users import effective_status, rfc3339
from watchparty.tables import Party, Report, User

__all__ = [
    "access_admin_user",
    "admin_user_detail_json",
    "admin_user_json",
    "admin_users_query",
    "check_update_admin_user",
    "do_change_account",
    "status_is",
]

RESTRICTED = ("suspended", "banned")


def status_is(users: Any, status: str, *, now: dt.datetime) -> sa.ColumnElement[bool]:
    """SQL for "`users` (User or an alias) has effective status `status`" (`effective_status`).

    A timed suspension that ran out counts as active, as everywhere else.
    """
    expired = sa.and_(users.status == "suspended", users.suspended_until <= now)
    if status == "active":
        return sa.or_(users.status == "active", expired)
    if status == "suspended":
        return sa.and_(users.status == "suspended", sa.not_(sa.func.coalesce(expired, False)))
    return users.status == status  # type: ignore[no-any-return]


def admin_users_query(
    *, role: str | None, status: str | None, search: str | None, now: dt.datetime
) -> sa.Select[Any]:
    stmt = sa.select(User)
    if role is not None:
        stmt = stmt.where(col(User.role) == role)
    if status is not None:
        stmt = stmt.where(status_is(User, status, now=now))
    term = (search or "").strip()
    if term:
        stmt = stmt.where(
            contains_text(term, col(User.username), col(User.email), col(User.display_name))
        )
    return stmt


def admin_user_json(user: User, *, now: dt.datetime) -> dict[str, Any]:
    """The `AdminUser` schema."""
    status = effective_status(user, now=now)
    return {
        "id": str(user.id),
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "avatar_url": user.avatar_url,
        "role": user.role,
        "status": status,
        "suspended_until": (
            rfc3339(user.suspended_until)
            if status == "suspended" and user.suspended_until is not None
            else None
        ),
        "two_factor_enabled": user.two_factor_enabled,
        "plan": user.plan,
        "date_joined": rfc3339(user.date_joined),
        "last_login": rfc3339(user.last_login) if user.last_login is not None else None,
    }


async def admin_user_detail_json(*, session: AsyncSession, user: User) -> dict[str, Any]:
    """`AdminUserDetail`: `AdminUser` plus bio and the moderation counters, in one query.

    `warning_count` counts the reports against the user that were acted on (every one sent
    them an `account_warning`); `reports_received` every report naming them as target or author.
    """

    def count(stmt: sa.Select[Any]) -> sa.ScalarSelect[Any]:
        return stmt.with_only_columns(sa.func.count()).scalar_subquery()

    against = sa.select(Report).where(col(Report.target_user_id) == user.id)
    stmt = sa.select(
        count(against.where(col(Report.status) == "resolved")),
        count(against),
        count(sa.select(Party).where(col(Party.host_id) == user.id)),
    )
    warnings, received, hosted = (await session.exec(stmt)).one()  # type: ignore[call-overload]
    return {
        **admin_user_json(user, now=utcnow()),
        "bio": user.bio,
        "warning_count": int(warnings),
        "reports_received": int(received),
        "parties_hosted": int(hosted),
    }


async def access_admin_user(*, session: AsyncSession, user_id: str) -> User:
    """Any account, deleted ones included (the caller is an admin); NotFound if unknown."""
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        raise NotFound() from None
    user = await session.get(User, key)
    if user is None:
        raise NotFound()
    return user


async def do_change_account(
    *,
    session: AsyncSession,
    user: User,
    role: str | None = None,
    status: str | None = None,
    until: dt.datetime | None = None,
    revoke_reason: str,
) -> None:
    """Set `user`'s role and/or status (`until`: end of a suspension); caller commits.

    Suspending or banning revokes every refresh family of the user. Taking the last active
    admin out of office is refused, race-free: on PostgreSQL the active admins' rows are
    locked first, so two admins demoting each other at once are serialized; on SQLite the
    check and the write are one UPDATE, and SQLite runs one writer at a time.

    Raises:
        Conflict: `last_admin`.
    """
    now = utcnow()
    new_role = role if role is not None else user.role
    new_status = status if status is not None else effective_status(user, now=now)
    values: dict[str, Any] = {"role": new_role}
    if status is not None:
        values |= {"status": status, "suspended_until": until if status == "suspended" else None}
    stmt = sa.update(User).where(col(User.id) == user.id)
    was_in_office = (user.role, effective_status(user, now=now)) == ("admin", "active")
    if was_in_office and (new_role, new_status) != ("admin", "active"):
        active_admin = sa.and_(col(User.role) == "admin", status_is(User, "active", now=now))
        locked = select(User.id).where(active_admin).order_by(col(User.id))
        await session.exec(locked.with_for_update())
        other = aliased(User)
        stmt = stmt.where(
            sa.exists().where(
                col(other.role) == "admin",
                status_is(other, "active", now=now),
                col(other.id) != user.id,
            )
        )
    result = await session.exec(stmt.values(**values))
    if result.rowcount == 0:
        raise Conflict(
            "The last active admin cannot be demoted, suspended or banned.", code="last_admin"
        )
    for name, value in values.items():
        setattr(user, name, value)
    if status in RESTRICTED:
        await revoke_families(session=session, user_id=user.id, reason=revoke_reason)


async def check_update_admin_user(
    *, session: AsyncSession, actor: User, user: User, body: Mapping[str, Any]
) -> User:
    """Apply an `AdminUserUpdate` to `user`, audit it and commit.

    Raises:
        ValidationFailed: `suspension_days` without `status: suspended`.
        Conflict: the account is deleted (`account_deleted`), or `last_admin`.
    """
    role, status, days = body.get("role"), body.get("status"), body.get("suspension_days")
    if days is not None and status != "suspended":
        raise ValidationFailed.field("suspension_days", "Only used with status suspended.")
    if user.is_deleted:
        raise Conflict("This account was deleted.", code="account_deleted")
    if role is None and status is None:
        return user
    now = utcnow()
    before = {"role": user.role, "status": effective_status(user, now=now)}
    until = now + dt.timedelta(days=days) if days is not None else None
    await do_change_account(
        session=session, user=user, role=role, status=status, until=until, revoke_reason="admin"
    )
    record_audit(
        session,
        actor=actor,
        action="user.update",
        target_type="user",
        target_id=user.id,
        data={
            "before": before,
            "after": {"role": user.role, "status": user.status},
            "suspended_until": rfc3339(until) if until is not None else None,
            "reason": str(body.get("reason") or ""),
        },
    )
    await session.commit()
    return user
