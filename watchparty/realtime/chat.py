"""`/ws/chat/{partyId}/`: party chat over the same service as REST (`watchparty.services.chat`).

Durable first: `message.send` is stored by the chat service, which publishes `message.created`
(with the sender's `client_id`) to everyone after commit, the sender included; a retried
`client_id` answers the stored message to the sender alone. `resume {since}` replays what a
reconnecting client missed: the socket subscribed to the chat topic before its welcome, so a
message stored during the replay comes in it or after it, never neither. Typing indicators
are not stored; a `start` without a follow-up becomes a `stop` after `TYPING_TIMEOUT_SECS`.
Deletions reach the topic from the service (REST or moderation).
"""

from __future__ import annotations

import asyncio

from generated.events import ChatMessageCreate, ChatResume, TypingUpdate
from watchparty.realtime.connection import Connection
from watchparty.realtime.publish import chat_topic
from watchparty.realtime.router import Channel
from watchparty.services.chat import access_chat, replay_since, send_chat_message

__all__ = ["CHANNEL", "TYPING_TIMEOUT_SECS"]

TYPING_TIMEOUT_SECS = 5.0
# Connection id -> the timer that turns a silent `start` into `stop`.
_typing: dict[str, asyncio.TimerHandle] = {}


async def send(conn: Connection, payload: ChatMessageCreate, ref: str | None) -> None:
    await conn.rt.throttler.hit("chat_send", f"user:{conn.user.id}")
    async with conn.rt.db.session() as session:
        view = await access_chat(session=session, user=conn.user, party_id=conn.party_id)
        sent = await send_chat_message(
            session=session,
            view=view,
            user=conn.user,
            content=payload.content,
            reply_to=str(payload.reply_to) if payload.reply_to is not None else None,
            client_id=payload.client_id,
        )
    if not sent.created:
        conn.send("message.created", sent.json, ref=ref)
    _stop_typing(conn)


async def resume(conn: Connection, payload: ChatResume, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        replay = await replay_since(session=session, party_id=conn.party_id, since=payload.since)
    for message in replay.messages:
        conn.send("message.created", message, ref=ref)
    conn.send(
        "resume.complete",
        {
            "since": str(payload.since),
            "replayed": len(replay.messages),
            "last_id": replay.last_id,
            "truncated": replay.truncated,
        },
        ref=ref,
    )


async def typing(conn: Connection, payload: TypingUpdate, ref: str | None) -> None:
    if payload.state == "stop":
        _stop_typing(conn)
        return
    await conn.rt.throttler.hit("typing", f"user:{conn.user.id}")
    timer = _typing.pop(conn.id, None)
    if timer is not None:
        timer.cancel()
    else:
        _publish_typing(conn, "start")
    _typing[conn.id] = asyncio.get_running_loop().call_later(
        TYPING_TIMEOUT_SECS, _stop_typing, conn
    )


def _stop_typing(conn: Connection) -> None:
    timer = _typing.pop(conn.id, None)
    if timer is not None:
        timer.cancel()
        _publish_typing(conn, "stop")


def _publish_typing(conn: Connection, state: str) -> None:
    conn.hub.publish(
        chat_topic(conn.party_id),
        {"type": "typing", "payload": {"user": conn.user_json, "state": state}},
    )


async def leave(conn: Connection) -> None:
    _stop_typing(conn)


CHANNEL = Channel(
    id="chat",
    handlers={"message.send": send, "resume": resume, "typing": typing},
    topics=lambda conn: [chat_topic(conn.party_id)],
    leave=leave,
)
