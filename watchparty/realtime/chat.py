"""`/ws/chat/{partyId}/`: party chat over the same service as REST (`watchparty.services.chat`).

Durable first: `message.send` is stored by the chat service, which publishes `message.created`
(with the sender's `client_id`) to everyone after commit, the sender included; a retried
`client_id` answers the stored message to the sender alone. Sends are pipelined: a socket
queues each into the service's group commit and reads its next frame meanwhile (at most
`MAX_IN_FLIGHT` waiting), so a fast sender's messages share transactions, stored in the
order sent; access (joined, chat on, not muted) is checked in each batch's transaction.
`resume {since}` replays what a reconnecting client missed: the socket subscribed to the chat
topic before its welcome, so a message stored during the replay comes in it or after it,
never neither. Typing indicators are not stored; a `start` without a follow-up becomes a
`stop` after `TYPING_TIMEOUT_SECS`.
Deletions reach the topic from the service (REST or moderation).
"""

from __future__ import annotations

import asyncio
import functools
from collections import deque

from generated.events import ChatMessageCreate, ChatResume, TypingUpdate
from watchparty.realtime.connection import Connection
from watchparty.realtime.publish import chat_topic
from watchparty.realtime.router import Channel, answer_error
from watchparty.services.chat import SentMessage, queue_chat_message, replay_since

__all__ = ["CHANNEL", "MAX_IN_FLIGHT", "TYPING_TIMEOUT_SECS"]

TYPING_TIMEOUT_SECS = 5.0
# Sends of one socket queued and not yet stored; past it the socket's frames wait.
MAX_IN_FLIGHT = 64
# Connection id -> its queued sends, oldest first (no entry while none is pending).
_in_flight: dict[str, deque[asyncio.Future[SentMessage]]] = {}
# Connection id -> the timer that turns a silent `start` into `stop`.
_typing: dict[str, asyncio.TimerHandle] = {}


async def send(conn: Connection, payload: ChatMessageCreate, ref: str | None) -> None:
    """Queue the message for the chat service's group commit and read on: the answer (an
    error, or a retry's stored message) follows when its batch is stored."""
    await conn.rt.throttler.hit("chat_send", f"user:{conn.user.id}")
    queued = _in_flight.setdefault(conn.id, deque())
    if len(queued) >= MAX_IN_FLIGHT:
        await asyncio.wait([queued[0]])  # back-pressure: read nothing more until it is stored
    future = queue_chat_message(
        engine=conn.rt.db.engine,
        party_id=conn.party_id,
        user=conn.user,
        content=payload.content,
        reply_to=str(payload.reply_to) if payload.reply_to is not None else None,
        client_id=payload.client_id,
    )
    queued.append(future)
    future.add_done_callback(functools.partial(_stored, conn, ref))
    _stop_typing(conn)


def _stored(conn: Connection, ref: str | None, future: asyncio.Future[SentMessage]) -> None:
    queued = _in_flight.get(conn.id)
    if queued is not None:
        queued.remove(future)
        if not queued:
            del _in_flight[conn.id]
    if future.cancelled():
        return
    exc = future.exception()
    if exc is not None:
        answer_error(conn, "message.send", ref, exc)
    elif not future.result().created:
        # A retried client_id: only the sender hears of the stored message again.
        conn.send("message.created", future.result().json, ref=ref)


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
