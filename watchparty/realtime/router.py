"""The WebSocket router: the channels of specs/asyncapi.yaml on the real server (DESIGN §4).

`generated.channels.CHANNELS` (from the AsyncAPI document) gives each route and the message
types a client may send on it; each channel module supplies a `Channel` with one handler per
type, and `realtime_routes()` refuses to start when a handler is missing or extra. A socket:

1. checks the browser's `Origin` (another site's page: 4403, `watchparty.cors`), then
   authenticates (`?token=` or `Sec-WebSocket-Protocol: bearer, <token>`, the server echoing
   `bearer`): bad token or a user who may not act closes 4401; a party that does not exist
   or that the caller may not see closes 4404, one they do not take part in 4403;
2. receives `session.welcome`, then the channel's greeting (`Channel.join`);
3. sends frames: each is parsed into the generated `ClientFrame` model; invalid JSON, an
   unknown type or a schema violation get an `error` frame with `ref` and the socket stays
   open; API errors raised by a handler become `error` frames too. Frames over
   `ws_max_frame_bytes` close 1009, floods (`ws_frames_per_second`) close 1008.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import jwt
import orjson
import structlog
from pydantic import BaseModel, ValidationError
from redis.exceptions import RedisError
from starlette.routing import BaseRoute, Match, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from generated.channels import CHANNELS
from generated.events import ClientFrame
from watchparty.auth.tokens import decode_access_token
from watchparty.cors import origin_allowed
from watchparty.db import database_unavailable
from watchparty.deps import current_user
from watchparty.errors import APIError, NotFound, Throttled, ValidationFailed
from watchparty.metrics import WS_MESSAGES
from watchparty.realtime.connection import (
    CLOSE_ABNORMAL,
    CLOSE_FORBIDDEN,
    CLOSE_NORMAL,
    CLOSE_NOT_FOUND,
    CLOSE_POLICY,
    CLOSE_SERVER_ERROR,
    CLOSE_TOO_LARGE,
    CLOSE_UNAUTHORIZED,
    Connection,
)
from watchparty.realtime.hub import now_ms
from watchparty.runtime import runtime, use_runtime
from watchparty.services.parties import access_party

__all__ = ["Channel", "ChannelRoute", "Handler", "WebSocketApp", "answer_error", "realtime_routes"]

logger = logging.getLogger(__name__)

# A handler gets the socket, the frame's payload model and the frame id (for `ref`).
Handler = Callable[[Connection, Any, str | None], Awaitable[None]]
# Error codes of RealtimeErrorCode an APIError `code` may pass through as is.
_PASS_THROUGH_CODES = frozenset(
    {
        "not_found",
        "permission_denied",
        "conflict",
        "chat_disabled",
        "reactions_disabled",
        "muted",
        "poll_closed",
        "already_voted",
        "peer_not_found",
        "invalid_token",
    }
)


async def _nothing(conn: Connection) -> None:
    return None


@dataclass(frozen=True)
class Channel:
    """
    What a channel does with its sockets.

    Args:
        id: the channel id in `generated.channels.CHANNELS`.
        handlers: client message type -> handler (every type but `auth.refresh`).
        topics: the hub topics a socket subscribes to.
        join: greeting after `session.welcome` (and presence); leave: cleanup on close.
    """

    id: str
    handlers: dict[str, Handler]
    topics: Callable[[Connection], list[str]]
    join: Callable[[Connection], Awaitable[None]] = _nothing
    leave: Callable[[Connection], Awaitable[None]] = _nothing


def realtime_routes() -> list[ChannelRoute]:
    """One route per channel of the AsyncAPI document, each with its handlers checked."""
    from watchparty.realtime import chat, interactive, notifications, party

    channels = [
        party.CHANNEL,
        chat.CHANNEL,
        notifications.CHANNEL,
        *interactive.CHANNELS,
    ]
    by_id = {channel.id: channel for channel in channels}
    if set(by_id) != set(CHANNELS):
        raise RuntimeError(f"realtime channels {sorted(by_id)} != asyncapi {sorted(CHANNELS)}")
    for channel in channels:
        expected = CHANNELS[channel.id].client - {"auth.refresh"}
        if set(channel.handlers) != expected:
            raise RuntimeError(
                f"channel {channel.id}: handlers {sorted(channel.handlers)} != {sorted(expected)}"
            )
    return [ChannelRoute(channel) for channel in channels]


class WebSocketApp:
    """
    Every websocket scope, dispatched straight to its channel (`watchparty.app`).

    Outside the HTTP middleware chain and Starlette's router: each pure-ASGI middleware and
    routing layer keeps a suspended coroutine frame (and Starlette exception wrappers) for
    as long as a socket is open, which thousands of idle sockets pay for (docs/benchmarks.md,
    memory per idle socket). What the chain did for sockets is done here or in `serve`: the
    runtime ContextVar, the Origin check, metrics. A path of no route closes 1000 before the
    handshake (the 403 Starlette's router gives).

    Args:
        routes: `realtime_routes()` and any extra websocket routes (served through Starlette).
    """

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                scope.update(child)
                with use_runtime(scope["app"].state.runtime):
                    if isinstance(route, ChannelRoute):
                        await serve(WebSocket(scope, receive, send), channel=route.channel)
                    else:
                        await route.handle(scope, receive, send)
                return
        await send({"type": "websocket.close", "code": 1000, "reason": ""})


class ChannelRoute(WebSocketRoute):
    """The route of one channel; `WebSocketApp` calls `serve` for it without Starlette's
    per-route session and exception wrappers."""

    def __init__(self, channel: Channel) -> None:
        spec = CHANNELS[channel.id]
        super().__init__(
            spec.address, functools.partial(serve, channel=channel), name=f"ws_{channel.id}"
        )
        self.channel = channel


def _offered_token(ws: WebSocket) -> tuple[str | None, bool]:
    """The access token and whether it came as the `bearer` subprotocol."""
    offered = [p.strip() for p in ws.scope.get("subprotocols") or []]
    if len(offered) >= 2 and offered[0].lower() == "bearer":
        return offered[1], True
    return ws.query_params.get("token"), False


async def serve(ws: WebSocket, *, channel: Channel) -> None:
    rt = runtime()
    assert rt.hub is not None, "the runtime has no realtime hub"
    token, as_subprotocol = _offered_token(ws)
    # Accept first: a close code reaches the client only after the handshake.
    await ws.accept(subprotocol="bearer" if as_subprotocol else None)
    if not origin_allowed(ws.headers, rt.settings.allowed_origins):
        # A page on another site riding the user's session (cross-site WebSocket hijacking).
        await ws.close(CLOSE_FORBIDDEN, "Origin not allowed.")
        return
    conn = await _authenticate(ws, token)
    if conn is None:
        return
    # Log lines of this socket carry its id (the HTTP chain's request id is not bound here).
    structlog.contextvars.bind_contextvars(connection_id=conn.id)
    conn.start(channel.id)
    try:
        for topic in channel.topics(conn):
            await conn.subscribe(topic)
        conn.send(
            "session.welcome",
            {
                "connection_id": conn.id,
                "user": conn.user_json,
                "server_ts": now_ms(),
                "token_expires_at": conn.expires_at(),
                "max_frame_bytes": rt.settings.ws_max_frame_bytes,
            },
        )
        conn.watch_expiry()
        try:
            await channel.join(conn)
        except Exception as exc:  # e.g. the database timed out: say so (1011) rather than drop it
            _log_failure(f"joining {channel.id}", exc)
            conn.close(CLOSE_SERVER_ERROR, "Server error; reconnect.")
        await _receive(conn, channel)
    finally:
        try:
            await channel.leave(conn)
        except Exception as exc:  # the socket is gone: nobody else would see it
            _log_failure(f"leaving {channel.id}", exc)
        finally:
            await conn.stop()


def _log_failure(what: str, exc: Exception) -> None:
    """An outage of the database or Redis is one line without a traceback (as in REST); any
    other failure is a bug, logged with its traceback."""
    if isinstance(exc, RedisError):
        logger.error("realtime: %s failed, Redis is unavailable: %s", what, exc)
    elif database_unavailable(exc):
        logger.error("realtime: %s failed, the database is unavailable: %s", what, exc)
    else:
        logger.exception("realtime: %s failed", what)


async def _authenticate(ws: WebSocket, token: str | None) -> Connection | None:
    rt = runtime()
    assert rt.hub is not None
    try:
        claims = decode_access_token(token or "", settings=rt.settings)
    except jwt.InvalidTokenError:
        await ws.close(CLOSE_UNAUTHORIZED, "Invalid or expired token.")
        return None
    async with rt.db.session() as session:
        try:
            user = await current_user(claims, session=session)
        except APIError as exc:
            await ws.close(CLOSE_UNAUTHORIZED, exc.detail[:120])
            return None
        party = participant = None
        party_id = ws.path_params.get("partyId")
        if party_id is not None:
            try:
                view = await access_party(session=session, user=user, party_id=party_id)
            except NotFound:
                await ws.close(CLOSE_NOT_FOUND, "No such party.")
                return None
            if not view.joined:
                await ws.close(CLOSE_FORBIDDEN, "Join the party first.")
                return None
            party, participant = view.party, view.mine
    return Connection(
        ws=ws,
        rt=rt,
        hub=rt.hub,
        user=user,
        token_exp=int(claims["exp"]),
        family_id=str(claims["fid"]),
        party=party,
        participant=participant,
    )


async def _receive(conn: Connection, channel: Channel) -> None:
    limit = conn.rt.settings.ws_max_frame_bytes
    while True:
        try:
            message = await conn.ws.receive()
        except WebSocketDisconnect as exc:
            _ended(conn, exc.code)
            return
        if message["type"] == "websocket.disconnect":
            _ended(conn, message.get("code", CLOSE_ABNORMAL))
            return
        if conn.closing:
            continue  # closed by us: ignore what crosses the close frame
        raw: str | bytes | None = message.get("text")
        if raw is None:
            raw = message.get("bytes") or b""
        if len(raw) > limit or (isinstance(raw, str) and len(raw.encode()) > limit):
            conn.close(CLOSE_TOO_LARGE, "Frame too large.")
            continue  # wait for the disconnect
        if not conn.take_frame():
            conn.close(CLOSE_POLICY, "Too many frames.")
            continue
        WS_MESSAGES.labels(channel.id, "in").inc()
        await dispatch(conn, channel, raw)


def _ended(conn: Connection, code: int) -> None:
    """A normal close by the client is a deliberate leave; any other end may be a drop
    (network, reload: 1001, 1006) the client comes back from."""
    if conn.gone is None and code == CLOSE_NORMAL:
        conn.gone = "left"


async def dispatch(conn: Connection, channel: Channel, raw: str | bytes) -> None:
    """Parse, validate and handle one client frame; every failure becomes an `error` frame."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        conn.error("invalid_json", "The frame is not valid JSON.", ref=None)
        return
    if not isinstance(data, dict):
        conn.error("invalid_json", "The frame is not a JSON object envelope.", ref=None)
        return
    ref = data.get("id") if isinstance(data.get("id"), str) else None
    kind = data.get("type")
    allowed = CHANNELS[channel.id].client
    if not isinstance(kind, str) or kind not in allowed:
        conn.error("unknown_type", f"Unknown frame type {kind!r} on this channel.", ref=ref)
        return
    try:
        frame = ClientFrame.model_validate(data).root
    except ValidationError as exc:
        conn.error("validation_error", "The frame breaks its schema.", ref=ref, fields=_fields(exc))
        return
    try:
        if kind == "auth.refresh":
            await _refresh(conn, frame.payload, ref)
        else:
            await channel.handlers[kind](conn, frame.payload, ref)
    except Exception as exc:
        answer_error(conn, kind, ref, exc)


def answer_error(conn: Connection, kind: str, ref: str | None, exc: BaseException) -> None:
    """What a `kind` frame's handler raised, as the `error` frame answering it (`ref`).

    Also for handlers that finish a frame later (a queued chat send).
    """
    if isinstance(exc, Throttled):
        conn.error("throttled", exc.detail, ref=ref, retry_after=exc.wait)
    elif isinstance(exc, ValidationFailed):
        conn.error("validation_error", "The frame breaks its schema.", ref=ref, fields=exc.errors)
    elif isinstance(exc, APIError):
        code = exc.code if exc.code in _PASS_THROUGH_CODES else _by_status(exc.status_code)
        conn.error(code, exc.detail, ref=ref)
    else:
        logger.error("realtime handler %s failed", kind, exc_info=exc)
        conn.error("server_error", "A server error occurred.", ref=ref)


def _by_status(status: int) -> str:
    return {403: "permission_denied", 404: "not_found", 409: "conflict"}.get(status, "server_error")


def _fields(exc: ValidationError) -> dict[str, list[str]]:
    """Pydantic errors as a serializer map of dotted paths inside `payload`."""
    fields: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(part) for part in err["loc"][1:]]  # [0] is the union member's tag
        where = ".".join(loc[1:] if loc[:1] == ["payload"] else loc) or "non_field_errors"
        fields.setdefault(where, []).append(err["msg"])
    return fields


async def _refresh(conn: Connection, payload: BaseModel, ref: str | None) -> None:
    """`auth.refresh`: a fresh access token of the same user keeps the socket open."""
    access: str = payload.access  # type: ignore[attr-defined]
    try:
        claims = decode_access_token(access, settings=conn.rt.settings)
        if str(claims["sub"]) != str(conn.user.id):
            raise jwt.InvalidTokenError("another user's token")
        async with conn.rt.db.session() as session:
            await current_user(claims, session=session)
    except (jwt.InvalidTokenError, APIError):
        conn.error("invalid_token", "This token is not valid for this socket.", ref=ref)
        return
    conn.refresh(int(claims["exp"]), str(claims["fid"]))
    conn.send("auth.refreshed", {"expires_at": conn.expires_at()}, ref=ref)
