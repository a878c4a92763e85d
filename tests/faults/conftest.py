"""Fault tests (issue 10.3): real `watchparty serve` processes, crashed and cut off from their
services (private PostgreSQL, Redis and RabbitMQ of tests.utils.private_services).

`Serve` runs one server process on a free port with the environment of a `Settings` (JSON
logs into a file the test reads); `kill()` is a SIGKILL, `start()` starts it again on the same
port and database. Tests here are marked `faults` and `slow`: CI runs them with the rest.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import make_settings
from tests.realtime.conftest import free_port
from tests.test_serve import _command, _wait_until_serving
from tests.utils.factories import Session, login, make_party, make_user
from tests.utils.private_services import PrivatePostgres
from watchparty.db import Database
from watchparty.settings import Settings

__all__ = ["Party", "Serve", "make_joined_party", "serve_env", "start_all"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: kills servers and services (issue 10.3)")
    config.addinivalue_line("markers", "slow: runs for seconds (real processes); CI runs it")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.slow)


def serve_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a server on `settings`' database, JSON logs, no throttling."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WATCHPARTY_") and key != "DATABASE_URL"
    }
    env.update(
        WATCHPARTY_ENV="test",
        WATCHPARTY_DATA_DIR=str(settings.data_dir),
        WATCHPARTY_SECRET_KEY=settings.secret_key.get_secret_value(),
        DATABASE_URL=settings.database_url,
        WATCHPARTY_LOG_FORMAT="json",
        # Bursts go past any per-user rate; throttling is tested elsewhere.
        WATCHPARTY_THROTTLE_ENABLED="false",
        WATCHPARTY_GRACEFUL_SHUTDOWN_SECS="2",
    )
    if settings.database_schema:
        env["WATCHPARTY_DATABASE_SCHEMA"] = settings.database_schema
    env.update(extra)
    return env


class Serve:
    """One `watchparty serve` process; its log is `log_path` (one JSON object per line)."""

    def __init__(self, env: dict[str, str], work_dir: Path, name: str = "serve") -> None:
        self.env = env
        self.work_dir = work_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.log_path = work_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        start_all(self)

    def spawn(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [*_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.work_dir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_serving(self) -> None:
        assert self.proc is not None
        _wait_until_serving(self.url, self.proc, self.log_path, path="/api/health/live/")

    def kill(self) -> None:
        """kill -9: no shutdown hook runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def logs(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far (other output skipped)."""
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return lines

    def errors(self) -> list[dict[str, Any]]:
        return [line for line in self.logs() if line.get("level") in ("error", "critical")]


def start_all(*servers: Serve) -> None:
    """Start `servers` side by side (each start is seconds of imports) and wait for them."""
    for server in servers:
        server.spawn()
    for server in servers:
        server.wait_serving()


@pytest.fixture
def servers() -> Iterator[list[Serve]]:
    """Servers a test starts (append them); all stopped at the end."""
    started: list[Serve] = []
    try:
        yield started
    finally:
        for server in started:
            server.stop()


class Party:
    """A party's id and its host's and joined guest's logins."""

    def __init__(self, party_id: Any, host: Session, guest: Session) -> None:
        self.id = party_id
        self.host = host
        self.guest = guest


async def make_joined_party(db: Database, settings: Settings, base_url: str) -> Party:
    """A public party with its host and a joined guest, both logged in on `base_url`."""
    host_user, guest_user = await make_user(db, settings), await make_user(db, settings)
    party_id = await make_party(db, host_user, visibility="public")
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        host, guest = await login(http, host_user), await login(http, guest_user)
        joined = await http.post(f"/api/parties/{party_id}/join/", headers=guest.headers)
        assert joined.status_code in (200, 201), joined.text
    return Party(party_id, host, guest)


@pytest.fixture
async def private_pg(tmp_path: Path) -> AsyncIterator[tuple[PrivatePostgres, Settings]]:
    """A private PostgreSQL, migrated, and the settings of a server on it."""
    pg = PrivatePostgres()
    try:
        pg.start()
        settings = make_settings(tmp_path / "var", database_url=pg.url()).prepare()
        db = await Database.open(settings)
        try:
            await db.migrate()
        finally:
            await db.close()
        yield pg, settings
    finally:
        pg.close()
