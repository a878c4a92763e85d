"""Replies of the interactive channels (polls, screen share, voice), as in specs/asyncapi.yaml.

See `mocks.ws_replies` for the table that dispatches to these.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mocks.ws_frames import FrameError, Reply, iso_now, new_id

if TYPE_CHECKING:
    from mocks.ws import Conn

__all__ = [
    "poll_create",
    "poll_vote",
    "poll_close",
    "relay",
    "share_start",
    "share_stop",
    "share_state",
    "voice_state",
    "voice_status",
]


def poll_create(c: Conn, p: dict[str, Any]) -> list[Reply]:
    duration = p.get("duration_seconds")
    poll = {
        "id": new_id(),
        "party_id": c.party_id,
        "question": p["question"],
        "options": [{"id": new_id(), "text": text, "votes": 0} for text in p["options"]],
        "multiple": bool(p.get("multiple", False)),
        "status": "open",
        "created_by": c.user,
        "created_at": iso_now(),
        "closes_at": None
        if duration is None
        else datetime.fromtimestamp(time.time() + duration, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "total_votes": 0,
    }
    c.room.state.polls[poll["id"]] = poll
    return [Reply("room", "poll.created", poll)]


def _poll(c: Conn, poll_id: Any) -> dict[str, Any]:
    poll = c.room.state.polls.get(str(poll_id))
    if poll is None:
        raise FrameError("not_found", "No such poll in this party.")
    return poll


def poll_vote(c: Conn, p: dict[str, Any]) -> list[Reply]:
    poll = _poll(c, p["poll_id"])
    if poll["status"] != "open":
        raise FrameError("poll_closed", "This poll is closed.")
    key = (c.user["id"], poll["id"])
    if key in c.room.state.ballots:
        raise FrameError("already_voted", "You already voted in this poll.")
    chosen = [str(o) for o in p["option_ids"]]
    options = {o["id"]: o for o in poll["options"]}
    if any(o not in options for o in chosen) or (len(chosen) > 1 and not poll["multiple"]):
        raise FrameError(
            "validation_error",
            "Invalid options.",
            {"option_ids": ["Invalid options for this poll."]},
        )
    for option_id in chosen:
        options[option_id]["votes"] += 1
    poll["total_votes"] += 1
    c.room.state.ballots[key] = chosen
    return [Reply("room", "poll.results", poll)]


def poll_close(c: Conn, p: dict[str, Any]) -> list[Reply]:
    poll = _poll(c, p["poll_id"])
    poll["status"] = "closed"
    return [Reply("room", "poll.closed", poll)]


def relay(kind: str, with_user: bool) -> Callable[[Conn, dict[str, Any]], list[Reply]]:
    def handle(c: Conn, p: dict[str, Any]) -> list[Reply]:
        target = str(p["to"])
        if target not in c.room.conns:
            raise FrameError("peer_not_found", "That peer is not connected to this channel.")
        payload = {"from": c.connection_id, **({"user": c.user} if with_user else {})}
        payload.update({k: v for k, v in p.items() if k != "to"})
        return [Reply("peer", kind, payload, peer=target)]

    return handle


def share_start(c: Conn, p: dict[str, Any]) -> list[Reply]:
    if any(other.sharing for other in c.room.conns.values() if other is not c):
        raise FrameError("conflict", "Someone is already sharing.")
    c.sharing, c.surface, c.with_audio = (
        True,
        p.get("surface", "browser"),
        bool(p.get("with_audio", False)),
    )
    c.share_started_at = iso_now()
    return [Reply("room", "share.state", share_state(c))]


def share_stop(c: Conn, p: dict[str, Any]) -> list[Reply]:
    forced = "peer_id" in p
    sharer = c.room.conns.get(str(p["peer_id"])) if forced else c
    if sharer is None or not sharer.sharing:
        raise FrameError("not_found", "Nobody shares under that peer id.")
    sharer.sharing = False
    stopped = {
        "peer_id": sharer.connection_id,
        "user": sharer.user,
        "reason": "host_stopped" if forced else "stopped",
        "by": c.user if forced else None,
    }
    return [Reply("room", "share.stopped", stopped), Reply("room", "share.state", share_state(c))]


def share_state(c: Conn) -> dict[str, Any]:
    return {
        "peers": [
            {
                "peer_id": o.connection_id,
                "user": o.user,
                "sharing": o.sharing,
                "surface": o.surface if o.sharing else None,
                "with_audio": o.with_audio and o.sharing,
                "started_at": o.share_started_at if o.sharing else None,
            }
            for o in c.room.conns.values()
        ]
    }


def voice_state(c: Conn) -> dict[str, Any]:
    return {
        "peers": [
            {
                "peer_id": o.connection_id,
                "user": o.user,
                "muted": o.muted,
                "speaking": o.speaking,
                "joined_at": o.joined_at,
            }
            for o in c.room.conns.values()
        ]
    }


def voice_status(c: Conn, p: dict[str, Any]) -> list[Reply]:
    c.muted, c.speaking = bool(p["muted"]), bool(p["speaking"])
    return [Reply("room", "voice.state", voice_state(c))]
