"""Realtime tests: a real uvicorn server on a free loopback port, real `websockets` clients.

`server` serves `create_app` with this test's runtime (its database, on SQLite and
PostgreSQL) and an in-process hub, inside the test's event loop. `Client` reads frames and
checks each one against the generated `ServerFrame` model (the AsyncAPI schema), so a frame
the server sends off-spec fails the test that receives it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from generated.events import ServerFrame
from tests.utils.factories import Session, login, make_party, make_user
from watchparty.app import create_app
from watchparty.db import Database
from watchparty.realtime.hub import Hub
from watchparty.runtime import Runtime
from watchparty.settings import Settings
from watchparty.tables import User

FRAME_TIMEOUT_SECS = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclasses.dataclass
class Server:
    url: str  # http://127.0.0.1:port
    rt: Runtime

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")


async def serve(rt: Runtime) -> AsyncIterator[Server]:
    """Run the app on a free port until the caller is done."""
    port = free_port()
    config = uvicorn.Config(
        create_app(rt.settings, runtime=rt),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws_per_message_deflate=rt.settings.ws_per_message_deflate,  # as `watchparty serve`
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield Server(url=f"http://127.0.0.1:{port}", rt=rt)
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def realtime_settings(settings: Settings) -> Settings:
    """Test settings with realtime limits small enough to reach in a test."""
    return settings.model_copy(
        update={
            "ws_max_frame_bytes": 4096,
            "ws_frames_per_second": 50.0,
            "ws_frame_burst": 100,
            "ws_reconnect_grace_secs": 1.0,
        }
    )


@pytest.fixture
async def server(rt: Runtime, realtime_settings: Settings) -> AsyncIterator[Server]:
    hub = Hub()
    await hub.start()
    runtime = dataclasses.replace(rt, settings=realtime_settings, hub=hub)
    try:
        async for running in serve(runtime):
            yield running
    finally:
        await hub.close()


@pytest.fixture
async def http(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url) as client:
        yield client


class Client:
    """A websockets client that validates every frame it receives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []

    async def send(self, type_: str, payload: dict[str, Any], id_: str | None = None) -> None:
        frame: dict[str, Any] = {"type": type_, "payload": payload}
        if id_ is not None:
            frame["id"] = id_
        await self.ws.send(orjson.dumps(frame).decode())

    async def next(self, timeout: float = FRAME_TIMEOUT_SECS) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        frame: dict[str, Any] = orjson.loads(raw)
        ServerFrame.model_validate(frame)  # every frame on the wire matches the AsyncAPI doc
        self.seen.append(frame)
        return frame

    async def expect(
        self,
        type_: str,
        timeout: float = FRAME_TIMEOUT_SECS,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """The next frame of `type_` (whose payload passes `where`), skipping others."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError(f"no {type_} frame; saw {[f['type'] for f in self.seen]}")
            frame = await self.next(left)
            if frame["type"] == type_ and (where is None or where(frame["payload"])):
                return frame

    async def state(self, cause: str) -> dict[str, Any]:
        """The payload of the next `playback.state` with `cause`."""
        frame = await self.expect("playback.state", where=lambda p: p["cause"] == cause)
        payload: dict[str, Any] = frame["payload"]
        return payload

    async def silent(self, type_: str, secs: float = 0.3) -> None:
        """No frame of `type_` arrives within `secs`."""
        try:
            frame = await self.expect(type_, secs)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected {type_}: {frame}")

    async def closed(self, timeout: float = FRAME_TIMEOUT_SECS) -> int:
        """Read until the server closes; the close code."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), timeout)
        except ConnectionClosed as exc:
            assert exc.rcvd is not None, "closed without a close frame"
            return exc.rcvd.code

    async def close(self) -> None:
        await self.ws.close()


Connect = Callable[..., Awaitable[Client]]


@pytest.fixture
async def ws_connect(server: Server) -> AsyncIterator[Connect]:
    """`await ws_connect(path, token)`: an open client (closed after the test)."""
    clients: list[Client] = []

    async def open_client(
        path: str,
        token: str | None,
        *,
        subprotocol: bool = False,
        welcome: bool = True,
        origin: str | None = None,
    ) -> Client:
        url = f"{server.ws_url}{path}"
        options: dict[str, Any] = {"open_timeout": FRAME_TIMEOUT_SECS, "max_size": 2**22}
        if origin is not None:
            options["origin"] = origin
        if subprotocol and token is not None:
            options["subprotocols"] = ["bearer", token]
        elif token is not None:
            url += f"?token={token}"
        client = Client(await connect(url, **options))
        clients.append(client)
        if welcome:
            await client.expect("session.welcome")
        return client

    yield open_client
    for client in clients:
        await client.close()


@dataclasses.dataclass
class Member:
    user: User
    session: Session

    @property
    def token(self) -> str:
        return self.session.access


MakeMember = Callable[..., Awaitable[Member]]


@pytest.fixture
def member(db: Database, settings: Settings, http: httpx.AsyncClient) -> MakeMember:
    """`await member(**user_fields)`: a new user, logged in over the real server."""

    async def make(**fields: Any) -> Member:
        user = await make_user(db, settings, **fields)
        return Member(user=user, session=await login(http, user))

    return make


@dataclasses.dataclass
class Room:
    party_id: uuid.UUID
    host: Member
    guest: Member


@pytest.fixture
async def room(db: Database, http: httpx.AsyncClient, member: MakeMember) -> Room:
    """A public party with its host and one joined guest."""
    host, guest = await member(), await member()
    party_id = await make_party(db, host.user, visibility="public")
    joined = await http.post(f"/api/parties/{party_id}/join/", headers=guest.session.headers)
    assert joined.status_code in (200, 201), joined.text
    return Room(party_id=party_id, host=host, guest=guest)
