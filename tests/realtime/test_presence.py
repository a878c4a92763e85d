"""Leaving the party room: reasons of `presence.left` and the reconnect grace period.

A dropped socket (here: the client's TCP connection aborted, no close frame) keeps its user
in the room for `ws_reconnect_grace_secs`; a clean close is `left` at once, a kick `kicked`.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
import pytest

from tests.realtime.conftest import Client, Connect, Room
from watchparty.settings import Settings

GRACE_SECS = 1.5


@pytest.fixture
def realtime_settings(realtime_settings: Settings) -> Settings:
    return realtime_settings.model_copy(update={"ws_reconnect_grace_secs": GRACE_SECS})


def _path(room: Room) -> str:
    return f"/ws/party/{room.party_id}/"


def _drop(client: Client) -> None:
    """Lose the connection the way a network drop does: no close frame."""
    transport = client.ws.transport
    assert transport is not None
    transport.abort()


async def test_a_drop_is_announced_disconnected_after_the_grace_period(
    ws_connect: Connect, room: Room
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.expect("presence.joined")
    _drop(guest)
    started = asyncio.get_running_loop().time()
    await host.silent("presence.left", GRACE_SECS * 0.6)  # still present meanwhile
    left = (await host.expect("presence.left", GRACE_SECS * 3))["payload"]
    waited = asyncio.get_running_loop().time() - started
    assert left["reason"] == "disconnected" and left["count"] == 1
    assert left["user"]["id"] == str(room.guest.user.id)
    assert waited >= GRACE_SECS * 0.9


async def test_reconnecting_within_the_grace_period_is_seamless(
    ws_connect: Connect, room: Room
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.expect("presence.joined")
    _drop(guest)
    await asyncio.sleep(GRACE_SECS / 3)
    back = await ws_connect(_path(room), room.guest.token)
    members = (await back.expect("presence"))["payload"]["members"]
    mine = [m for m in members if m["user"]["id"] == str(room.guest.user.id)]
    assert [m["connections"] for m in mine] == [1]  # the new socket took the old one's place
    # Neither a leave nor a rejoin reaches the room, during the grace period or after it.
    for type_ in ("presence.left", "presence.joined"):
        await host.silent(type_, GRACE_SECS)
    await host.send("sync.ping", {"client_ts": 1}, id_="p")
    await host.expect("sync.pong")
    # The reconnected socket is a full member: a clean close now is announced at once.
    await back.close()
    assert (await host.expect("presence.left"))["payload"]["reason"] == "left"


async def test_a_clean_close_is_left_at_once(ws_connect: Connect, room: Room) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.expect("presence.joined")
    await guest.close()
    left = (await host.expect("presence.left", GRACE_SECS / 2))["payload"]
    assert left["reason"] == "left" and left["count"] == 1


async def test_a_dropped_host_keeps_control_during_the_grace_period(
    ws_connect: Connect, room: Room
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    await host.expect("presence")
    guest = await ws_connect(_path(room), room.guest.token)
    await guest.expect("presence")
    _drop(host)
    await guest.silent("host.changed", GRACE_SECS * 0.6)
    left = (await guest.expect("presence.left", GRACE_SECS * 3))["payload"]
    assert left["reason"] == "disconnected" and left["user"]["id"] == str(room.host.user.id)
    changed = (await guest.expect("host.changed"))["payload"]
    assert changed["reason"] == "host_left" and changed["host"]["id"] == str(room.guest.user.id)


async def test_a_kicked_guest_is_announced_kicked(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.expect("presence.joined")
    kicked = await http.post(
        f"/api/parties/{room.party_id}/participants/{room.guest.user.id}/kick/",
        headers=room.host.session.headers,
    )
    assert kicked.status_code in (200, 204), kicked.text
    assert await guest.closed() == 4403
    left = (await host.expect("presence.left", GRACE_SECS / 2))["payload"]
    assert left["reason"] == "kicked" and left["user"]["id"] == str(room.guest.user.id)


async def test_leaving_the_party_over_rest_is_left_at_once(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.expect("presence.joined")
    left = await http.post(
        f"/api/parties/{room.party_id}/leave/", headers=room.guest.session.headers
    )
    assert left.status_code == 204, left.text
    assert await guest.closed() == 4403
    assert (await host.expect("presence.left", GRACE_SECS / 2))["payload"]["reason"] == "left"


async def test_leaving_does_not_wait_for_the_activity_fact(
    ws_connect: Connect, room: Room, realtime_settings: Settings
) -> None:
    """A leave whose fact cannot be written (SQLite's write lock held elsewhere) still leaves."""
    if not realtime_settings.database_url.startswith("sqlite"):
        pytest.skip("holds SQLite's database write lock")
    host = await ws_connect(_path(room), room.host.token)
    guest = await ws_connect(_path(room), room.guest.token)
    await host.expect("presence.joined")
    path = realtime_settings.database_url.split("///", 1)[1]
    blocker = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    try:
        # In a thread: the server runs on this loop, and may be finishing a write of its own.
        await asyncio.to_thread(blocker.execute, "BEGIN IMMEDIATE")
        await guest.close()
        left = (await host.expect("presence.left", 2))["payload"]
        assert left["reason"] == "left" and left["count"] == 1
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
