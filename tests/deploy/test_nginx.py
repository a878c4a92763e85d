"""docs/deploy.md, for real: two `watchparty serve` processes sharing PostgreSQL and Redis
behind nginx (deploy/nginx.conf), REST and a WebSocket party through nginx, and a restart of
one process while clients are connected: they are closed with 1012, reconnect and resync."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.bus.helpers import AMQP_URL
from tests.conftest import PG_URL
from tests.test_serve import _command, _free_port, _wait_until_serving
from tests.utils.media import make_media
from tests.utils.services import require_service, require_tool

ROOT = Path(__file__).resolve().parents[2]
READY = "/api/health/ready/"  # database, Redis and RabbitMQ reachable
PASSWORD = "correct-horse-battery"


@dataclass
class Backend:
    port: int
    env: dict[str, str]
    cwd: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = field(default=None)

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until_serving(f"http://127.0.0.1:{self.port}", self.proc, self.log, READY)

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def _nginx_conf(listen: int, upstreams: list[int], prefix: Path) -> str:
    """deploy/nginx.conf as shipped, with the test's ports, inside a minimal main config."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in upstreams)
    site, found = re.subn(
        r"(upstream watchparty \{\n)(?:    server .*\n)+", rf"\g<1>{servers}", site
    )
    assert found == 1
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    return (
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\ndaemon off;\n"
        "worker_processes 1;\nevents { worker_connections 256; }\n"
        f"http {{\n access_log {prefix}/access.log;\n client_body_temp_path {prefix}/body;\n"
        f" proxy_temp_path {prefix}/proxy;\n{site}\n}}\n"
    )


