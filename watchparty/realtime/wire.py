"""The fast path of outgoing frames: bytes encoded once per event, written to the socket whole.

Through ASGI every frame costs a `websocket.send` for each socket (Starlette, uvicorn, the
sans-I/O protocol building the frame, one transport write: one system call per frame and
socket). Without an extension negotiated (no permessage-deflate: `ws_per_message_deflate`
off, the default), a server's text frame is the same bytes for every socket, so a hub event
is framed once (`text_frame`) and each socket's writer hands all its pending frames to the
transport in one write (`RawSocket`). Only with uvicorn's `websockets-sansio` protocol (what
`watchparty serve` runs); any other server, or a socket with an extension, keeps ASGI.
"""

from __future__ import annotations

import struct
from typing import Any

from starlette.websockets import WebSocket
from websockets.protocol import State

__all__ = ["RawSocket", "text_frame"]

_FIN_TEXT = 0x81


def text_frame(text: str) -> bytes:
    """`text` as one unmasked, final text frame (RFC 6455 §5.2), as a server sends it."""
    data = text.encode()
    size = len(data)
    if size < 126:
        head = struct.pack("!BB", _FIN_TEXT, size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", _FIN_TEXT, 126, size)
    else:
        head = struct.pack("!BBQ", _FIN_TEXT, 127, size)
    return head + data


class RawSocket:
    """Writes whole frames to the transport of uvicorn's sans-I/O protocol behind a socket."""

    __slots__ = ("_proto",)

    def __init__(self, proto: Any) -> None:
        self._proto = proto

    @classmethod
    def of(cls, ws: WebSocket) -> RawSocket | None:
        """The raw writer of an accepted `ws`, or None where frames must go through ASGI."""
        # Starlette keeps the ASGI `send` it got; uvicorn's is the protocol's bound method.
        proto = getattr(getattr(ws, "_send", None), "__self__", None)
        if type(proto).__name__ != "WebSocketsSansIOProtocol":
            return None
        conn = getattr(proto, "conn", None)
        if conn is None or conn.extensions:  # permessage-deflate: frames differ per socket
            return None
        return cls(proto)

    def write_now(self, frames: list[bytes]) -> bool:
        """Send `frames` in one transport write if it takes them without waiting; else False
        (buffer full or socket closing: the caller leaves them to `write`)."""
        if not self._proto.writable.is_set() or not self._open():
            return False
        self._proto.transport.write(b"".join(frames))
        return True

    async def write(self, frames: list[bytes]) -> bool:
        """Send `frames` in one transport write; False when the socket takes no more frames.

        Waits while the transport's buffer is full (uvicorn's flow control, as its `send`).
        """
        await self._proto.writable.wait()
        if not self._open():
            return False
        self._proto.transport.write(b"".join(frames))
        return True

    def _open(self) -> bool:
        proto = self._proto
        return not (
            proto.disconnected
            or proto.close_sent
            or proto.conn.state is not State.OPEN
            or proto.transport.is_closing()
        )
