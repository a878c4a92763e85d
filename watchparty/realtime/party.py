"""`/ws/party/{partyId}/`: playback sync, clock sync, presence, reactions (DESIGN §4, issue 8).

On join a socket gets `session.welcome`, the stored `playback.state` (cause `join`), the room's
`presence` and an open `ready_check.state`. Playback commands come from the controller (the
host, or whoever holds control while the host is away, `watchparty.realtime.presence`), or
from anyone when the party allows guest control; each is applied to the stored state
(`watchparty.services.playback`) in the order this socket sent them and broadcast as the new
authoritative state. Ready checks and buffering live in `watchparty.realtime.party_ready`.
Socket opens and closes, and reactions, are recorded as party activity (analytics). A user
whose last socket closes is announced (`presence.left`) at once when they closed it (`left`)
or were removed (`kicked`, or `left` the party over REST); a dropped socket (any other close,
1001 and 1006 included) is announced `disconnected` only after `ws_reconnect_grace_secs`
without a reconnect of the user (`watchparty.realtime.presence`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from generated.events import (
    BufferingStart,
    EmptyPayload,
    PlaybackPause,
    PlaybackPlay,
    PlaybackRate,
    PlaybackSeek,
    ReactionSend,
    SyncPing,
)
from watchparty.db import utcnow
from watchparty.errors import PermissionDenied
from watchparty.realtime import party_ready, presence
from watchparty.realtime.connection import Connection
from watchparty.realtime.hub import now_ms, spawn
from watchparty.realtime.publish import party_topic, publish_after_commit
from watchparty.realtime.router import Channel
from watchparty.services.activity import record_activity
from watchparty.services.playback import (
    Change,
    apply_playback,
    load_playback,
    load_playback_and_video,
    playback_event,
    playback_of,
    with_playback_and_video,
)

__all__ = ["CHANNEL"]

logger = logging.getLogger(__name__)


async def join(conn: Connection) -> None:
    resumed = await presence.add_socket(conn)
    await _record_fact(conn, "connected", {"connection_id": conn.id})
    # The socket hears broadcasts from before this read: a command stored after the read can
    # reach it first, and then the snapshot is read again, so it never goes back in `seq`.
    # The snapshot is sent with no await after the check (closing the session awaits).
    async with conn.rt.db.session() as session:
        state, video = await load_playback_and_video(session=session, party_id=conn.party_id)
        while state.seq < conn.playback_seq:
            await session.rollback()  # a fresh read, not the transaction's snapshot
            state, video = await load_playback_and_video(session=session, party_id=conn.party_id)
        conn.send("playback.state", playback_event(state, cause="join", actor=None, video=video))
    # Read now and sent with no await after the read: a `presence.joined` or `.left` this
    # socket heard since `add_socket` must not be undone by an older snapshot.
    room = await presence.members(conn)
    conn.send("presence", presence.presence_json(room))
    await party_ready.greet(conn)
    member = presence.find_member(room, conn.user_json["id"])
    # The user's first socket, unless it replaces one that dropped moments ago.
    if member is not None and member["connections"] == 1 and not resumed:
        presence.publish_room(conn, "presence.joined", {"member": member, "count": len(room)})
    await presence.update_controller(conn, host_id=_host_id(conn))


async def leave(conn: Connection) -> None:
    # The room first: a fact that cannot be written must not keep the user in presence.
    grace = conn.rt.settings.ws_reconnect_grace_secs
    if conn.gone is None and grace > 0:
        # Dropped: the user stays in the room for the grace period (`presence`).
        await presence.hold_socket(conn)
        spawn(_after_grace(conn, grace))
    else:
        await _left(conn, await presence.remove_socket(conn), conn.gone or "disconnected")
    watched = (utcnow() - conn.joined_at).total_seconds()
    await _record_fact(
        conn, "disconnected", {"connection_id": conn.id, "seconds": round(watched, 3)}
    )


async def _record_fact(conn: Connection, kind: str, data: dict[str, Any]) -> None:
    """Store a join/leave fact for analytics, best effort.

    A burst of joins on SQLite can outwait the write lock's busy timeout; the socket then
    still joins or leaves, and the missed fact is logged instead.
    """
    try:
        async with conn.rt.db.session() as session:
            record_activity(
                session, party_id=conn.party_id, kind=kind, user_id=conn.user.id, data=data
            )
            await session.commit()
    except Exception:
        logger.warning("realtime: the %s fact of %s was not stored", kind, conn.id, exc_info=True)


async def _after_grace(conn: Connection, grace: float) -> None:
    await asyncio.sleep(grace)
    try:
        room = await presence.drop_held(conn)
        if room is not None:
            await _left(conn, room, "disconnected")
    except Exception:  # a background task: nobody else would see it (e.g. at shutdown)
        logger.exception("realtime: ending the grace period of %s failed", conn.id)


async def _left(conn: Connection, room: list[dict[str, Any]], reason: str) -> None:
    """The socket is out of `room`; announce the user's leaving if it was their last."""
    if presence.find_member(room, conn.user_json["id"]) is not None:
        return  # another tab of the user is still in the room
    presence.publish_room(
        conn, "presence.left", {"user": conn.user_json, "reason": reason, "count": len(room)}
    )
    await party_ready.forget(conn)
    await presence.update_controller(conn, host_id=_host_id(conn))