@dataclass
class Deployment:
    base: str
    backends: list[Backend]
    worker: subprocess.Popen[bytes]


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A schema of its own in the test PostgreSQL, dropped afterwards."""
    require_service("postgres")
    schema = f"wp_deploy_{uuid.uuid4().hex[:10]}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(PG_URL.replace("+asyncpg", ""))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        asyncio.run(run(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def deployment(tmp_path: Path, pg_schema: str) -> Iterator[Deployment]:
    require_service("redis")
    require_service("rabbitmq")
    nginx = require_tool("nginx")
    amqp_prefix = f"wp-deploy-{uuid.uuid4().hex[:8]}."
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHPARTY_")}
    env.update(
        # What docs/deploy.md prescribes: PostgreSQL and Redis shared by the processes.
        DATABASE_URL=PG_URL,
        WATCHPARTY_DATABASE_SCHEMA=pg_schema,
        WATCHPARTY_DATA_DIR=str(tmp_path / "var"),
        WATCHPARTY_SECRET_KEY="deploy-test-" + "s" * 40,
        WATCHPARTY_REDIS_URL="redis://127.0.0.1:6379/0",
        WATCHPARTY_AMQP_URL=AMQP_URL,
        WATCHPARTY_AMQP_NAME_PREFIX=amqp_prefix,
        WATCHPARTY_REALTIME_REDIS_PREFIX=f"wp-deploy-{uuid.uuid4().hex[:8]}",
        WATCHPARTY_THROTTLE_ENABLED="false",
        WATCHPARTY_LOG_FORMAT="json",
    )
    backends = [Backend(_free_port(), env, tmp_path, tmp_path / f"serve-{i}.log") for i in range(2)]
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    listen = _free_port()
    (prefix / "nginx.conf").write_text(_nginx_conf(listen, [b.port for b in backends], prefix))
    proxy: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    try:
        upgrade = subprocess.run(
            [*_command(), "db", "upgrade"], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
        for backend in backends:
            backend.start()
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [*_command(), "worker"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        with (prefix / "stderr.log").open("wb") as stderr:
            proxy = subprocess.Popen(
                [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        _wait_until_serving(f"http://127.0.0.1:{listen}", proxy, prefix / "error.log", READY)
        yield Deployment(f"127.0.0.1:{listen}", backends, worker)
    finally:
        for process in (proxy, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        for backend in backends:
            if backend.proc is not None and backend.proc.poll() is None:
                backend.stop()


def _account(http: httpx.Client, name: str) -> dict[str, Any]:
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    assert http.post("/api/auth/register/", json=body).status_code == 201
    login = http.post("/api/auth/login/", json={"email": body["email"], "password": PASSWORD})
    assert login.status_code == 200, login.text
    return dict(login.json())


async def _next(ws: ClientConnection, kind: str) -> dict[str, Any]:
    seen = []
    while True:
        try:
            frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except TimeoutError:
            raise AssertionError(f"no {kind}; saw {seen}") from None
        seen.append(frame)
        if frame["type"] == kind:
            return frame


def _metric(base: str, series: str) -> float:
    for line in httpx.get(f"{base}/metrics").text.splitlines():
        if line.startswith(series):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_rest_through_nginx_reaches_every_process(deployment: Deployment) -> None:
    series = 'watchparty_http_requests_total{method="GET",operation="getLiveness",status="200"}'
    with httpx.Client(base_url=f"http://{deployment.base}") as http:
        answers = [
            http.get("/api/health/live/", headers={"X-Request-ID": f"r-{i}"}) for i in range(6)
        ]
    assert [a.headers["x-request-id"] for a in answers] == [f"r-{i}" for i in range(6)]
    per_process = [_metric(f"http://127.0.0.1:{b.port}", series) for b in deployment.backends]
    assert sum(per_process) >= 6 and all(count >= 1 for count in per_process), per_process
    assert httpx.get(f"http://{deployment.base}/metrics").status_code == 404  # not proxied


async def test_party_survives_a_process_restart(deployment: Deployment) -> None:
    base = deployment.base
    with httpx.Client(base_url=f"http://{base}") as http:
        host, guest = _account(http, "host"), _account(http, "guest")
        party = http.post(
            "/api/parties/",
            json={
                "title": "Deploy night",
                "scheduled_for": "2030-01-01T20:00:00Z",
                "settings": {"visibility": "public"},
            },
            headers={"Authorization": f"Bearer {host['access']}"},
        ).json()["id"]
        joined = http.post(
            f"/api/parties/{party}/join/", headers={"Authorization": f"Bearer {guest['access']}"}
        )
        assert joined.status_code == 200, joined.text

    def url(who: dict[str, Any]) -> str:
        return f"ws://{base}/ws/party/{party}/?token={who['access']}"

    # Four sockets: nginx spreads them over both processes.
    sockets = [await connect(url(who)) for who in (host, guest, guest, guest)]
    try:
        for ws in sockets:
            await _next(ws, "playback.state")
        await sockets[0].send(
            json.dumps({"type": "playback.pause", "id": "p-1", "payload": {"position": 42}})
        )
        for ws in sockets:  # wherever they are connected: the event crossed Redis
            state = (await _next(ws, "playback.state"))["payload"]
            assert state["status"] == "paused" and state["position"] == pytest.approx(42)

        restarting = deployment.backends[0]
        # SIGTERM: a graceful shutdown (uvicorn re-raises the signal once it is done).
        assert restarting.stop() in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in restarting.log.read_text()
        codes = []
        for ws in sockets:
            try:
                await asyncio.wait_for(ws.recv(), 0.5)
            except ConnectionClosed:
                pass
            except TimeoutError:
                continue
            codes.append(ws.close_code)
        assert codes and all(code == 1012 for code in codes), codes  # "service restart"

        # Clients of the stopped process reconnect through nginx and resync.
        again = await connect(url(guest))
        sockets.append(again)
        state = (await _next(again, "playback.state"))["payload"]
        assert state["status"] == "paused" and state["position"] == pytest.approx(42)
        restarting.start()
        with httpx.Client(base_url=f"http://{base}") as http:
            detail = http.get(
                f"/api/parties/{party}/", headers={"Authorization": f"Bearer {guest['access']}"}
            )
            assert detail.status_code == 200
    finally:
        for ws in sockets:
            await ws.close()


def test_uploads_are_processed_by_the_worker(deployment: Deployment, tmp_path: Path) -> None:
    media = make_media(tmp_path)
    with httpx.Client(base_url=f"http://{deployment.base}", timeout=30) as http:
        me = _account(http, "uploader")
        auth = {"Authorization": f"Bearer {me['access']}"}
        uploaded = http.post(
            "/api/videos/upload/",
            headers=auth,
            data={"title": "Through nginx"},
            files={"file": (media.avi.name, media.avi.read_bytes(), "video/x-msvideo")},
        )
        assert uploaded.status_code == 201, uploaded.text
        video = uploaded.json()["id"]
        deadline = time.monotonic() + 90
        while (job := http.get(f"/api/videos/{video}/processing/", headers=auth).json())[
            "state"
        ] not in ("ready", "failed"):
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        assert job["state"] == "ready", job  # transcoded by the worker process, not the API
        detail = http.get(f"/api/videos/{video}/", headers=auth).json()
        thumbnail = http.get(detail["thumbnail_url"])
        assert thumbnail.status_code == 200
        assert thumbnail.headers["content-type"].startswith("image/")
    assert deployment.worker.poll() is None
    assert video in (tmp_path / "worker.log").read_text()  # the worker did the work
