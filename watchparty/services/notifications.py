"""Notifications: the one place that creates them (every domain calls `notify`).

`notify` adds the row to the caller's session and queues a `notification.created` frame for
the user's sockets; both happen only if the caller's transaction commits (store first, then
publish). Reads are synced across a user's tabs with `notification.read` frames.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.permissions import access_object
from watchparty.realtime.publish import publish_after_commit, user_topic
from watchparty.services.users import rfc3339
from watchparty.tables import Notification, User

__all__ = [
    "notify",
    "notify_many",
    "notification_json",
    "notifications_query",
    "access_notification",
    "mark_read",
    "mark_all_read",
    "unread_count",
]


def notification_json(note: Notification) -> dict[str, Any]:
    return {
        "id": str(note.id),
        "type": note.type,
        "title": note.title,
        "body": note.body,
        "data": note.data,
        "read": note.read_at is not None,
        "created_at": rfc3339(note.created_at),
    }


def notify(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    type: str,  # noqa: A002 - the API's name for it
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> Notification:
    """Add a notification for `user_id` to `session`; pushed to their sockets after commit.

    `type` is a NotificationType (specs/schemas/notifications.yaml); `data` holds the ids the
    client needs to link the toast, as strings.
    """
    note = Notification(
        user_id=user_id,
        type=type,
        title=title[:200],
        body=body,
        data={key: str(value) for key, value in (data or {}).items()},
    )
    session.add(note)
    publish_after_commit(
        session,
        user_topic(user_id),
        {"type": "notification.created", "payload": notification_json(note)},
    )
    return note


def notify_many(
    session: AsyncSession,
    user_ids: Iterable[uuid.UUID],
    *,
    type: str,  # noqa: A002
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """`notify` each of `user_ids` once (duplicates are dropped)."""
    for user_id in dict.fromkeys(user_ids):
        notify(session, user_id=user_id, type=type, title=title, body=body, data=data)


def notifications_query(
    *,
    user: User,
    unread: bool | None,
    type: str | None,  # noqa: A002
) -> sa.Select[Any]:
    stmt = sa.select(Notification).where(col(Notification.user_id) == user.id)
    if unread is True:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    elif unread is False:
        stmt = stmt.where(col(Notification.read_at).is_not(None))
    if type is not None:
        stmt = stmt.where(col(Notification.type) == type)
    return stmt


async def access_notification(
    *, session: AsyncSession, user: User, notification_id: str
) -> Notification:
    return await access_object(
        session=session,
        model=Notification,
        object_id=notification_id,
        user=user,
        owner_field="user_id",
    )


async def _publish_read(
    session: AsyncSession, user: User, ids: list[str], *, every: bool = False
) -> None:
    # Every tab of the user hears of reads made anywhere (REST or WebSocket).
    await session.flush()
    payload = {
        "ids": ids,
        "all": every,
        "unread_count": await unread_count(session=session, user=user),
    }
    publish_after_commit(
        session, user_topic(user.id), {"type": "notification.read", "payload": payload}
    )


async def mark_read(*, session: AsyncSession, user: User, note: Notification) -> Notification:
    """Mark one notification read (idempotent) and commit."""
    if note.read_at is None:
        note.read_at = utcnow()
        session.add(note)
        await _publish_read(session, user, [str(note.id)])
        await session.commit()
        await session.refresh(note)
    return note


async def mark_all_read(*, session: AsyncSession, user: User) -> int:
    """Mark every unread notification of `user` read and commit; answers how many changed."""
    unread = (col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
    result = await session.exec(update(Notification).where(*unread).values(read_at=utcnow()))
    changed = int(result.rowcount)
    if changed:
        await _publish_read(session, user, [], every=True)
        await session.commit()
    return changed


async def unread_count(*, session: AsyncSession, user: User) -> int:
    stmt = select(sa.func.count()).where(
        col(Notification.user_id) == user.id, col(Notification.read_at).is_(None)
    )
    return (await session.exec(stmt)).one()