def _host_id(conn: Connection) -> str:
    return str(conn.host_id)


# The party, the caller's participation and the stored state in one read: a command's
# latency before its broadcast is mostly round trips to the database.
_PARTY_AND_PLAYBACK = with_playback_and_video(presence.party_query())


async def _command(conn: Connection, *, cause: str, change: Change) -> None:
    async with conn.rt.db.session() as session:
        row = await presence.fresh_party_row(conn, session, _PARTY_AND_PLAYBACK)
        party, stored, video = row[0], row[-2], row[-1]
        await presence.check_control(conn, party)
        await apply_playback(
            session=session,
            party_id=party.id,
            change=change,
            cause=cause,
            actor=conn.user,
            read=(playback_of(stored), video),
        )


async def play(conn: Connection, payload: PlaybackPlay, ref: str | None) -> None:
    await _command(
        conn,
        cause="play",
        change=lambda s, now: (
            "playing",
            payload.position if payload.position is not None else s.position_at(now),
            s.rate,
        ),
    )


async def pause(conn: Connection, payload: PlaybackPause, ref: str | None) -> None:
    await _command(
        conn,
        cause="pause",
        change=lambda s, now: (
            "paused",
            payload.position if payload.position is not None else s.position_at(now),
            s.rate,
        ),
    )


async def seek(conn: Connection, payload: PlaybackSeek, ref: str | None) -> None:
    await _command(conn, cause="seek", change=lambda s, now: (s.status, payload.position, s.rate))


async def rate(conn: Connection, payload: PlaybackRate, ref: str | None) -> None:
    await _command(
        conn, cause="rate", change=lambda s, now: (s.status, s.position_at(now), payload.rate)
    )


async def ping(conn: Connection, payload: SyncPing, ref: str | None) -> None:
    conn.send("sync.pong", {"client_ts": payload.client_ts, "server_ts": now_ms()}, ref=ref)


async def react(conn: Connection, payload: ReactionSend, ref: str | None) -> None:
    await conn.rt.throttler.hit("reaction", f"user:{conn.user.id}")
    async with conn.rt.db.session() as session:
        party = await presence.fresh_party(conn, session)
        if not party.reactions_enabled:
            raise PermissionDenied("Reactions are off in this party.", code="reactions_disabled")
        if conn.muted:
            # Muting by the host silences reactions as well as chat.
            raise PermissionDenied("The host has muted you in this party.", code="muted")
        position = payload.position
        if position is None:
            state = await load_playback(session=session, party_id=party.id)
            position = round(state.position_at(now_ms()), 3)
        record_activity(
            session,
            party_id=party.id,
            kind="reaction",
            user_id=conn.user.id,
            data={"emoji": payload.emoji, "position": position},
        )
        publish_after_commit(
            session,
            party_topic(party.id),
            {
                "type": "reaction",
                "payload": {"user": conn.user_json, "emoji": payload.emoji, "position": position},
            },
        )
        await session.commit()


async def buffering(conn: Connection, payload: BufferingStart, ref: str | None) -> None:
    await party_ready.start_buffering(conn, payload.position)


async def buffered(conn: Connection, payload: EmptyPayload, ref: str | None) -> None:
    await party_ready.stop_buffering(conn)


CHANNEL = Channel(
    id="party",
    handlers={
        "sync.ping": ping,
        "playback.play": play,
        "playback.pause": pause,
        "playback.seek": seek,
        "playback.rate": rate,
        "ready_check.start": party_ready.start_check,
        "ready_check.answer": party_ready.answer_check,
        "ready_check.cancel": party_ready.cancel_check,
        "buffering": buffering,
        "buffered": buffered,
        "reaction": react,
    },
    topics=lambda conn: [party_topic(conn.party_id)],
    join=join,
    leave=leave,
)
