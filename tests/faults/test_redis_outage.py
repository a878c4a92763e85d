"""Redis stopped and started while two server processes serve a party (WATCHPARTY_REDIS_URL).

What was acknowledged during the outage is not lost, the hubs log the outage in a few clear
lines and, once Redis is back, relay again without a restart and ask their sockets to
reconnect (1012), since events of the other process may have been missed meanwhile; the
clients reconnect and resync: the stored playback state on join, the chat by `resume`.
Servers started while Redis is down serve the same way, and relay once it is up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.faults.conftest import Party, Serve, make_joined_party, serve_env, start_all
from tests.realtime.conftest import Client
from tests.utils.factories import Session
from tests.utils.private_services import PrivateRedis
from watchparty.db import Database
from watchparty.settings import Settings

RECOVERY_TIMEOUT_SECS = 20.0
CLOSE_SERVICE_RESTART = 1012
# An outage is a few error lines per process, not one per event or per retry.
MAX_ERROR_LINES = 20


async def _open(server: Serve, channel: str, party: Party, who: Session) -> Client:
    """A socket on `server`, retried until it opens (the server may refuse during an outage)."""
    deadline = time.monotonic() + RECOVERY_TIMEOUT_SECS
    while True:
        try:
            ws = await connect(f"{server.ws_url}/ws/{channel}/{party.id}/?token={who.access}")
            client = Client(ws)
            await client.expect("session.welcome")
            return client
        except (OSError, TimeoutError, Exception) as exc:  # noqa: BLE001 - retried, then shown
            if time.monotonic() > deadline:
                raise AssertionError(f"could not reconnect to {channel}: {exc!r}") from exc
            await asyncio.sleep(0.3)


async def _send_chat(url: str, party: Party, who: Session, content: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, headers=who.headers, timeout=10) as http:
        sent = await http.post(
            f"/api/chat/{party.id}/messages/send/", json={"content": content, "client_id": content}
        )
    assert sent.status_code == 201, sent.text
    body: dict[str, Any] = sent.json()
    return body


@contextlib.contextmanager
def _two_servers(
    redis: PrivateRedis, settings: Settings, tmp_path: Path, servers: list[Serve]
) -> Iterator[tuple[Serve, Serve]]:
    """Servers A and B on `redis`; at the end they stop, then Redis does."""
    try:
        env = serve_env(
            settings,
            WATCHPARTY_REDIS_URL=redis.url,
            WATCHPARTY_REALTIME_REDIS_PREFIX=f"wp-faults-{uuid.uuid4().hex[:8]}",
            # Counters in the same Redis: while it is down, requests pass uncounted (logged).
            WATCHPARTY_THROTTLE_ENABLED="true",
        )
        a, b = Serve(env, tmp_path, "a"), Serve(env, tmp_path, "b")
        servers += [a, b]
        start_all(a, b)
        yield a, b
    finally:
        for server in servers:  # before Redis, as a deployment stops
            server.stop()
        redis.close()


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_redis_restart_resyncs_clients_and_loses_nothing(
    db: Database, settings: Settings, tmp_path: Path, servers: list[Serve]
) -> None:
    redis = PrivateRedis(tmp_path, persistent=True)  # room state outlives the restart
    redis.start()
    with _two_servers(redis, settings, tmp_path, servers) as (a, b):
        party = await make_joined_party(db, settings, a.url)
        await _outage(redis, a, b, party)


async def _outage(redis: PrivateRedis, a: Serve, b: Serve, party: Party) -> None:
    host_sync = await _open(a, "party", party, party.host)
    guest_sync, guest_chat = await _open(b, "party", party, party.guest), None
    guest_chat = await _open(b, "chat", party, party.guest)
    # Relayed through Redis from A to B.
    await host_sync.send("playback.seek", {"position": 10})
    assert (await guest_sync.state("seek"))["position"] == 10
    assert (await host_sync.state("seek"))["position"] == 10
    before = await _send_chat(a.url, party, party.host, "before")
    seen = (await guest_chat.expect("message.created"))["payload"]
    assert seen["id"] == before["id"]

    redis.stop()
    # Acknowledged while Redis is down (throttle counters too): stored, so not lost, though
    # B's clients miss it live.
    during = await _send_chat(a.url, party, party.host, "during")
    await host_sync.send("playback.seek", {"position": 42})
    assert (await host_sync.state("seek"))["position"] == 42
    # The host leaves while A cannot tell Redis: once it is back, A removes them there too.
    await host_sync.close()
    await asyncio.sleep(1)
    redis.start()

    # B's hub resubscribes and asks its sockets to reconnect: they may have missed events.
    for client in (guest_sync, guest_chat):
        assert await client.closed(timeout=RECOVERY_TIMEOUT_SECS) == CLOSE_SERVICE_RESTART
    await _logged(a, "Redis subscription restored")
    guest_sync = await _open(b, "party", party, party.guest)
    joined = await guest_sync.expect("playback.state", where=lambda p: p["cause"] == "join")
    assert joined["payload"]["position"] == 42
    present = (await guest_sync.expect("presence"))["payload"]["members"]
    assert [m["user"]["id"] for m in present] == [party.guest.user["id"]]
    guest_chat = await _open(b, "chat", party, party.guest)
    await guest_chat.send("resume", {"since": seen["id"]})
    replayed = await guest_chat.expect("message.created")
    assert replayed["payload"]["id"] == during["id"]
    assert (await guest_chat.expect("resume.complete"))["payload"]["replayed"] == 1

    # Live relay again, without a restart: host on A, guest on B.
    host_sync = await _open(a, "party", party, party.host)
    await host_sync.send("playback.seek", {"position": 77})
    assert (await guest_sync.state("seek"))["position"] == 77
    after = await _send_chat(a.url, party, party.host, "after")
    assert (await guest_chat.expect("message.created"))["payload"]["id"] == after["id"]

    for server in (a, b):
        errors = server.errors()
        assert errors, f"{server.log_path.name}: the outage was not logged"
        assert len(errors) <= MAX_ERROR_LINES, [e["event"] for e in errors]
        assert all("redis" in e["event"].lower() for e in errors), [e["event"] for e in errors]


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_servers_start_without_redis_and_relay_once_it_is_up(
    db: Database, settings: Settings, tmp_path: Path, servers: list[Serve]
) -> None:
    redis = PrivateRedis(tmp_path)  # its port, where nothing listens yet
    with _two_servers(redis, settings, tmp_path, servers) as (a, b):
        assert await _ready(b) == (503, "Not ready: redis unreachable.")
        party = await make_joined_party(db, settings, a.url)
        # Sockets open and get the events of their own process.
        guest_chat = await _open(b, "chat", party, party.guest)
        local = await _send_chat(b.url, party, party.host, "local")
        assert (await guest_chat.expect("message.created"))["payload"]["id"] == local["id"]
        # The party's room state is B's own meanwhile: its sockets join and play together.
        guest_party = await _open(b, "party", party, party.guest)
        host_party = await _open(b, "party", party, party.host)
        present = (await host_party.expect("presence"))["payload"]["members"]
        assert {m["user"]["id"] for m in present} == {party.host.user["id"], party.guest.user["id"]}
        await host_party.send("playback.seek", {"position": 12})
        assert (await guest_party.state("seek"))["position"] == 12

        redis.start()
        # As after an outage: B's hub subscribes and asks its sockets to reconnect.
        for client in (guest_chat, guest_party, host_party):
            assert await client.closed(timeout=RECOVERY_TIMEOUT_SECS) == CLOSE_SERVICE_RESTART
        guest_chat = await _open(b, "chat", party, party.guest)
        relayed = await _send_chat(a.url, party, party.host, "relayed")
        assert (await guest_chat.expect("message.created"))["payload"]["id"] == relayed["id"]
        assert await _ready(b) == (200, None)
        for server in (a, b):
            lines = [e["event"] for e in server.errors()]
            assert sum("subscription" in line for line in lines) == 1, lines  # logged once
            assert len(lines) <= MAX_ERROR_LINES and all("redis" in x.lower() for x in lines), lines
            assert not [e for e in server.errors() if "exception" in e], "an outage is no bug"


async def _logged(server: Serve, text: str) -> None:
    """Wait until a log line of `server` contains `text`."""
    deadline = time.monotonic() + RECOVERY_TIMEOUT_SECS
    while not any(text in line.get("event", "") for line in server.logs()):
        assert time.monotonic() < deadline, f"{server.log_path.name}: never logged {text!r}"
        await asyncio.sleep(0.1)


async def _ready(server: Serve) -> tuple[int, str | None]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        ready = await http.get("/api/health/ready/")
    return ready.status_code, ready.json().get("detail")
