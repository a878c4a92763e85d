"""WebSocket mocks of every channel in specs/asyncapi.yaml, on the real routes (DESIGN §4).

A socket authenticates like on the real server (`?token=` or `Sec-WebSocket-Protocol:
bearer, <token>`, token checked for shape as in `mocks.security`; else close 4401; a party
id that is not a UUID, or in stateful mode not a stored party, closes 4404), receives
`session.welcome` and its channel's greeting, and then gets the documented reply to each
frame (`mocks.ws_replies`). Client frames are parsed with the generated `ClientFrame` union;
a bad one gets an `error` frame and the socket stays open. Every frame the mock sends is
checked against its AsyncAPI schema first.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from generated.channels import CHANNELS
from mocks.data import Generator
from mocks.security import token_claims
from mocks.ws_frames import FrameError, Reply, RoomState, iso_now, now_ms
from mocks.ws_replies import REPLIES, greeting

__all__ = ["MockRealtime", "Conn", "Room", "CLOSE_UNAUTHORIZED", "CLOSE_NOT_FOUND"]

logger = logging.getLogger("mocks.ws")

CLOSE_UNAUTHORIZED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_LARGE = 1009
MAX_FRAME_BYTES = 65536
WARM_UP_DELAY_SECS = 1.0
# Types a scheduled sample never sends: answers to a client frame, or per-peer signaling.
_NOT_SAMPLES = {"error", "session.welcome", "auth.refreshed", "sync.pong", "resume.complete"}


@dataclass(eq=False)
class Conn:
    ws: WebSocket
    room: Room
    channel: str
    connection_id: str
    claims: dict[str, Any]
    user: dict[str, Any]
    party_id: str | None
    joined_at: str = field(default_factory=iso_now)
    buffering: bool = False
    sharing: bool = False
    surface: str | None = None
    with_audio: bool = False
    share_started_at: str | None = None
    muted: bool = False
    speaking: bool = False

    def expires_at(self) -> str:
        exp = self.claims.get("exp")
        moment = (
            datetime.fromtimestamp(exp, UTC)
            if isinstance(exp, int) and 0 < exp < 10**11
            else datetime.now(UTC) + timedelta(minutes=15)
        )
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(eq=False)
class Room:
    key: str
    conns: dict[str, Conn] = field(default_factory=dict)
    state: RoomState = field(default_factory=RoomState)


class MockRealtime:
    """
    The mock's rooms and their WebSocket routes.

    Args:
        asyncapi: the AsyncAPI document (a dict).
        seed: seeds user summaries and sample events.
        ws_events_secs: push a sample server event to every socket this often (0: never).
        party_exists: in stateful mode, whether the REST store holds a party id.
    """

    def __init__(
        self,
        asyncapi: Mapping[str, Any],
        *,
        seed: int,
        ws_events_secs: float = 0.0,
        party_exists: Callable[[str], bool] | None = None,
    ) -> None:
        self.seed = seed
        self.ws_events_secs = ws_events_secs
        self.party_exists = party_exists
        self.gen = Generator(asyncapi["components"])
        self.channels = CHANNELS
        self.rooms: dict[str, Room] = {}
        # Stateful mode: told of each chat message sent over a socket (party id, message).
        self.on_chat_message: Callable[[str, dict[str, Any]], None] | None = None
        self._announcing: set[asyncio.Task[None]] = set()
        self._sample_count = 0
        # frame type -> (frame schema, example payload) for what the server sends
        self._server: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for key, message in asyncapi["components"]["messages"].items():
            if key.startswith("Server"):
                example = (message.get("examples") or [{}])[0].get("payload", {})
                self._server[message["name"]] = (message["payload"], example.get("payload", {}))

    def routes(self) -> list[WebSocketRoute]:
        return [
            WebSocketRoute(info.address, self._endpoint(channel_id), name=f"mock_ws_{channel_id}")
            for channel_id, info in self.channels.items()
        ]

    def reset(self) -> None:
        for room in self.rooms.values():
            room.state = RoomState()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(self._warm_up())]
        if self.ws_events_secs > 0:
            tasks.append(asyncio.create_task(self._samples()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _warm_up(self) -> None:
        # After the first requests are answered, not during: the import holds the GIL.
        await asyncio.sleep(WARM_UP_DELAY_SECS)
        await asyncio.get_running_loop().run_in_executor(None, _client_frame)

    # -- one socket ------------------------------------------------------------------------

    def _endpoint(self, channel_id: str) -> Callable[[WebSocket], Any]:
        async def endpoint(ws: WebSocket) -> None:
            await self._serve(ws, channel_id)

        return endpoint

    async def _serve(self, ws: WebSocket, channel_id: str) -> None:
        offered = ws.scope.get("subprotocols") or []
        token = ws.query_params.get("token")
        if token is None and len(offered) >= 2 and offered[0].lower() == "bearer":
            token = offered[1]
        # Accept first: a close code only reaches the client after the handshake.
        await ws.accept(subprotocol="bearer" if "bearer" in [p.lower() for p in offered] else None)
        claims = token_claims(token) if token else None
        if claims is None:
            await ws.close(CLOSE_UNAUTHORIZED, "Invalid or missing token.")
            return
        party_id = ws.path_params.get("partyId")
        if party_id is not None and not self._party_ok(party_id):
            await ws.close(CLOSE_NOT_FOUND, "No such party.")
            return
        room_key = f"{channel_id}:{ws.url.path}"
        room = self.rooms.get(room_key) or self.rooms.setdefault(room_key, Room(room_key))
        if channel_id == "party" and not room.state.playback:
            room.state.playback = copy.deepcopy(self._server["playback.state"][1])
        conn = Conn(
            ws=ws,
            room=room,
            channel=channel_id,
            connection_id=str(
                self.gen.generate(
                    {"type": "string", "format": "uuid"}, seed=f"conn|{id(ws)}|{now_ms()}"
                )
            ),
            claims=claims,
            user=self.user_summary(claims["sub"]),
            party_id=party_id,
        )
        room.conns[conn.connection_id] = conn
        try:
            welcome = {
                "connection_id": conn.connection_id,
                "user": conn.user,
                "server_ts": now_ms(),
                "token_expires_at": conn.expires_at(),
                "max_frame_bytes": MAX_FRAME_BYTES,
            }
            await self._deliver(
                conn, [Reply("self", "session.welcome", welcome), *greeting(conn)], None
            )
            await self._loop(conn)
        finally:
            room.conns.pop(conn.connection_id, None)
            await self._farewell(conn)

    def _party_ok(self, party_id: str) -> bool:
        import uuid

        try:
            uuid.UUID(party_id)
        except ValueError:
            return False
        return self.party_exists is None or self.party_exists(party_id)

    def user_summary(self, sub: str) -> dict[str, Any]:
        """The UserSummary the mock shows for a token subject (seeded, stable)."""
        user = self.gen.generate(
            {"$ref": "#/components/schemas/UserSummary"}, seed=f"{self.seed}|user|{sub}"
        )
        if self.gen.checker.is_valid(sub, {"type": "string", "format": "uuid"}):
            user["id"] = sub
        return dict(user)

    async def _loop(self, conn: Conn) -> None:
        allowed = self.channels[conn.channel].client
        while True:
            try:
                message = await conn.ws.receive()
            except WebSocketDisconnect:
                return
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text")
            if raw is None:
                raw = (message.get("bytes") or b"").decode("utf-8", "replace")
            if len(raw.encode()) > MAX_FRAME_BYTES:
                await conn.ws.close(CLOSE_TOO_LARGE, "Frame too large.")
                return
            ref: str | None = None
            try:
                data = orjson.loads(raw)
                ref = (
                    data.get("id")
                    if isinstance(data, dict) and isinstance(data.get("id"), str)
                    else None
                )
                replies = self._apply(conn, data, allowed)
            except orjson.JSONDecodeError:
                replies = [_error("invalid_json", "The frame is not valid JSON.", None, None)]
            except FrameError as exc:
                replies = [_error(exc.code, exc.detail, exc.fields, ref)]
            await self._deliver(conn, replies, ref)

    def _apply(self, conn: Conn, data: Any, allowed: frozenset[str]) -> list[Reply]:
        kind = data.get("type") if isinstance(data, dict) else None
        if not isinstance(kind, str) or kind not in allowed:
            raise FrameError("unknown_type", f"Unknown frame type {kind!r} on this channel.")
        from pydantic import ValidationError

        try:
            frame = _client_frame().model_validate(data).root
        except ValidationError as exc:
            fields: dict[str, list[str]] = {}
            for err in exc.errors():
                loc = [str(p) for p in err["loc"][1:]]
                where = ".".join(loc[1:] if loc[:1] == ["payload"] else loc) or "non_field_errors"
                fields.setdefault(where, []).append(err["msg"])
            raise FrameError("validation_error", "The frame breaks its schema.", fields) from None
        payload = frame.payload.model_dump(mode="json", exclude_unset=True)
        replies = REPLIES[kind](conn, payload)
        if kind == "message.send" and self.on_chat_message is not None and conn.party_id:
            self.on_chat_message(conn.party_id, replies[0].payload)
        return replies

    def announce(self, path: str, kind: str, payload: dict[str, Any]) -> None:
        """Send a server frame to every socket of the room at `path` (from sync code)."""
        channel_id = next(
            (cid for cid, info in self.channels.items() if _matches(info.address, path)), None
        )
        room = self.rooms.get(f"{channel_id}:{path}")
        if room is None:
            if kind == "message.created" and channel_id == "chat":
                # Nobody connected yet: keep it for a later `resume`.
                self.rooms.setdefault(f"chat:{path}", Room(f"chat:{path}")).state.messages.append(
                    payload
                )
            return
        if kind == "message.created":
            room.state.messages.append(payload)
        elif kind == "message.deleted":
            # A later `resume` replays it as removed, like the real server's soft delete.
            for message in room.state.messages:
                if message["id"] == payload["message_id"]:
                    message.update(deleted=True, content="")
        frame = {"type": kind, "ts": now_ms(), "payload": payload}
        task = asyncio.create_task(self._send_all(list(room.conns.values()), frame))
        self._announcing.add(task)
        task.add_done_callback(self._announcing.discard)

    async def _send_all(self, conns: list[Conn], frame: dict[str, Any]) -> None:
        for conn in conns:
            await self._send(conn, frame)

    async def _deliver(self, conn: Conn, replies: list[Reply], ref: str | None) -> None:
        for reply in replies:
            frame: dict[str, Any] = {"type": reply.type, "ts": now_ms(), "payload": reply.payload}
            targets = self._audience(conn, reply)
            for target in targets:
                out = {**frame, "id": ref} if ref and target is conn else frame
                await self._send(target, out)

    def _audience(self, conn: Conn, reply: Reply) -> list[Conn]:
        everyone = list(conn.room.conns.values())
        if reply.audience == "self":
            return [conn]
        if reply.audience == "others":
            return [c for c in everyone if c is not conn]
        if reply.audience == "peer":
            return [c for c in everyone if c.connection_id == reply.peer]
        if reply.audience == "user":
            return [c for c in everyone if c.claims["sub"] == conn.claims["sub"]]
        return everyone

    async def _send(self, target: Conn, frame: dict[str, Any]) -> None:
        schema = self._server[frame["type"]][0]
        problems = self.gen.checker.errors(frame, schema)
        if problems:
            # A mock bug, never the client's: say so loudly, send a valid error instead.
            logger.error("mock frame %s breaks its schema: %s", frame["type"], problems)
            frame = {
                "type": "error",
                "ts": now_ms(),
                "payload": _error("server_error", "Mock error.", None, None).payload,
            }
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await target.ws.send_text(orjson.dumps(frame).decode())

    async def _farewell(self, conn: Conn) -> None:
        if not conn.room.conns:
            return
        anyone = next(iter(conn.room.conns.values()))
        leaving: list[Reply] = []
        if conn.channel == "party":
            left = {"user": conn.user, "reason": "left", "count": len(conn.room.conns)}
            leaving.append(Reply("room", "presence.left", left))
        elif conn.channel in ("voice", "screen_share"):
            leaving.append(Reply("room", "rtc.leave", {"from": conn.connection_id}))
        await self._deliver(anyone, leaving, None)

    # -- scheduled samples -----------------------------------------------------------------

    async def _samples(self) -> None:
        while True:
            await asyncio.sleep(self.ws_events_secs)
            for room in list(self.rooms.values()):
                for conn in list(room.conns.values()):
                    await self._send(conn, self.sample(conn.channel, conn.party_id))

    def sample(self, channel_id: str, party_id: str | None) -> dict[str, Any]:
        """A generated server event of the channel (seeded; types in turn)."""
        kinds = sorted(self.channels[channel_id].server - _NOT_SAMPLES)
        self._sample_count += 1
        kind = kinds[self._sample_count % len(kinds)]
        schema = self._server[kind][0]
        frame: dict[str, Any] = self.gen.generate(
            schema, seed=f"{self.seed}|sample|{self._sample_count}"
        )
        frame["ts"] = now_ms()
        frame.pop("id", None)
        payload = frame.get("payload")
        if isinstance(payload, dict) and party_id and "party_id" in payload:
            payload["party_id"] = party_id
        return frame


def _matches(template: str, path: str) -> bool:
    """Whether `path` is an address of `template` (`/ws/chat/{partyId}/`)."""
    parts, wanted = template.strip("/").split("/"), path.strip("/").split("/")
    return len(parts) == len(wanted) and all(
        a.startswith("{") or a == b for a, b in zip(parts, wanted, strict=True)
    )


def _client_frame() -> Any:
    # Imported on first use: building the generated pydantic models costs ~0.2 s, which the
    # mock's start-up (under 1 s) cannot spare; `MockRealtime.running` warms it up.
    from generated.events import ClientFrame

    return ClientFrame


def _error(code: str, detail: str, fields: dict[str, list[str]] | None, ref: str | None) -> Reply:
    payload = {"code": code, "detail": detail, "ref": ref, "fields": fields, "retry_after": None}
    return Reply("self", "error", payload)
