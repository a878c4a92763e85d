"""Outgoing frames: permessage-deflate is a setting (off by default), and the fast path
(frames encoded once per event, written whole: `watchparty.realtime.wire`) is valid framing."""

from __future__ import annotations

import pytest

from tests.realtime.conftest import Client, Connect, Room
from watchparty.realtime.wire import text_frame
from watchparty.settings import Settings


def _extensions(client: Client) -> str:
    response = client.ws.response
    assert response is not None
    return str(response.headers.get("Sec-WebSocket-Extensions", ""))


async def _seek_reaches_both(host: Client, guest: Client) -> None:
    await host.send("playback.seek", {"position": 42})
    for client in (host, guest):
        assert (await client.state("seek"))["position"] == 42


async def test_no_compression_by_default_and_frames_arrive(ws_connect: Connect, room: Room) -> None:
    # The websockets client offers permessage-deflate, as browsers do; the server declines.
    host = await ws_connect(f"/ws/party/{room.party_id}/", room.host.token)
    guest = await ws_connect(f"/ws/party/{room.party_id}/", room.guest.token)
    assert _extensions(host) == ""
    await _seek_reaches_both(host, guest)
    # Long frames (two-byte length): a chat message near the content limit, to everyone.
    chat_host = await ws_connect(f"/ws/chat/{room.party_id}/", room.host.token)
    chat_guest = await ws_connect(f"/ws/chat/{room.party_id}/", room.guest.token)
    await chat_host.send("message.send", {"content": "é" * 1500, "client_id": "long"})
    for client in (chat_host, chat_guest):
        created = (await client.expect("message.created"))["payload"]
        assert created["content"] == "é" * 1500


@pytest.mark.parametrize("deflate", [True])
async def test_compression_when_the_setting_is_on(
    ws_connect: Connect, room: Room, deflate: bool
) -> None:
    host = await ws_connect(f"/ws/party/{room.party_id}/", room.host.token)
    guest = await ws_connect(f"/ws/party/{room.party_id}/", room.guest.token)
    assert "permessage-deflate" in _extensions(host)
    await _seek_reaches_both(host, guest)  # through ASGI: each socket compresses its own


@pytest.fixture
def realtime_settings(realtime_settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The test's `deflate` parameter, when it has one, as `ws_per_message_deflate`."""
    deflate = "deflate" in request.fixturenames and request.getfixturevalue("deflate")
    return realtime_settings.model_copy(update={"ws_per_message_deflate": bool(deflate)})


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 70000])
def test_text_frame_is_what_websockets_parses(size: int) -> None:
    from websockets.frames import Frame, Opcode
    from websockets.streams import StreamReader

    text = "x" * size
    reader = StreamReader()
    reader.feed_data(text_frame(text))
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        frame = done.value
    else:  # pragma: no cover - the parser wanted more bytes than the frame has
        raise AssertionError("incomplete frame")
    assert (frame.opcode, frame.fin, frame.data.decode()) == (Opcode.TEXT, True, text)
    assert not reader.buffer  # nothing after the frame
