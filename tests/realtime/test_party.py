"""`/ws/party/{id}/`: playback sync, permissions, ready checks, buffering, presence, reactions."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from websockets.asyncio.client import connect

from tests.realtime.conftest import Client, Connect, Room, Server, serve
from watchparty.db import Database
from watchparty.realtime import party
from watchparty.realtime.hub import Hub
from watchparty.services.playback import apply_playback
from watchparty.tables import PartyActivity, Video


def _path(room: Room) -> str:
    return f"/ws/party/{room.party_id}/"


async def test_join_gets_state_and_presence(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    state = await host.expect("playback.state")
    assert state["payload"] | {"ref_ts": 0} == {
        "status": "paused",
        "position": 0,
        "rate": 1,
        "ref_ts": 0,
        "video_id": None,
        "seq": 0,
        "cause": "join",
        "actor": None,
        "video": None,
    }
    assert (await host.expect("presence"))["payload"]["count"] == 1
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.expect("playback.state")
    members = (await guest.expect("presence"))["payload"]["members"]
    assert [(m["user"]["id"], m["role"]) for m in members] == [
        (str(room.host.user.id), "host"),
        (str(room.guest.user.id), "participant"),
    ]
    guest_id = str(room.guest.user.id)
    joined = await host.expect(
        "presence.joined", where=lambda p: p["member"]["user"]["id"] == guest_id
    )
    assert joined["payload"]["count"] == 2
    # A second tab is one member with two connections, and no second presence.joined.
    await ws_connect(_path(room), room.guest.token)
    await host.silent("presence.joined")


async def test_host_controls_and_guests_follow(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("playback.play", {}, id_="g-1")
    error = await guest.expect("error")
    assert error["payload"]["code"] == "permission_denied" and error["payload"]["ref"] == "g-1"

    await host.send("playback.play", {"position": 10})
    await host.send("playback.rate", {"rate": 2})
    await host.send("playback.seek", {"position": 100})
    await host.send("playback.pause", {"position": 101.5})
    for client in (host, guest):
        states = [await client.state(cause) for cause in ("play", "rate", "seek", "pause")]
        assert [s["cause"] for s in states] == ["play", "rate", "seek", "pause"]
        assert [s["seq"] for s in states] == [1, 2, 3, 4]
        assert states[0]["status"] == "playing" and states[0]["position"] == 10
        assert states[1]["rate"] == 2 and states[1]["position"] >= 10
        assert states[2]["position"] == 100 and states[2]["status"] == "playing"
        assert states[3] | {"ref_ts": 0} == states[3] | {
            "status": "paused",
            "position": 101.5,
            "rate": 2,
            "ref_ts": 0,
        }
        assert states[3]["actor"]["id"] == str(room.host.user.id)


async def test_guest_control_when_the_party_allows_it(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    changed = await http.patch(
        f"/api/parties/{room.party_id}/",
        json={"settings": {"allow_guest_control": True}},
        headers=room.host.session.headers,
    )
    assert changed.status_code == 200, changed.text
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("playback.seek", {"position": 42})
    state = await guest.state("seek")
    assert state["position"] == 42
    assert state["actor"]["id"] == str(room.guest.user.id)


async def test_playback_survives_a_restart(ws_connect: Connect, room: Room, server: Server) -> None:
    host = await ws_connect(_path(room), room.host.token)
    await host.send("playback.seek", {"position": 300})
    stored = await host.state("seek")
    # A fresh process: new hub, same database.
    hub = Hub()
    await hub.start()
    try:
        async for other in serve(dataclasses.replace(server.rt, hub=hub)):
            url = f"{other.ws_url}{_path(room)}?token={room.guest.token}"
            async with connect(url) as ws:
                late = Client(ws)
                state = (await late.expect("playback.state"))["payload"]
                assert (state["seq"], state["position"], state["status"]) == (
                    stored["seq"],
                    300,
                    "paused",
                )
    finally:
        await hub.close()


async def test_ready_check_counts_down_and_starts(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("ready_check.start", {})
    assert (await guest.expect("error"))["payload"]["code"] == "permission_denied"
    await host.send("ready_check.start", {"countdown_seconds": 1, "timeout_seconds": 30})
    opened = (await guest.expect("ready_check.state"))["payload"]
    assert opened["status"] == "open" and opened["total"] == 2 and opened["ready_count"] == 0
    check_id = opened["check_id"]
    await host.send("ready_check.start", {})
    assert (await host.expect("error"))["payload"]["code"] == "conflict"
    # A late joiner hears of the open check.
    late = await ws_connect(_path(room), room.guest.token)
    assert (await late.expect("ready_check.state"))["payload"]["check_id"] == check_id

    await guest.send("ready_check.answer", {"check_id": check_id, "ready": True})
    answered = (await host.expect("ready_check.state"))["payload"]
    assert answered["ready_count"] == 1 and answered["status"] == "open"
    await host.send("ready_check.answer", {"check_id": check_id, "ready": True})
    passed = None
    while passed is None or passed["status"] != "passed":
        passed = (await guest.expect("ready_check.state"))["payload"]
    countdown = [(await guest.expect("ready_check.countdown"))["payload"] for _ in range(2)]
    assert [c["remaining"] for c in countdown] == [1, 0]
    started = await guest.state("ready_check")
    assert started["status"] == "playing"
    assert started["actor"] is None


async def test_ready_check_cancel(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.send("ready_check.start", {"timeout_seconds": 30})
    check_id = (await guest.expect("ready_check.state"))["payload"]["check_id"]
    await guest.send("ready_check.cancel", {"check_id": check_id})
    assert (await guest.expect("error"))["payload"]["code"] == "permission_denied"
    await host.send("ready_check.cancel", {"check_id": check_id})
    cancelled = (await guest.expect("ready_check.state"))["payload"]
    assert cancelled["status"] == "cancelled"
    await guest.send("ready_check.answer", {"check_id": check_id, "ready": True})
    assert (await guest.expect("error"))["payload"]["code"] == "not_found"


async def test_buffering_pauses_and_resumes_the_room(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.send("playback.play", {"position": 5})
    await guest.state("play")
    await guest.send("buffering", {"position": 6})
    paused = await host.state("buffering")
    assert paused["status"] == "paused"
    event = (await host.expect("buffering"))["payload"]
    assert event["buffering"] is True and event["position"] == 6
    assert [u["id"] for u in event["waiting"]] == [str(room.guest.user.id)]
    await guest.send("buffered", {})
    done = (await host.expect("buffered"))["payload"]
    assert done["waiting"] == [] and done["buffering"] is False
    resumed = await host.state("buffering")
    assert resumed["status"] == "playing"


async def test_reactions_are_broadcast_rate_limited_and_recorded(
    ws_connect: Connect, room: Room, db: Database, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.send("reaction", {"emoji": "🔥", "position": 12})
    reaction = (await host.expect("reaction"))["payload"]
    assert reaction == {"user": reaction["user"], "emoji": "🔥", "position": 12}
    assert reaction["user"]["id"] == str(room.guest.user.id)
    for _ in range(3):
        await guest.send("reaction", {"emoji": "👍"}, id_="r")
    error = await guest.expect("error")
    assert error["payload"]["code"] == "throttled" and error["payload"]["retry_after"] >= 1

    off = await http.patch(
        f"/api/parties/{room.party_id}/",
        json={"settings": {"reactions_enabled": False}},
        headers=room.host.session.headers,
    )
    assert off.status_code == 200, off.text
    await host.send("reaction", {"emoji": "👍"})
    assert (await host.expect("error"))["payload"]["code"] == "reactions_disabled"

    await guest.close()
    await host.expect("presence.left")
    stmt = select(PartyActivity).where(
        col(PartyActivity.party_id) == room.party_id,
        col(PartyActivity.user_id) == room.guest.user.id,
    )
    # The leave's fact is written after the room hears of it (watchparty.realtime.party).
    for _ in range(50):
        async with db.session() as session:
            guest_kinds = sorted(f.kind for f in (await session.exec(stmt)).all())
        if "disconnected" in guest_kinds:
            break
        await asyncio.sleep(0.1)
    assert guest_kinds.count("reaction") == 3
    assert "connected" in guest_kinds and "disconnected" in guest_kinds


async def test_muted_participant_may_not_react(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    participant = f"/api/parties/{room.party_id}/participants/{room.guest.user.id}/"
    muted = await http.patch(participant, json={"muted": True}, headers=room.host.session.headers)
    assert muted.status_code == 200, muted.text
    # Muted while connected: the next reaction is refused, and nobody hears it.
    await guest.send("reaction", {"emoji": "🔥"}, id_="m-1")
    error = (await guest.expect("error"))["payload"]
    assert (error["code"], error["ref"]) == ("muted", "m-1")
    await host.silent("reaction")
    lifted = await http.patch(participant, json={"muted": False}, headers=room.host.session.headers)
    assert lifted.status_code == 200, lifted.text
    await guest.send("reaction", {"emoji": "👍"})
    assert (await host.expect("reaction"))["payload"]["emoji"] == "👍"


async def test_new_video_resets_playback_for_the_room(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient, db: Database
) -> None:
    video = Video(
        owner_id=room.host.user.id,
        title="Feature",
        original_key="originals/feature.mp4",
        processing_state="ready",
        duration_seconds=600.0,
    )
    async with db.session() as session:
        session.add(video)
        await session.commit()
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.send("playback.play", {"position": 42})
    await host.send("playback.rate", {"rate": 1.5})
    assert (await guest.state("rate"))["rate"] == 1.5
    url = f"/api/parties/{room.party_id}/"
    headers = room.host.session.headers
    # Another change of the party leaves playback alone.
    assert (await http.patch(url, json={"title": "Retitled"}, headers=headers)).status_code == 200
    await guest.silent("playback.state")

    changed = await http.patch(url, json={"video": str(video.id)}, headers=headers)
    assert changed.status_code == 200, changed.text
    state = await guest.state("video_changed")
    assert (state["status"], state["position"], state["rate"]) == ("paused", 0, 1.5)
    assert state["video_id"] == str(video.id) and state["video"]["id"] == str(video.id)
    assert state["actor"]["id"] == str(room.host.user.id) and state["seq"] == 3
    # The same video again is no change; stored: a late joiner gets the reset state.
    assert (
        await http.patch(url, json={"video": str(video.id)}, headers=headers)
    ).status_code == 200
    await guest.silent("playback.state")
    late = await ws_connect(_path(room), room.host.token)
    joined = await late.state("join")
    assert (joined["status"], joined["position"], joined["seq"]) == ("paused", 0, 3)


async def test_host_leaving_hands_control_on_and_back(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    guest_id = str(room.guest.user.id)
    await host.expect("presence.joined", where=lambda p: p["member"]["user"]["id"] == guest_id)
    await host.close()
    left = (await guest.expect("presence.left"))["payload"]
    assert left["user"]["id"] == str(room.host.user.id) and left["count"] == 1
    changed = (await guest.expect("host.changed"))["payload"]
    assert changed["reason"] == "host_left"
    assert changed["host"]["id"] == str(room.guest.user.id)
    assert changed["previous_host"]["id"] == str(room.host.user.id)
    await guest.send("playback.seek", {"position": 7})
    assert (await guest.state("seek"))["actor"]["id"] == guest_id
    back = await ws_connect(_path(room), room.host.token)
    returned = (await guest.expect("host.changed"))["payload"]
    assert returned["reason"] == "host_returned"
    assert returned["host"]["id"] == str(room.host.user.id)
    await guest.send("playback.seek", {"position": 8})
    assert (await guest.expect("error"))["payload"]["code"] == "permission_denied"
    await back.send("playback.seek", {"position": 9})
    assert (await back.state("seek"))["position"] == 9


async def test_rest_transfer_hands_control_to_the_new_host(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.send("playback.seek", {"position": 5})
    await guest.state("seek")
    moved = await http.post(
        f"/api/parties/{room.party_id}/transfer-host/",
        json={"user_id": str(room.guest.user.id)},
        headers=room.host.session.headers,
    )
    assert moved.status_code == 200, moved.text
    change = (await host.expect("host.changed"))["payload"]
    assert change["reason"] == "transferred"
    assert (change["host"]["id"], change["previous_host"]["id"]) == (
        str(room.guest.user.id),
        str(room.host.user.id),
    )
    # The new host steers at once; the old one (now a moderator) no longer does.
    await guest.send("playback.seek", {"position": 7})
    assert (await host.state("seek"))["position"] == 7
    await host.send("playback.seek", {"position": 9}, id_="old")
    assert (await host.expect("error"))["payload"]["code"] == "permission_denied"


async def test_a_kicked_guest_is_closed_4403_at_once(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    guest_chat = await ws_connect(f"/ws/chat/{room.party_id}/", room.guest.token)
    kicked = await http.post(
        f"/api/parties/{room.party_id}/participants/{room.guest.user.id}/kick/",
        headers=room.host.session.headers,
    )
    assert kicked.status_code in (200, 204), kicked.text
    # Closed without sending anything, on every channel of the party.
    assert await guest.closed() == 4403
    assert await guest_chat.closed() == 4403
    assert await (await ws_connect(_path(room), room.guest.token, welcome=False)).closed() == 4403
    # The host stays, and never sees the internal revocation frame.
    await host.send("sync.ping", {"client_ts": 1}, id_="p")
    await host.expect("sync.pong")
    assert "access.revoked" not in [frame["type"] for frame in host.seen]


async def test_leaving_closes_the_sockets_too(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    guest = await ws_connect(_path(room), room.guest.token)
    left = await http.post(
        f"/api/parties/{room.party_id}/leave/", headers=room.guest.session.headers
    )
    assert left.status_code == 204, left.text
    assert await guest.closed() == 4403


async def test_ready_check_fails_at_its_deadline(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.send("ready_check.start", {"timeout_seconds": 5, "quorum": 1})
    check_id = (await guest.expect("ready_check.state"))["payload"]["check_id"]
    await guest.send("ready_check.answer", {"check_id": check_id, "ready": False})
    failed = await host.expect("ready_check.state", 8, where=lambda p: p["status"] != "open")
    assert failed["payload"]["status"] == "failed" and failed["payload"]["ready_count"] == 0
    await guest.silent("ready_check.countdown")


async def test_a_join_snapshot_never_goes_back_behind_a_broadcast(
    ws_connect: Connect, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read = party.load_playback_and_video
    raced = False

    async def read_then_seek_elsewhere(*, session: AsyncSession, party_id: uuid.UUID) -> Any:
        # The race: a seek stored and broadcast between the join's read and its send.
        nonlocal raced
        read = await real_read(session=session, party_id=party_id)
        if not raced:
            raced = True
            async with AsyncSession(session.bind, expire_on_commit=False) as other:
                await apply_playback(
                    session=other,
                    party_id=party_id,
                    change=lambda s, now: (s.status, 30.0, s.rate),
                    cause="seek",
                    actor=None,
                )
        return read

    monkeypatch.setattr(party, "load_playback_and_video", read_then_seek_elsewhere)
    guest = await ws_connect(_path(room), room.guest.token)
    seek = await guest.state("seek")
    joined = await guest.state("join")  # after the seek, never the older snapshot before it
    assert (seek["seq"], joined["seq"], joined["position"]) == (1, 1, 30.0)
