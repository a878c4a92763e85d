"""WebSocket mocks over a real uvicorn and the `websockets` client."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from mocks.app import create_mock_app
from mocks.spec import SchemaChecker, load_asyncapi
from tests.mocks.conftest import serve
from tests.mocks.helpers import TOKEN

ASYNCAPI = load_asyncapi()
CHECKER = SchemaChecker(ASYNCAPI["components"])
FRAME_SCHEMAS = {
    m["name"]: m["payload"]
    for key, m in ASYNCAPI["components"]["messages"].items()
    if key.startswith("Server")
}
PARTY = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


async def recv(ws: ClientConnection, timeout: float = 3.0) -> dict[str, Any]:
    """The next frame, checked against its AsyncAPI schema."""
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    assert not CHECKER.errors(frame, FRAME_SCHEMAS[frame["type"]]), frame
    return frame


async def recv_type(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        frame = await recv(ws)
        if frame["type"] == kind:
            return frame


async def send(ws: ClientConnection, kind: str, payload: dict[str, Any], ref: str = "c-1") -> None:
    await ws.send(json.dumps({"type": kind, "id": ref, "payload": payload}))


async def test_join_greeting_and_sync_ping(live_mock: str) -> None:
    async with connect(f"ws://{live_mock}/ws/party/{PARTY}/?token={TOKEN}") as ws:
        welcome = await recv(ws)
        assert welcome["type"] == "session.welcome"
        assert welcome["payload"]["user"]["id"] == "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
        state = await recv(ws)
        assert state["type"] == "playback.state" and state["payload"]["cause"] == "join"
        assert (await recv(ws))["type"] == "presence"
        await send(ws, "sync.ping", {"client_ts": 1764086399950.5}, ref="ping-1")
        pong = await recv(ws)
        assert pong["type"] == "sync.pong" and pong["id"] == "ping-1"
        assert pong["payload"]["client_ts"] == 1764086399950.5 and pong["payload"]["server_ts"] > 0


async def test_bearer_subprotocol_is_accepted_and_echoed(live_mock: str) -> None:
    async with connect(f"ws://{live_mock}/ws/notifications/", subprotocols=["bearer", TOKEN]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "bearer"
        assert (await recv(ws))["type"] == "session.welcome"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"/ws/party/{PARTY}/", 4401),
        (f"/ws/party/{PARTY}/?token=not-a-token", 4401),
        (f"/ws/chat/not-a-uuid/?token={TOKEN}", 4404),
    ],
)
async def test_refused_sockets_close_with_the_documented_code(
    live_mock: str, path: str, code: int
) -> None:
    async with connect(f"ws://{live_mock}{path}") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == code


async def test_chat_message_reaches_every_client_in_the_room(live_mock: str) -> None:
    url = f"ws://{live_mock}/ws/chat/{PARTY}/?token={TOKEN}"
    async with (
        connect(url) as alice,
        connect(url) as bob,
        connect(f"ws://{live_mock}/ws/chat/{uuid.uuid4()}/?token={TOKEN}") as elsewhere,
    ):
        for ws in (alice, bob, elsewhere):
            assert (await recv(ws))["type"] == "session.welcome"
        await send(
            alice, "message.send", {"content": "This scene!", "client_id": "c-17"}, ref="m-1"
        )
        mine, theirs = await recv(alice), await recv(bob)
        assert mine["type"] == theirs["type"] == "message.created"
        assert mine["id"] == "m-1" and "id" not in theirs
        assert mine["payload"] == theirs["payload"]
        assert (
            mine["payload"]["content"] == "This scene!" and mine["payload"]["client_id"] == "c-17"
        )
        await send(
            elsewhere, "sync.ping", {"client_ts": 1}
        )  # not a chat frame: error, socket stays
        error = await recv(elsewhere)
        assert error["type"] == "error" and error["payload"]["code"] == "unknown_type"
        await send(bob, "resume", {"since": mine["payload"]["id"]})
        done = await recv(bob)
        assert done["type"] == "resume.complete" and done["payload"]["replayed"] == 0


async def test_playback_commands_broadcast_state(live_mock: str) -> None:
    url = f"ws://{live_mock}/ws/party/{PARTY}/?token={TOKEN}"
    async with connect(url) as host, connect(url) as guest:
        await recv_type(host, "presence")
        await recv_type(guest, "presence")
        await send(host, "playback.seek", {"position": 42.5})
        for ws in (host, guest):
            state = await recv_type(ws, "playback.state")
            assert state["payload"]["position"] == 42.5 and state["payload"]["cause"] == "seek"
        await send(guest, "playback.pause", {})
        assert (await recv_type(host, "playback.state"))["payload"]["status"] == "paused"


async def test_bad_frames_get_error_frames_and_the_socket_stays_open(live_mock: str) -> None:
    async with connect(f"ws://{live_mock}/ws/party/{PARTY}/?token={TOKEN}") as ws:
        await recv_type(ws, "presence")
        await ws.send("{nope")
        assert (await recv(ws))["payload"]["code"] == "invalid_json"
        await send(ws, "playback.seek", {"position": -1}, ref="bad-seek")
        error = await recv(ws)
        assert (
            error["payload"]["code"] == "validation_error" and error["payload"]["ref"] == "bad-seek"
        )
        assert "position" in error["payload"]["fields"]
        await send(ws, "sync.ping", {"client_ts": 5})
        assert (await recv(ws))["type"] == "sync.pong"


async def test_poll_flow(live_mock: str) -> None:
    async with connect(f"ws://{live_mock}/ws/interactive/{PARTY}/polls/?token={TOKEN}") as ws:
        assert (await recv(ws))["type"] == "session.welcome"
        assert (await recv(ws))["type"] == "poll.list"
        await send(ws, "poll.create", {"question": "Sequel next?", "options": ["Yes", "No"]})
        poll = (await recv(ws))["payload"]
        await send(
            ws, "poll.vote", {"poll_id": poll["id"], "option_ids": [poll["options"][0]["id"]]}
        )
        results = await recv(ws)
        assert results["type"] == "poll.results" and results["payload"]["options"][0]["votes"] == 1
        await send(
            ws, "poll.vote", {"poll_id": poll["id"], "option_ids": [poll["options"][1]["id"]]}
        )
        assert (await recv(ws))["payload"]["code"] == "already_voted"


async def test_rtc_signaling_is_relayed_to_the_named_peer(live_mock: str) -> None:
    url = f"ws://{live_mock}/ws/interactive/{PARTY}/voice/?token={TOKEN}"
    async with connect(url) as a:
        a_id = (await recv(a))["payload"]["connection_id"]
        async with connect(url) as b:
            b_id = (await recv(b))["payload"]["connection_id"]
            await send(b, "rtc.offer", {"to": a_id, "sdp": "v=0"})
            offer = await recv_type(a, "rtc.offer")
            assert offer["payload"]["from"] == b_id and offer["payload"]["sdp"] == "v=0"
            await send(a, "rtc.offer", {"to": str(uuid.uuid4()), "sdp": "v=0"})
            assert (await recv_type(a, "error"))["payload"]["code"] == "peer_not_found"


async def test_scheduled_sample_events() -> None:
    app = create_mock_app(seed=0, ws_events_secs=0.05)
    async with (
        serve(app) as address,
        connect(f"ws://{address}/ws/notifications/?token={TOKEN}") as ws,
    ):
        kinds = {(await recv(ws))["type"] for _ in range(4)}
    assert kinds - {"session.welcome"}


async def test_stateful_party_sockets_need_a_stored_party() -> None:
    app = create_mock_app(seed=0, stateful=True)
    async with serve(app) as address:
        async with connect(f"ws://{address}/ws/party/{PARTY}/?token={TOKEN}") as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
