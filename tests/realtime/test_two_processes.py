"""Two `watchparty serve` processes sharing one database and a real Redis (issue 8).

A client on process A sees what happens on process B: playback commands, presence, chat.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.realtime.conftest import Client, free_port
from tests.utils.factories import login, make_party, make_user
from tests.utils.services import require_service
from watchparty.db import Database
from watchparty.settings import Settings

STARTUP_TIMEOUT_SECS = 60
REDIS_URL = "redis://127.0.0.1:6379/0"


def _command() -> list[str]:
    script = shutil.which("watchparty", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from watchparty.cli import app; app()"]


def _env(settings: Settings, prefix: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WATCHPARTY_") and key != "DATABASE_URL"
    }
    env.update(
        {
            "WATCHPARTY_ENV": "test",
            "WATCHPARTY_DATA_DIR": str(settings.data_dir),
            "WATCHPARTY_SECRET_KEY": settings.secret_key.get_secret_value(),
            "DATABASE_URL": settings.database_url,
            "WATCHPARTY_REDIS_URL": REDIS_URL,
            "WATCHPARTY_REALTIME_REDIS_PREFIX": prefix,
            # Shared Redis counters would carry logins over from other runs.
            "WATCHPARTY_THROTTLE_ENABLED": "false",
        }
    )
    if settings.database_schema:
        env["WATCHPARTY_DATABASE_SCHEMA"] = settings.database_schema
    return env


@dataclasses.dataclass
class Served:
    url: str
    proc: subprocess.Popen[bytes]


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[list[Served]]:
    """Two `watchparty serve` processes, A and B, sharing the database and Redis."""
    require_service("redis")
    prefix = f"wp-test-{uuid.uuid4().hex[:8]}"
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []
    urls = []
    for name in ("a", "b"):
        port = free_port()
        log_path = tmp_path / f"serve-{name}.log"
        with log_path.open("wb") as log:
            procs.append(
                (
                    subprocess.Popen(
                        [*_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                        cwd=tmp_path,
                        env=_env(settings, prefix),
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    ),
                    log_path,
                )
            )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECS
        for (proc, log_path), url in zip(procs, urls, strict=True):
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"serve exited with {proc.returncode}:\n{log_path.read_text()}")
                try:
                    if httpx.get(f"{url}/api/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"serve did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield [Served(url, proc) for (proc, _), url in zip(procs, urls, strict=True)]
    finally:
        for proc, _ in procs:
            proc.terminate()
        for proc, _ in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def two_servers(served: list[Served]) -> tuple[str, str]:
    return served[0].url, served[1].url


async def test_events_cross_processes_through_redis(
    two_servers: tuple[str, str], db: Database, settings: Settings
) -> None:
    url_a, url_b = two_servers
    host_user, guest_user = await make_user(db, settings), await make_user(db, settings)
    party_id = await make_party(db, host_user, visibility="public")
    async with httpx.AsyncClient(base_url=url_a) as http_a:
        host = await login(http_a, host_user)
        guest = await login(http_a, guest_user)
        joined = await http_a.post(f"/api/parties/{party_id}/join/", headers=guest.headers)
        assert joined.status_code in (200, 201), joined.text

    ws_a, ws_b = url_a.replace("http", "ws"), url_b.replace("http", "ws")
    async with (
        connect(f"{ws_a}/ws/party/{party_id}/?token={host.access}") as host_ws,
        connect(f"{ws_b}/ws/party/{party_id}/?token={guest.access}") as guest_ws,
    ):
        on_a, on_b = Client(host_ws), Client(guest_ws)
        await on_a.expect("presence")
        # Presence lives in Redis: the guest on B sees the host who joined on A.
        members = (await on_b.expect("presence"))["payload"]["members"]
        assert {m["user"]["id"] for m in members} == {str(host_user.id), str(guest_user.id)}
        guest_id = str(guest_user.id)
        await on_a.expect("presence.joined", where=lambda p: p["member"]["user"]["id"] == guest_id)
        await on_a.send("playback.seek", {"position": 321})
        state = await on_b.state("seek")
        assert state["position"] == 321 and state["actor"]["id"] == str(host_user.id)

    async with (
        connect(f"{ws_a}/ws/chat/{party_id}/?token={host.access}") as chat_a,
        connect(f"{ws_b}/ws/chat/{party_id}/?token={guest.access}") as chat_b,
    ):
        on_a, on_b = Client(chat_a), Client(chat_b)
        await on_a.expect("session.welcome")
        await on_b.expect("session.welcome")
        await on_b.send("message.send", {"content": "from B", "client_id": "b-1"})
        created = (await on_a.expect("message.created"))["payload"]
        assert (created["content"], created["client_id"]) == ("from B", "b-1")
        # The sender's own process delivers it exactly once.
        assert (await on_b.expect("message.created"))["payload"]["id"] == created["id"]
        await on_b.silent("message.created")


async def test_a_timed_poll_closes_on_b_after_its_creator_a_is_gone(
    served: list[Served], db: Database, settings: Settings
) -> None:
    a, b = served
    host_user, guest_user = await make_user(db, settings), await make_user(db, settings)
    party_id = await make_party(db, host_user, visibility="public")
    async with httpx.AsyncClient(base_url=a.url) as http_a:
        host = await login(http_a, host_user)
        guest = await login(http_a, guest_user)
        joined = await http_a.post(f"/api/parties/{party_id}/join/", headers=guest.headers)
        assert joined.status_code in (200, 201), joined.text
    path = f"/ws/interactive/{party_id}/polls/"
    async with (
        connect(f"{a.url.replace('http', 'ws')}{path}?token={host.access}") as host_ws,
        connect(f"{b.url.replace('http', 'ws')}{path}?token={guest.access}") as guest_ws,
    ):
        on_a, on_b = Client(host_ws), Client(guest_ws)
        await on_a.expect("poll.list")
        await on_b.expect("poll.list")
        question = {"question": "Next?", "options": ["Yes", "No"], "duration_seconds": 10}
        await on_a.send("poll.create", question)
        poll = (await on_b.expect("poll.created"))["payload"]
        a.proc.terminate()  # the creator's process goes away before the deadline
        assert a.proc.wait(timeout=15) is not None
        closed = (await on_b.expect("poll.closed", 20))["payload"]
        assert (closed["id"], closed["status"]) == (poll["id"], "closed")
        assert closed["closes_at"] == poll["closes_at"]
