"""`--stateful`: chat over REST and over `/ws/chat/` is one conversation (real uvicorn)."""

from __future__ import annotations

import httpx
from websockets.asyncio.client import connect

from mocks.app import create_mock_app
from tests.mocks.conftest import serve
from tests.mocks.helpers import AUTH, TOKEN
from tests.mocks.test_ws import recv, recv_type, send

PARTY = {"title": "Movie night", "scheduled_for": "2026-12-01T20:00:00Z"}


async def test_rest_and_socket_share_the_chat() -> None:
    async with (
        serve(create_mock_app(seed=3, stateful=True)) as address,
        httpx.AsyncClient(base_url=f"http://{address}", headers=AUTH) as http,
    ):
        party = (await http.post("/api/parties/", json=PARTY)).json()["id"]
        messages = f"/api/chat/{party}/messages/"
        async with connect(f"ws://{address}/ws/chat/{party}/?token={TOKEN}") as ws:
            assert (await recv(ws))["type"] == "session.welcome"

            # Socket -> REST: the message is listed where the chat history lives.
            await send(ws, "message.send", {"content": " over the socket ", "client_id": "c-1"})
            live = (await recv_type(ws, "message.created"))["payload"]
            listed = (await http.get(messages)).json()["results"]
            assert [m["id"] for m in listed] == [live["id"]]
            assert listed[0]["content"] == "over the socket"

            # REST -> socket: a message sent over REST is announced to the room.
            sent = await http.post(f"{messages}send/", json={"content": "over REST"})
            assert sent.status_code == 201, sent.text
            announced = (await recv_type(ws, "message.created"))["payload"]
            assert announced == sent.json()
            ids = [m["id"] for m in (await http.get(messages)).json()["results"]]
            assert ids == [announced["id"], live["id"]]  # newest first

            # A REST delete reaches the room as message.deleted.
            gone = await http.delete(f"{messages}{announced['id']}/")
            assert gone.status_code == 204
            deleted = (await recv_type(ws, "message.deleted"))["payload"]
            assert deleted["message_id"] == announced["id"] and deleted["party_id"] == party
            assert deleted["deleted_by"] is not None

        # A client that reconnects resumes past the REST message it missed.
        async with connect(f"ws://{address}/ws/chat/{party}/?token={TOKEN}") as again:
            await recv(again)
            await send(again, "resume", {"since": live["id"]})
            replayed = await recv(again)
            assert replayed["type"] == "message.created"
            assert replayed["payload"]["id"] == announced["id"]
            assert replayed["payload"]["deleted"] is True and replayed["payload"]["content"] == ""


async def test_stateless_mock_keeps_rest_and_socket_apart() -> None:
    app = create_mock_app(seed=3)
    assert app.state.engine.on_change is None
    assert app.state.realtime.on_chat_message is None
