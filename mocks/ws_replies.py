"""What the mock's rooms answer to each client frame type (specs/asyncapi.yaml, per message).

The AsyncAPI document says the replies in prose (`sync.ping` -> `sync.pong`, `message.send`
-> `message.created` to everyone, sender included, ...); this table is that prose as code.
Each handler gets the sender's connection and the validated payload and returns the frames
to send, each with its audience. Rules the mock does not model (host-only controls, rate
limits) are not enforced: every participant may do everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mocks.ws_frames import FrameError, Reply, RoomState, iso_now, new_id, now_ms
from mocks.ws_interactive import (
    poll_close,
    poll_create,
    poll_vote,
    relay,
    share_start,
    share_state,
    share_stop,
    voice_state,
    voice_status,
)

if TYPE_CHECKING:
    from mocks.ws import Conn

__all__ = ["REPLIES", "greeting", "Reply", "FrameError", "RoomState", "iso_now", "now_ms"]

_MAX_HISTORY = 500


def sync_ping(c: Conn, p: dict[str, Any]) -> list[Reply]:
    return [Reply("self", "sync.pong", {"client_ts": p["client_ts"], "server_ts": now_ms()})]


def _playback(cause: str) -> Callable[[Conn, dict[str, Any]], list[Reply]]:
    def handle(c: Conn, p: dict[str, Any]) -> list[Reply]:
        state = c.room.state.playback
        if cause == "play":
            state["status"] = "playing"
        elif cause == "pause":
            state["status"] = "paused"
        if cause == "rate":
            state["rate"] = p["rate"]
        elif p.get("position") is not None:
            state["position"] = p["position"]
        state.update(seq=int(state.get("seq", 0)) + 1, cause=cause, actor=c.user, ref_ts=now_ms())
        return [Reply("room", "playback.state", dict(state))]

    return handle


def message_send(c: Conn, p: dict[str, Any]) -> list[Reply]:
    message = {
        "id": new_id(),
        "party_id": c.party_id,
        "author": c.user,
        "content": p["content"].strip(),
        "reply_to": p.get("reply_to"),
        "client_id": p.get("client_id"),
        "created_at": iso_now(),
        "deleted": False,
    }
    history = c.room.state.messages
    history.append(message)
    del history[:-_MAX_HISTORY]
    return [Reply("room", "message.created", message)]


def resume(c: Conn, p: dict[str, Any]) -> list[Reply]:
    since = str(p["since"])
    ids = [m["id"] for m in c.room.state.messages]
    if since not in ids:
        raise FrameError("not_found", "Unknown message id; reload the history over REST.")
    missed = c.room.state.messages[ids.index(since) + 1 :]
    done = {
        "since": since,
        "replayed": len(missed),
        "last_id": missed[-1]["id"] if missed else None,
        "truncated": False,
    }
    return [
        *(Reply("self", "message.created", m) for m in missed),
        Reply("self", "resume.complete", done),
    ]


def typing(c: Conn, p: dict[str, Any]) -> list[Reply]:
    return [Reply("others", "typing", {"user": c.user, "state": p["state"]})]


def reaction(c: Conn, p: dict[str, Any]) -> list[Reply]:
    position = p.get("position", c.room.state.playback.get("position"))
    return [Reply("room", "reaction", {"user": c.user, "emoji": p["emoji"], "position": position})]


def _buffering(flag: bool) -> Callable[[Conn, dict[str, Any]], list[Reply]]:
    def handle(c: Conn, p: dict[str, Any]) -> list[Reply]:
        c.buffering = flag
        waiting = [other.user for other in c.room.conns.values() if other.buffering]
        event = {
            "user": c.user,
            "buffering": flag,
            "position": p.get("position"),
            "waiting": waiting,
        }
        return [Reply("room", "buffering" if flag else "buffered", event)]

    return handle


def ready_check_start(c: Conn, p: dict[str, Any]) -> list[Reply]:
    if c.room.state.ready_check and c.room.state.ready_check["status"] == "open":
        raise FrameError("conflict", "A ready check is already open.")
    check = {
        "check_id": new_id(),
        "status": "open",
        "started_by": c.user,
        "quorum": p.get("quorum", 1),
        "deadline_ts": now_ms() + 1000 * int(p.get("timeout_seconds", 30)),
        "answers": [{"user": other.user, "ready": None} for other in c.room.conns.values()],
        "ready_count": 0,
        "total": len(c.room.conns),
    }
    c.room.state.ready_check = check
    return [Reply("room", "ready_check.state", check)]


def ready_check_answer(c: Conn, p: dict[str, Any]) -> list[Reply]:
    check = c.room.state.ready_check
    if check is None or check["check_id"] != str(p["check_id"]) or check["status"] != "open":
        raise FrameError("not_found", "No such open ready check.")
    for entry in check["answers"]:
        if entry["user"]["id"] == c.user["id"]:
            entry["ready"] = p["ready"]
    check["ready_count"] = sum(1 for entry in check["answers"] if entry["ready"])
    if check["total"] and check["ready_count"] / check["total"] >= check["quorum"]:
        check["status"] = "passed"
    return [Reply("room", "ready_check.state", dict(check))]


def ready_check_cancel(c: Conn, p: dict[str, Any]) -> list[Reply]:
    check = c.room.state.ready_check
    if check is None or check["status"] != "open":
        raise FrameError("not_found", "No ready check is open.")
    check["status"] = "cancelled"
    return [Reply("room", "ready_check.state", dict(check))]


def notification_read(c: Conn, p: dict[str, Any]) -> list[Reply]:
    return [
        Reply(
            "user",
            "notification.read",
            {"ids": [str(i) for i in p["ids"]], "all": False, "unread_count": 0},
        )
    ]


def auth_refresh(c: Conn, p: dict[str, Any]) -> list[Reply]:
    from mocks.security import token_claims

    claims = token_claims(p["access"])
    if claims is None or claims["sub"] != c.claims["sub"]:
        raise FrameError("invalid_token", "The token is invalid or belongs to another user.")
    c.claims = claims
    return [Reply("self", "auth.refreshed", {"expires_at": c.expires_at()})]


def presence(c: Conn) -> dict[str, Any]:
    members = [
        {
            "user": o.user,
            "role": "host" if i == 0 else "participant",
            "connections": 1,
            "joined_at": o.joined_at,
        }
        for i, o in enumerate(c.room.conns.values())
    ]
    return {"members": members, "count": len(members)}


def greeting(c: Conn) -> list[Reply]:
    """What a socket receives right after `session.welcome`, per channel (asyncapi.yaml)."""
    if c.channel == "party":
        state = {**c.room.state.playback, "cause": "join"}
        out = [Reply("self", "playback.state", state), Reply("self", "presence", presence(c))]
        if c.room.state.ready_check and c.room.state.ready_check["status"] == "open":
            out.append(Reply("self", "ready_check.state", c.room.state.ready_check))
        return out
    if c.channel == "polls":
        mine = [
            {"poll_id": poll_id, "option_ids": ids}
            for (user_id, poll_id), ids in c.room.state.ballots.items()
            if user_id == c.user["id"]
        ]
        return [
            Reply(
                "self", "poll.list", {"polls": list(c.room.state.polls.values()), "my_votes": mine}
            )
        ]
    if c.channel == "screen_share":
        return [Reply("self", "share.state", share_state(c))]
    if c.channel == "voice":
        return [Reply("room", "voice.state", voice_state(c))]
    return []


REPLIES: dict[str, Callable[[Conn, dict[str, Any]], list[Reply]]] = {
    "sync.ping": sync_ping,
    "playback.play": _playback("play"),
    "playback.pause": _playback("pause"),
    "playback.seek": _playback("seek"),
    "playback.rate": _playback("rate"),
    "message.send": message_send,
    "resume": resume,
    "typing": typing,
    "reaction": reaction,
    "buffering": _buffering(True),
    "buffered": _buffering(False),
    "ready_check.start": ready_check_start,
    "ready_check.answer": ready_check_answer,
    "ready_check.cancel": ready_check_cancel,
    "poll.create": poll_create,
    "poll.vote": poll_vote,
    "poll.close": poll_close,
    "rtc.offer": relay("rtc.offer", True),
    "rtc.answer": relay("rtc.answer", True),
    "rtc.ice": relay("rtc.ice", False),
    "rtc.leave": relay("rtc.leave", False),
    "share.start": share_start,
    "share.stop": share_stop,
    "share.force_stop": share_stop,
    "voice.status": voice_status,
    "notification.read": notification_read,
    "auth.refresh": auth_refresh,
}
