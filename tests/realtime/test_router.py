"""The router on a real server: authentication, close codes, bad frames, limits, token expiry."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import httpx
import jwt
import orjson
import pytest
from sqlalchemy.exc import OperationalError

from tests.realtime.conftest import Connect, MakeMember, Room, Server
from tests.utils.factories import make_party
from watchparty.auth.tokens import encode_access_token
from watchparty.db import Database, utcnow


async def test_welcome_over_query_token_and_subprotocol(ws_connect: Connect, room: Room) -> None:
    path = f"/ws/party/{room.party_id}/"
    by_query = await ws_connect(path, room.host.token, welcome=False)
    welcome = await by_query.expect("session.welcome")
    assert welcome["payload"]["user"]["id"] == str(room.host.user.id)
    assert welcome["payload"]["max_frame_bytes"] == 4096
    by_protocol = await ws_connect(path, room.guest.token, subprotocol=True, welcome=False)
    assert by_protocol.ws.subprotocol == "bearer"
    await by_protocol.expect("session.welcome")


async def test_other_sites_pages_are_refused_4403(
    ws_connect: Connect, room: Room, server: Server
) -> None:
    path = f"/ws/party/{room.party_id}/"
    evil = await ws_connect(path, room.guest.token, welcome=False, origin="https://evil.example")
    assert await evil.closed() == 4403
    # The server's own pages (and non-browser clients, which send no Origin) connect.
    own = server.ws_url.replace("ws://", "http://")
    await ws_connect(path, room.guest.token, origin=own)
    await ws_connect(path, room.guest.token)


async def test_close_codes(
    ws_connect: Connect, room: Room, member: MakeMember, http: httpx.AsyncClient, server: Server
) -> None:
    path = f"/ws/party/{room.party_id}/"
    assert await (await ws_connect(path, None, welcome=False)).closed() == 4401
    assert await (await ws_connect(path, "not-a-jwt", welcome=False)).closed() == 4401
    settings = server.rt.settings
    expired = encode_access_token(
        settings=settings,
        user_id=room.host.user.id,
        role="user",
        family_id=uuid.uuid4(),
        now=utcnow() - dt.timedelta(hours=2),
    )
    assert await (await ws_connect(path, expired, welcome=False)).closed() == 4401
    # A valid signature whose session does not exist: refused like a revoked one.
    orphan = encode_access_token(
        settings=settings,
        user_id=room.host.user.id,
        role="user",
        family_id=uuid.uuid4(),
        now=utcnow(),
    )
    assert await (await ws_connect(path, orphan, welcome=False)).closed() == 4401
    outsider = await member()
    assert await (await ws_connect(path, outsider.token, welcome=False)).closed() == 4403
    unknown = f"/ws/party/{uuid.uuid4()}/"
    assert await (await ws_connect(unknown, room.host.token, welcome=False)).closed() == 4404
    assert (
        await (await ws_connect("/ws/party/nope/", room.host.token, welcome=False)).closed() == 4404
    )
    # After leaving, the guest is no longer allowed in.
    left = await http.post(
        f"/api/parties/{room.party_id}/leave/", headers=room.guest.session.headers
    )
    assert left.status_code in (200, 204), left.text
    assert await (await ws_connect(path, room.guest.token, welcome=False)).closed() == 4403


async def test_private_party_is_unknown_to_outsiders(
    ws_connect: Connect, member: MakeMember, db: Database
) -> None:
    host, outsider = await member(), await member()
    party_id = await make_party(db, host.user)
    path = f"/ws/party/{party_id}/"
    assert await (await ws_connect(path, outsider.token, welcome=False)).closed() == 4404
    await ws_connect(path, host.token)


async def test_bad_frames_get_errors_and_the_socket_stays_open(
    ws_connect: Connect, room: Room
) -> None:
    client = await ws_connect(f"/ws/party/{room.party_id}/", room.host.token)
    await client.ws.send("{not json")
    error = await client.expect("error")
    assert error["payload"]["code"] == "invalid_json" and error["payload"]["ref"] is None
    await client.ws.send("[1, 2]")
    assert (await client.expect("error"))["payload"]["code"] == "invalid_json"
    await client.send("message.send", {"content": "hi"}, id_="c-1")
    error = await client.expect("error")
    assert error["payload"]["code"] == "unknown_type" and error["payload"]["ref"] == "c-1"
    assert error["id"] == "c-1"
    await client.send("playback.seek", {"position": -5}, id_="c-2")
    error = await client.expect("error")
    assert error["payload"]["code"] == "validation_error"
    assert "position" in error["payload"]["fields"]
    await client.send("sync.ping", {}, id_="c-3")
    assert (await client.expect("error"))["payload"]["fields"] == {"client_ts": ["Field required"]}
    await client.send("sync.ping", {"client_ts": 12.5}, id_="c-4")
    pong = await client.expect("sync.pong")
    assert pong["id"] == "c-4" and pong["payload"]["client_ts"] == 12.5


async def test_frame_over_the_size_limit_closes_1009(ws_connect: Connect, room: Room) -> None:
    client = await ws_connect(f"/ws/party/{room.party_id}/", room.host.token)
    big = orjson.dumps({"type": "sync.ping", "payload": {"client_ts": 1, "pad": "x" * 5000}})
    await client.ws.send(big.decode())
    assert await client.closed() == 1009


async def test_flood_closes_1008(ws_connect: Connect, room: Room) -> None:
    client = await ws_connect(f"/ws/party/{room.party_id}/", room.host.token)
    frame = orjson.dumps({"type": "sync.ping", "payload": {"client_ts": 1}}).decode()
    for _ in range(300):
        await client.ws.send(frame)
    assert await client.closed() == 1008


async def test_token_expiry_warns_then_closes_4401(
    ws_connect: Connect, room: Room, server: Server
) -> None:
    settings = server.rt.settings
    # Issued long ago so that it expires in 2 s: inside the warning window at once.
    short = _token_expiring_in(server, room, secs=2)
    client = await ws_connect(f"/ws/party/{room.party_id}/", short)
    warning = await client.expect("auth.expiring")
    assert 0 <= warning["payload"]["expires_in"] <= 2
    assert settings.ws_auth_expiring_secs >= 2
    assert await client.closed() == 4401


async def test_auth_refresh_keeps_the_socket(
    ws_connect: Connect, room: Room, server: Server
) -> None:
    short = _token_expiring_in(server, room, secs=2)
    client = await ws_connect(f"/ws/party/{room.party_id}/", short)
    await client.expect("auth.expiring")
    await client.send("auth.refresh", {"access": room.guest.token}, id_="r-0")
    assert (await client.expect("error"))["payload"]["code"] == "invalid_token"
    await client.send("auth.refresh", {"access": room.host.token}, id_="r-1")
    refreshed = await client.expect("auth.refreshed")
    assert refreshed["id"] == "r-1"
    await asyncio.sleep(2.5)  # past the first token's expiry
    await client.send("sync.ping", {"client_ts": 1})
    await client.expect("sync.pong")


def _token_expiring_in(server: Server, room: Room, *, secs: int) -> str:
    """An access token of the host's session that expires in `secs` seconds."""
    settings = server.rt.settings
    claims = jwt.decode(room.host.token, options={"verify_signature": False})
    ttl = settings.access_token_ttl_seconds
    return encode_access_token(
        settings=settings,
        user_id=room.host.user.id,
        role=claims["role"],
        family_id=uuid.UUID(claims["fid"]),
        now=utcnow() - dt.timedelta(seconds=ttl - secs),
    )


