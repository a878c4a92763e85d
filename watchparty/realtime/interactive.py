"""`/ws/interactive/{partyId}/polls|screen-share|voice/`: party widgets (issue 8).

Polls are stored (`watchparty.services.polls`) and their changes reach every socket of the
party's polls topic after commit. Screen share and voice are WebRTC signaling relays: the
media flows peer to peer; the server keeps who is connected (and sharing, muted, speaking)
in the shared room store and relays `rtc.*` frames to one peer, addressed by its
`connection_id`, through that peer's own topic `peer:<connection_id>`, so sender and receiver
may sit on different processes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

import structlog

from generated.events import (
    EmptyPayload,
    PollClose,
    PollCreate,
    PollVote,
    ShareForceStop,
    ShareStart,
    VoiceStatus,
)
from watchparty.db import Database, utcnow
from watchparty.errors import APIError, Conflict
from watchparty.realtime import presence
from watchparty.realtime.connection import Connection
from watchparty.realtime.publish import interactive_topic
from watchparty.realtime.router import Channel, Handler
from watchparty.services.polls import (
    close_due_polls,
    close_poll,
    create_poll,
    my_ballots,
    poll_topic,
    polls_json,
    vote_poll,
)
from watchparty.services.users import rfc3339

__all__ = ["CHANNELS", "POLL_SWEEP_SECS"]

logger = logging.getLogger(__name__)

# -- polls ---------------------------------------------------------------------------------------


# How often a process with poll sockets closes the polls whose deadline passed.
POLL_SWEEP_SECS = 1.0


async def _sweep_polls(db: Database) -> None:
    """Close due polls, whichever process created them (`close_due_polls`: one winner)."""
    structlog.contextvars.clear_contextvars()  # not the log context of the socket that began it
    while True:
        await asyncio.sleep(POLL_SWEEP_SECS)
        try:
            await close_due_polls(db)
        except Exception:  # the database may be away for a while: try again next sweep
            logger.exception("realtime: closing due polls failed")


async def polls_join(conn: Connection) -> None:
    # Every process serving a polls socket sweeps, so its listeners hear of timed closes.
    conn.hub.keep_running("poll-sweep", functools.partial(_sweep_polls, conn.rt.db))
    async with conn.rt.db.session() as session:
        polls = await polls_json(session=session, party_id=conn.party_id)
        mine = await my_ballots(session=session, party_id=conn.party_id, user_id=conn.user.id)
    # Open first, then closed; newest first within each (the sort is stable).
    polls.sort(key=lambda poll: poll["status"] != "open")
    conn.send("poll.list", {"polls": polls, "my_votes": mine})


async def poll_create(conn: Connection, payload: PollCreate, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        party = await presence.fresh_party(conn, session)
        await presence.check_host(conn, party)
        await create_poll(
            session=session,
            party_id=party.id,
            user=conn.user,
            question=payload.question,
            options=[option.root for option in payload.options],
            multiple=payload.multiple,
            duration_seconds=payload.duration_seconds,
        )


async def poll_vote(conn: Connection, payload: PollVote, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        await vote_poll(
            session=session,
            party_id=conn.party_id,
            user=conn.user,
            poll_id=payload.poll_id,
            option_ids=payload.option_ids,
        )


async def poll_close(conn: Connection, payload: PollClose, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        party = await presence.fresh_party(conn, session)
        await presence.check_host(conn, party)
        await close_poll(session=session, party_id=party.id, poll_id=payload.poll_id)


# -- signaling (screen share and voice) ---------------------------------------------------------
# Room entries: {"peer": SharePeer | VoicePeer JSON, "hub": ..., "since": ...} per socket.


def _peer_topic(peer_id: str) -> str:
    return f"peer:{peer_id}"


def _room(conn: Connection, widget: str) -> str:
    return f"{widget}:{conn.party_id}"


def _widget_topic(conn: Connection, widget: str) -> str:
    return interactive_topic(conn.party_id, widget)


async def _peers(conn: Connection, widget: str) -> dict[str, dict[str, Any]]:
    """Connection id -> public peer JSON, first connected first."""
    rooms = conn.hub.rooms
    entries = await rooms.live(await rooms.all(_room(conn, widget)))
    ordered = sorted(entries.items(), key=lambda item: str(item[1]["since"]))
    return {peer_id: entry["peer"] for peer_id, entry in ordered}


async def _put_peer(conn: Connection, widget: str, peer: dict[str, Any]) -> None:
    entry = {"peer": peer, "hub": conn.hub.id, "since": conn.joined_at.isoformat()}
    await conn.hub.rooms.put(_room(conn, widget), conn.id, entry)


async def _announce(conn: Connection, widget: str) -> None:
    """`share.state` / `voice.state` with every peer, to the whole channel."""
    type_ = "share.state" if widget == "screen-share" else "voice.state"
    peers = list((await _peers(conn, widget)).values())
    conn.hub.publish(_widget_topic(conn, widget), {"type": type_, "payload": {"peers": peers}})


def _relay(widget: str, type_: str, body: Callable[[Connection, Any], dict[str, Any]]) -> Handler:
    """A handler relaying `type_` to the peer named in `to`, from this socket."""

    async def relay(conn: Connection, payload: Any, ref: str | None) -> None:
        to = str(payload.to)
        if to not in await _peers(conn, widget):
            raise APIError("That peer is not connected to this channel.", code="peer_not_found")
        frame = {"from": conn.id, **body(conn, payload)}
        conn.hub.publish(_peer_topic(to), {"type": type_, "payload": frame})

    return relay


def _signaling(widget: str) -> dict[str, Handler]:
    def described(conn: Connection, payload: Any) -> dict[str, Any]:
        return {"user": conn.user_json, "sdp": payload.sdp}

    def candidate(conn: Connection, payload: Any) -> dict[str, Any]:
        found = payload.candidate
        return {"candidate": found.model_dump(mode="json") if found is not None else None}

    return {
        "rtc.offer": _relay(widget, "rtc.offer", described),
        "rtc.answer": _relay(widget, "rtc.answer", described),
        "rtc.ice": _relay(widget, "rtc.ice", candidate),
        "rtc.leave": _relay(widget, "rtc.leave", lambda conn, payload: {}),
    }


async def _leave_signaling(conn: Connection, widget: str) -> None:
    await conn.hub.rooms.remove(_room(conn, widget), conn.id)
    conn.hub.publish(
        _widget_topic(conn, widget), {"type": "rtc.leave", "payload": {"from": conn.id}}
    )
    await _announce(conn, widget)


# -- screen share --------------------------------------------------------------------------------


def _share_peer(conn: Connection, **sharing: Any) -> dict[str, Any]:
    return {
        "peer_id": conn.id,
        "user": conn.user_json,
        "sharing": False,
        "surface": None,
        "with_audio": False,
        "started_at": None,
        **sharing,
    }


async def share_join(conn: Connection) -> None:
    await _put_peer(conn, SHARE, _share_peer(conn))
    await _announce(conn, SHARE)


async def share_start(conn: Connection, payload: ShareStart, ref: str | None) -> None:
    peers = await _peers(conn, SHARE)
    if any(peer["sharing"] for peer_id, peer in peers.items() if peer_id != conn.id):
        raise Conflict("Someone else is sharing; ask them or the host to stop first.")
    peer = _share_peer(
        conn,
        sharing=True,
        surface=payload.surface,
        with_audio=payload.with_audio,
        started_at=rfc3339(utcnow()),
    )
    await _put_peer(conn, SHARE, peer)
    await _announce(conn, SHARE)


async def _stop_share(
    conn: Connection, peer_id: str, peer: dict[str, Any], reason: str, by: dict[str, Any] | None
) -> None:
    entry = await conn.hub.rooms.get(_room(conn, SHARE), peer_id)
    if entry is not None and reason != "disconnected":
        stopped = {
            **peer,
            "sharing": False,
            "surface": None,
            "with_audio": False,
            "started_at": None,
        }
        await conn.hub.rooms.put(_room(conn, SHARE), peer_id, {**entry, "peer": stopped})
    conn.hub.publish(
        _widget_topic(conn, SHARE),
        {
            "type": "share.stopped",
            "payload": {"peer_id": peer_id, "user": peer["user"], "reason": reason, "by": by},
        },
    )
    await _announce(conn, SHARE)


async def share_stop(conn: Connection, payload: EmptyPayload, ref: str | None) -> None:
    peer = (await _peers(conn, SHARE)).get(conn.id)
    if peer is None or not peer["sharing"]:
        raise Conflict("You are not sharing.")
    await _stop_share(conn, conn.id, peer, "stopped", None)


async def share_force_stop(conn: Connection, payload: ShareForceStop, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        party = await presence.fresh_party(conn, session)
    await presence.check_host(conn, party)
    peer_id = str(payload.peer_id)
    peer = (await _peers(conn, SHARE)).get(peer_id)
    if peer is None:
        raise APIError("That peer is not connected to this channel.", code="peer_not_found")
    if not peer["sharing"]:
        raise Conflict("That peer is not sharing.")
    await _stop_share(conn, peer_id, peer, "host_stopped", conn.user_json)


async def share_leave(conn: Connection) -> None:
    peer = (await _peers(conn, SHARE)).get(conn.id)
    if peer is not None and peer["sharing"]:
        await conn.hub.rooms.remove(_room(conn, SHARE), conn.id)
        await _stop_share(conn, conn.id, peer, "disconnected", None)
    await _leave_signaling(conn, SHARE)


# -- voice ---------------------------------------------------------------------------------------


def _voice_peer(conn: Connection, *, muted: bool, speaking: bool) -> dict[str, Any]:
    return {
        "peer_id": conn.id,
        "user": conn.user_json,
        "muted": muted,
        "speaking": speaking,
        "joined_at": rfc3339(conn.joined_at),
    }


async def voice_join(conn: Connection) -> None:
    await _put_peer(conn, VOICE, _voice_peer(conn, muted=False, speaking=False))
    await _announce(conn, VOICE)


async def voice_status(conn: Connection, payload: VoiceStatus, ref: str | None) -> None:
    await _put_peer(conn, VOICE, _voice_peer(conn, muted=payload.muted, speaking=payload.speaking))
    await _announce(conn, VOICE)


async def voice_leave(conn: Connection) -> None:
    await _leave_signaling(conn, VOICE)


SHARE = "screen-share"
VOICE = "voice"

CHANNELS = [
    Channel(
        id="polls",
        handlers={"poll.create": poll_create, "poll.vote": poll_vote, "poll.close": poll_close},
        topics=lambda conn: [poll_topic(conn.party_id)],
        join=polls_join,
    ),
    Channel(
        id="screen_share",
        handlers={
            **_signaling(SHARE),
            "share.start": share_start,
            "share.stop": share_stop,
            "share.force_stop": share_force_stop,
        },
        topics=lambda conn: [_widget_topic(conn, SHARE), _peer_topic(conn.id)],
        join=share_join,
        leave=share_leave,
    ),
    Channel(
        id="voice",
        handlers={**_signaling(VOICE), "voice.status": voice_status},
        topics=lambda conn: [_widget_topic(conn, VOICE), _peer_topic(conn.id)],
        join=voice_join,
        leave=voice_leave,
    ),
]
