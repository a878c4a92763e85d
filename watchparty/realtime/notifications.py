"""`/ws/notifications/`: the user's notifications as they are created, reads synced across tabs.

`watchparty.services.notifications` queues `notification.created` and `notification.read`
on the user's topic when it commits (REST or this channel), so every tab of the user hears
both; this channel only subscribes, and turns `notification.read` frames into service calls.
"""

from __future__ import annotations

from generated.events import NotificationReadCommand
from watchparty.realtime.connection import Connection
from watchparty.realtime.publish import user_topic
from watchparty.realtime.router import Channel
from watchparty.services.notifications import access_notification, mark_read

__all__ = ["CHANNEL"]


async def read(conn: Connection, payload: NotificationReadCommand, ref: str | None) -> None:
    """Mark the caller's notifications read; an id that is not theirs fails the whole frame."""
    async with conn.rt.db.session() as session:
        notes = [
            await access_notification(session=session, user=conn.user, notification_id=str(id_))
            for id_ in payload.ids
        ]
        for note in notes:
            await mark_read(session=session, user=conn.user, note=note)


CHANNEL = Channel(
    id="notifications",
    handlers={"notification.read": read},
    topics=lambda conn: [user_topic(conn.user.id)],
)
