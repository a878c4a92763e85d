"""REST operations of the `notifications` tag (service: `watchparty.services.notifications`)."""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.services import notifications

__all__ = [
    "list_notifications",
    "get_unread_notification_count",
    "mark_notification_read",
    "mark_all_notifications_read",
]


async def list_notifications(
    token_info: TokenInfo, unread: bool | None = None, **query: Any
) -> Answer:
    async with caller(token_info) as (session, me):
        stmt = notifications.notifications_query(user=me, unread=unread, type=query.get("type"))
        page = await paginate(
            session, stmt, params=query, serialize=notifications.notification_json, order="newest"
        )
        return page, 200


async def get_unread_notification_count(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        return {"unread": await notifications.unread_count(session=session, user=me)}, 200


async def mark_notification_read(notificationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        note = await notifications.access_notification(
            session=session, user=me, notification_id=notificationId
        )
        note = await notifications.mark_read(session=session, user=me, note=note)
        return notifications.notification_json(note), 200


async def mark_all_notifications_read(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        return {"updated": await notifications.mark_all_read(session=session, user=me)}, 200
