"""One authenticated WebSocket: its user, outgoing queue, flood limit and token deadline.

Outgoing frames (answers and hub events) go through one queue per socket, written by one
task, so `deliver` never blocks the hub and a socket's frames keep their order; on the fast
path (`watchparty.realtime.wire`) the queue holds frames encoded once per event, and what is
queued for an idle socket is written by one loop over every such socket at the end of a hub
publish or of the event loop's turn (`watchparty.realtime.flush`; the task only waits out a
full buffer or closes). (A writer started per burst instead saves ~2 KiB per idle socket but
fans out slower: waking 1,000 waiting tasks is cheaper than creating 1,000;
docs/benchmarks.md.) A socket that falls `MAX_PENDING_FRAMES` behind is
closed 1008 rather than letting its queue grow without bound. Token expiry (DESIGN §4,
`auth.expiring`): a timer warns the client `ws_auth_expiring_secs` before `exp`, and another
closes the socket 4401 at `exp` unless `auth.refresh` moved it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
import uuid
from typing import Any

import orjson
from prometheus_client import Counter, Gauge
from starlette.websockets import WebSocket, WebSocketDisconnect

from watchparty.metrics import WS_MESSAGES, WS_OPEN
from watchparty.realtime.flush import flush_soon
from watchparty.realtime.hub import Event, Hub, now_ms
from watchparty.realtime.publish import ACCESS_REVOKED, SESSION_ENDED
from watchparty.realtime.wire import RawSocket, text_frame
from watchparty.runtime import Runtime
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import Party, PartyParticipant, User

__all__ = ["Connection", "CLOSE_UNAUTHORIZED", "CLOSE_FORBIDDEN", "CLOSE_NOT_FOUND"]

CLOSE_NORMAL = 1000
CLOSE_ABNORMAL = 1006  # dropped without a close frame
CLOSE_POLICY = 1008  # flood, or too slow to keep up
CLOSE_TOO_LARGE = 1009
CLOSE_SERVER_ERROR = 1011
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
MAX_PENDING_FRAMES = 1024


class Connection:
    """A socket after the handshake and access checks (`watchparty.realtime.router`).

    Slotted, and of the party and participation rows it keeps only the few values the
    channels read (`presence.fresh_party` refreshes them): thousands of idle sockets each
    hold one (docs/benchmarks.md, memory per idle socket).
    """

    __slots__ = (
        "ws",
        "rt",
        "hub",
        "user",
        "user_json",
        "_party_id",
        "host_id",
        "role",
        "muted",
        "id",
        "joined_at",
        "topics",
        "token_exp",
        "family_id",
        "gone",
        "playback_seq",
        "_pending",
        "_dirty",
        "_raw",
        "_idle",
        "_close",
        "_writer",
        "_timer",
        "_open",
        "sent_counter",
        "_tokens",
        "_refilled",
    )

    def __init__(
        self,
        *,
        ws: WebSocket,
        rt: Runtime,
        hub: Hub,
        user: User,
        token_exp: int,
        family_id: str,
        party: Party | None,
        participant: PartyParticipant | None,
    ) -> None:
        self.ws = ws
        self.rt = rt
        self.hub = hub
        self.user = user
        self.user_json = user_summary_json(user)
        self._party_id = party.id if party is not None else None
        # The party's host, and the caller's role and `muted` flag in it (party channels).
        self.host_id = party.host_id if party is not None else None
        self.role = participant.role if participant is not None else None
        self.muted = participant.muted if participant is not None else False
        self.id = str(uuid.uuid4())
        self.joined_at = dt.datetime.now(dt.UTC)
        self.topics: list[str] = []
        self.token_exp = token_exp
        # The session (refresh family, claim `fid`) of the token: its logout closes the socket.
        self.family_id = family_id
        # Why the socket ended, when it was not a drop: "left" (the client closed it, 1000,
        # or left the party) or "kicked"; None: dropped (`presence.left` after a grace period).
        self.gone: str | None = None
        # The `seq` of the last `playback.state` broadcast queued here (party channels): a
        # join's snapshot must not follow a newer state (`watchparty.realtime.party.join`).
        self.playback_seq = -1
        # Frames not yet taken by the writer; a list swapped out whole (smaller than a deque):
        # wire bytes on the fast path (`_raw`, set by `start`), else JSON texts for ASGI.
        self._pending: list[Any] = []
        self._dirty = False  # marked for a flush (`watchparty.realtime.flush`)
        self._raw: RawSocket | None = None
        # What the idle writer awaits (a bare future: an Event would add a deque of waiters).
        self._idle: asyncio.Future[None] | None = None
        self._close: tuple[int, str] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        # Metrics children of this socket's channel (set by `start`).
        self._open: Gauge | None = None
        self.sent_counter: Counter | None = None
        # Token bucket of the flood limit.
        self._tokens = float(rt.settings.ws_frame_burst)
        self._refilled = time.monotonic()

    @property
    def party_id(self) -> uuid.UUID:
        assert self._party_id is not None  # party channels only
        return self._party_id

    # -- outgoing ----------------------------------------------------------------------------

    def start(self, channel: str) -> None:
        self._open = WS_OPEN.labels(channel)
        self.sent_counter = WS_MESSAGES.labels(channel, "out")
        self._open.inc()
        self._raw = RawSocket.of(self.ws)
        self._writer = asyncio.create_task(self._write())

    async def stop(self) -> None:
        if self._open is not None:
            self._open.dec()
            self._open = None
        if self._timer is not None:
            self._timer.cancel()
        for topic in self.topics:
            await self.hub.unsubscribe(topic, self)
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer

    async def subscribe(self, topic: str) -> None:
        self.topics.append(topic)
        await self.hub.subscribe(topic, self)

    def deliver(self, event: Event) -> None:
        """A hub event for this socket."""
        type_ = event.type
        if type_ == "playback.state":
            self.playback_seq = event.frame["payload"]["seq"]
        elif type_ == "typing":
            if event.frame["payload"]["user"]["id"] == self.user_json["id"]:
                return  # typing indicators are never echoed to the typer's own sockets
        elif type_ == ACCESS_REVOKED:
            # Kicked or gone from the party, or the session ended: this user's sockets (of
            # those sessions only, when it names them) close, nobody hears of it.
            payload = event.frame["payload"]
            families = payload.get("families")
            if payload["user_id"] == self.user_json["id"] and (
                families is None or self.family_id in families
            ):
                reason = payload["reason"]
                self.gone = "kicked" if reason == "kicked" else "left"
                if reason == SESSION_ENDED:  # logged out, suspended...: as a bad token
                    self.close(CLOSE_UNAUTHORIZED, "This session has ended; log in again.")
                else:
                    self.close(CLOSE_FORBIDDEN, f"No longer a participant ({reason}).")
            return
        self._queue(event.wire if self._raw is not None else event.text)

    def send(self, type_: str, payload: dict[str, Any], *, ref: str | None = None) -> None:
        """A frame for this socket only; `ref` echoes the id of the client frame it answers."""
        frame: dict[str, Any] = {"type": type_, "ts": now_ms(), "payload": payload}
        if ref is not None:
            frame["id"] = ref
        text = orjson.dumps(frame).decode()
        self._queue(text_frame(text) if self._raw is not None else text)

    def error(
        self,
        code: str,
        detail: str,
        *,
        ref: str | None,
        fields: dict[str, list[str]] | None = None,
        retry_after: float | None = None,
    ) -> None:
        payload = {
            "code": code,
            "detail": detail,
            "ref": ref,
            "fields": fields,
            "retry_after": retry_after,
        }
        self.send("error", payload, ref=ref)

    @property
    def closing(self) -> bool:
        return self._close is not None

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued (the reader then sees the disconnect)."""
        if self._close is None:
            self._close = (code, reason)
            self._wake()

    def _queue(self, frame: str | bytes) -> None:
        if self._close is not None:
            return
        if len(self._pending) >= MAX_PENDING_FRAMES:
            self.close(CLOSE_POLICY, "Too slow to receive.")
            return
        self._pending.append(frame)
        if self._raw is not None and self._writer_parked():
            if not self._dirty:
                self._dirty = True
                flush_soon(self)
            return
        self._wake()

    def _writer_parked(self) -> bool:
        return self._idle is not None and not self._idle.done()

    def flush(self) -> int:
        """Write what this turn queued, at once if the transport takes it, else by the writer;
        how many frames were written here (the caller counts them in `sent_counter`)."""
        self._dirty = False
        frames = self._pending
        if not frames or self._close is not None or not self._writer_parked():
            return 0  # the writer took them, or will
        try:
            written = self._raw is not None and self._raw.write_now(frames)
        except (RuntimeError, OSError):
            written = False
        if not written:
            self._wake()
            return 0
        self._pending = []
        return len(frames)

    def _wake(self) -> None:
        if self._idle is not None and not self._idle.done():
            self._idle.set_result(None)

    async def _write(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                if not self._pending and self._close is None:
                    self._idle = loop.create_future()
                    await self._idle
                    self._idle = None
                frames, self._pending = self._pending, []
                if self._raw is None:
                    for text in frames:
                        await self.ws.send_text(text)
                elif frames and not await self._raw.write(frames):
                    return  # closing or gone; the reader ends the connection
                if self.sent_counter is not None and frames:
                    self.sent_counter.inc(len(frames))
                if self._close is not None and not self._pending:
                    await self.ws.close(*self._close)
                    return
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the peer is gone; the reader ends the connection

    # -- incoming limits -----------------------------------------------------------------------

    def take_frame(self) -> bool:
        """Count one incoming frame against the flood limit; False when over it."""
        settings = self.rt.settings
        now = time.monotonic()
        self._tokens = min(
            float(settings.ws_frame_burst),
            self._tokens + (now - self._refilled) * settings.ws_frames_per_second,
        )
        self._refilled = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    # -- token expiry ----------------------------------------------------------------------------

    def expires_at(self) -> str:
        return rfc3339(dt.datetime.fromtimestamp(self.token_exp, dt.UTC))

    def refresh(self, token_exp: int, family_id: str) -> None:
        self.token_exp = token_exp
        self.family_id = family_id
        self.watch_expiry()

    def watch_expiry(self) -> None:
        """Warn before the token expires and close at expiry (after the welcome)."""
        if self._timer is not None:
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        left = self.token_exp - time.time()
        warn_in = left - self.rt.settings.ws_auth_expiring_secs
        if warn_in > 0:
            self._timer = loop.call_later(warn_in, self._warn)
        else:
            self._warn()

    def _warn(self) -> None:
        left = max(0, int(self.token_exp - time.time()))
        self.send("auth.expiring", {"expires_at": self.expires_at(), "expires_in": left})
        self._timer = asyncio.get_running_loop().call_later(
            max(0.0, self.token_exp - time.time()), self.close, CLOSE_UNAUTHORIZED, "Token expired."
        )
