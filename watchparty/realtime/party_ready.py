"""Ready checks and buffering in a party room (issue 8, "Party sync").

Both are short-lived room state in the shared room store, so answers given on any process
count. A ready check: the controller starts it, everyone present answers; when the ready
share reaches the quorum the server counts down (`ready_check.countdown`, once a second) and
starts playback (cause `ready_check`); it fails at its deadline, and the controller may
cancel it. Exactly one process wins each transition (`put_new`/`remove` are atomic), so two
processes never start playback twice. Buffering: a stalled player pauses the room (cause
`buffering`) until everyone it waits for sends `buffered`, or each stall's timeout passes;
playback then resumes if the stall paused it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from generated.events import ReadyCheckAnswer, ReadyCheckCancel, ReadyCheckStart
from watchparty.errors import Conflict, NotFound
from watchparty.realtime import presence
from watchparty.realtime.connection import Connection
from watchparty.realtime.hub import now_ms, spawn
from watchparty.services.playback import apply_playback, load_playback

__all__ = [
    "answer_check",
    "cancel_check",
    "forget",
    "greet",
    "start_buffering",
    "start_check",
    "stop_buffering",
]


def _check_key(conn: Connection) -> str:
    return f"ready:{conn.party_id}"


def _buffering_key(conn: Connection) -> str:
    return f"buffering:{conn.party_id}"


def _resume_key(conn: Connection) -> str:
    return f"buffering-resume:{conn.party_id}"


# -- ready check -------------------------------------------------------------------------------


async def _check_state(conn: Connection) -> dict[str, Any] | None:
    """`ReadyCheckState` of the open check, or None."""
    entries = await conn.hub.rooms.all(_check_key(conn))
    meta = entries.pop("meta", None)
    if meta is None:
        return None
    room = await presence.members(conn)
    answers = [
        {"user": m["user"], "ready": entries.get(f"u:{m['user']['id']}", {}).get("ready")}
        for m in room
    ]
    return {
        **meta,
        "answers": answers,
        "ready_count": sum(1 for a in answers if a["ready"] is True),
        "total": len(answers),
    }


async def greet(conn: Connection) -> None:
    """A joining socket hears of an open ready check."""
    state = await _check_state(conn)
    if state is not None and state["status"] == "open":
        conn.send("ready_check.state", state)


async def start_check(conn: Connection, payload: ReadyCheckStart, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        party = await presence.fresh_party(conn, session)
    await presence.check_host(conn, party)
    check_id = str(uuid.uuid4())
    meta = {
        "check_id": check_id,
        "status": "open",
        "started_by": conn.user_json,
        "quorum": payload.quorum,
        "deadline_ts": now_ms() + payload.timeout_seconds * 1000,
        "countdown_seconds": payload.countdown_seconds,
    }
    if not await conn.hub.rooms.put_new(_check_key(conn), "meta", meta):
        raise Conflict("A ready check is already open.")
    await _announce_check(conn)
    spawn(_expire_check(conn, check_id, payload.timeout_seconds))


async def _open_meta(conn: Connection, check_id: str) -> dict[str, Any]:
    meta = await conn.hub.rooms.get(_check_key(conn), "meta")
    if meta is None or meta["check_id"] != check_id:
        raise NotFound("No such ready check is open.")
    return meta


async def answer_check(conn: Connection, payload: ReadyCheckAnswer, ref: str | None) -> None:
    meta = await _open_meta(conn, str(payload.check_id))
    if meta["status"] != "open":
        raise Conflict("This ready check is no longer open.")
    await conn.hub.rooms.put(
        _check_key(conn), f"u:{conn.user_json['id']}", {"ready": payload.ready}
    )
    state = await _announce_check(conn)
    if state is None or state["total"] == 0:
        return
    reached = state["ready_count"] / state["total"] >= meta["quorum"] - 1e-9
    # One process wins the pass, and with it the countdown.
    if reached and await conn.hub.rooms.put_new(_check_key(conn), "passed", {}):
        await conn.hub.rooms.put(_check_key(conn), "meta", {**meta, "status": "passed"})
        await _announce_check(conn)
        spawn(_countdown(conn, meta["check_id"], int(meta["countdown_seconds"])))


async def cancel_check(conn: Connection, payload: ReadyCheckCancel, ref: str | None) -> None:
    async with conn.rt.db.session() as session:
        party = await presence.fresh_party(conn, session)
    await presence.check_host(conn, party)
    await _open_meta(conn, str(payload.check_id))
    await _end_check(conn, str(payload.check_id), "cancelled")


async def _announce_check(conn: Connection) -> dict[str, Any] | None:
    state = await _check_state(conn)
    if state is not None:
        presence.publish_room(conn, "ready_check.state", state)
    return state


async def _end_check(conn: Connection, check_id: str, status: str) -> bool:
    """Close the check with `status` and announce it; False when it was already gone."""
    meta = await conn.hub.rooms.get(_check_key(conn), "meta")
    if meta is None or meta["check_id"] != check_id:
        return False
    await conn.hub.rooms.put(_check_key(conn), "meta", {**meta, "status": status})
    state = await _check_state(conn)
    if not await conn.hub.rooms.remove(_check_key(conn), "meta"):
        return False
    await conn.hub.rooms.clear(_check_key(conn))
    if state is not None:
        presence.publish_room(conn, "ready_check.state", state)
    return True


async def _expire_check(conn: Connection, check_id: str, timeout_secs: int) -> None:
    await asyncio.sleep(timeout_secs)
    meta = await conn.hub.rooms.get(_check_key(conn), "meta")
    if meta is not None and meta["check_id"] == check_id and meta["status"] == "open":
        await _end_check(conn, check_id, "failed")


async def _countdown(conn: Connection, check_id: str, seconds: int) -> None:
    start_ts = now_ms() + seconds * 1000
    for remaining in range(seconds, -1, -1):
        meta = await conn.hub.rooms.get(_check_key(conn), "meta")
        if meta is None or meta["check_id"] != check_id:
            return  # cancelled meanwhile
        presence.publish_room(
            conn,
            "ready_check.countdown",
            {"check_id": check_id, "remaining": remaining, "start_ts": start_ts},
        )
        if remaining:
            await asyncio.sleep(max(0.0, (start_ts - remaining * 1000 + 1000 - now_ms()) / 1000))
    if not await conn.hub.rooms.remove(_check_key(conn), "meta"):
        return
    await conn.hub.rooms.clear(_check_key(conn))
    async with conn.rt.db.session() as session:
        await apply_playback(
            session=session,
            party_id=conn.party_id,
            change=lambda s, now: ("playing", s.position_at(now), s.rate),
            cause="ready_check",
            actor=None,
        )


# -- buffering ---------------------------------------------------------------------------------


async def _waiting(conn: Connection) -> list[dict[str, Any]]:
    entries = await conn.hub.rooms.all(_buffering_key(conn))
    return [entry["user"] for entry in sorted(entries.values(), key=lambda e: e["since"])]


async def start_buffering(conn: Connection, position: float | None) -> None:
    stall_id = str(uuid.uuid4())
    stall = {"user": conn.user_json, "since": now_ms(), "stall": stall_id}
    await conn.hub.rooms.put(_buffering_key(conn), conn.user_json["id"], stall)
    async with conn.rt.db.session() as session:
        state = await load_playback(session=session, party_id=conn.party_id)
        if state.status == "playing" and await conn.hub.rooms.put_new(
            _resume_key(conn), "resume", {}
        ):
            await apply_playback(
                session=session,
                party_id=conn.party_id,
                change=lambda s, now: ("paused", s.position_at(now), s.rate),
                cause="buffering",
                actor=None,
            )
    presence.publish_room(
        conn,
        "buffering",
        {
            "user": conn.user_json,
            "buffering": True,
            "position": position,
            "waiting": await _waiting(conn),
        },
    )
    spawn(_stall_timeout(conn, stall_id))


async def stop_buffering(conn: Connection) -> None:
    if not await conn.hub.rooms.remove(_buffering_key(conn), conn.user_json["id"]):
        return  # was not buffering (or its stall timed out)
    waiting = await _waiting(conn)
    presence.publish_room(
        conn,
        "buffered",
        {"user": conn.user_json, "buffering": False, "position": None, "waiting": waiting},
    )
    if not waiting and await conn.hub.rooms.remove(_resume_key(conn), "resume"):
        async with conn.rt.db.session() as session:
            await apply_playback(
                session=session,
                party_id=conn.party_id,
                change=lambda s, now: ("playing", s.position_at(now), s.rate),
                cause="buffering",
                actor=None,
            )


async def _stall_timeout(conn: Connection, stall_id: str) -> None:
    await asyncio.sleep(conn.rt.settings.ws_buffering_timeout_secs)
    entry = await conn.hub.rooms.get(_buffering_key(conn), conn.user_json["id"])
    if entry is not None and entry["stall"] == stall_id:
        await stop_buffering(conn)


async def forget(conn: Connection) -> None:
    """The user left the room: they no longer hold up buffering or a ready check."""
    await stop_buffering(conn)
    state = await _check_state(conn)
    if state is not None and state["status"] == "open":
        await conn.hub.rooms.remove(_check_key(conn), f"u:{conn.user_json['id']}")
        await _announce_check(conn)