def _sample(text: str, series: str) -> float:
    line = next((line for line in text.splitlines() if line.startswith(series)), None)
    return float(line.rsplit(" ", 1)[1]) if line else 0.0


async def test_metrics_count_sockets_and_frames(
    ws_connect: Connect, room: Room, http: httpx.AsyncClient
) -> None:
    opened = 'watchparty_websockets_open{channel="party"}'
    frames_in = 'watchparty_ws_messages_total{channel="party",direction="in"}'
    frames_out = 'watchparty_ws_messages_total{channel="party",direction="out"}'
    before = (await http.get("/metrics")).text
    client = await ws_connect(f"/ws/party/{room.party_id}/", room.guest.token)
    await client.send("sync.ping", {"client_ts": 1}, id_="p")
    await client.expect("sync.pong")
    during = (await http.get("/metrics")).text
    assert _sample(during, opened) == _sample(before, opened) + 1
    assert _sample(during, frames_in) == _sample(before, frames_in) + 1
    assert _sample(during, frames_out) >= _sample(before, frames_out) + 3  # welcome, state, pong
    await client.close()
    for _ in range(50):  # the server sees the close a moment later
        if _sample((await http.get("/metrics")).text, opened) == _sample(before, opened):
            break
        await asyncio.sleep(0.02)
    assert _sample((await http.get("/metrics")).text, opened) == _sample(before, opened)


async def test_a_join_that_fails_closes_1011_with_a_close_frame(
    ws_connect: Connect, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(**kwargs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("watchparty.realtime.party.load_playback_and_video", fail)
    client = await ws_connect(f"/ws/party/{room.party_id}/", room.guest.token)
    assert await client.closed() == 1011  # not a dropped connection (1006)
