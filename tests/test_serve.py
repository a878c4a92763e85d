"""Smoke test of a real `watchparty serve` process on a free port (issue 3, "done means")."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

STARTUP_TIMEOUT_SECS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _command() -> list[str]:
    script = shutil.which("watchparty", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from watchparty.cli import app; app()"]


def _env(data_dir: Path) -> dict[str, str]:
    # Defaults only: SQLite under data_dir, memory throttle; nothing from the caller's setup.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WATCHPARTY_") and key != "DATABASE_URL"
    }
    env["WATCHPARTY_DATA_DIR"] = str(data_dir)
    return env


def _wait_until_serving(
    base: str, proc: subprocess.Popen[bytes], log_path: Path, path: str = "/api/openapi.json"
) -> None:
    """Until `base + path` answers 200; fails with the log if `proc` exits or time runs out."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECS
    while True:
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{base}{path}", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"serve did not answer within {STARTUP_TIMEOUT_SECS}s:\n{log_path.read_text()}"
            )
        time.sleep(0.2)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,  # no stray .env
            env=_env(tmp_path / "var"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, proc, log_path)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "operations implemented" in log_path.read_text()


def test_docs_and_spec_answer(server: str) -> None:
    docs = httpx.get(f"{server}/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    spec = httpx.get(f"{server}/api/openapi.json")
    assert spec.json()["openapi"] == "3.0.3"
    missing = httpx.get(f"{server}/api/nothing-here/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}


def test_register_login_me(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        account = {
            "username": "ana",
            "email": "ana@example.com",
            "password": "correct-horse-battery",
        }
        registered = client.post("/api/auth/register/", json=account)
        assert registered.status_code == 201, registered.text
        assert registered.json()["user"]["email"] == "ana@example.com"

        login = client.post(
            "/api/auth/login/", json={"email": "ana@example.com", "password": account["password"]}
        )
        assert login.status_code == 200, login.text
        access = login.json()["access"]

        me = client.get("/api/auth/me/", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 200, me.text
        assert me.json()["username"] == "ana"

        anonymous = client.get("/api/auth/me/")
        assert anonymous.status_code == 401
        assert anonymous.json()["code"] == "not_authenticated"


def test_bad_configuration_exits_2_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = subprocess.run(
        [*_command(), "serve", "--port", str(_free_port())],
        cwd=tmp_path,
        env=_env(blocker / "var"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Configuration error" in result.stderr
    assert "WATCHPARTY_DATA_DIR" in result.stderr


def test_logs_are_json_lines_with_request_ids(server: str, tmp_path: Path) -> None:
    answer = httpx.get(f"{server}/api/health/live/", headers={"X-Request-ID": "probe-7"})
    assert answer.headers["x-request-id"] == "probe-7"
    deadline = time.monotonic() + 10
    while "probe-7" not in (tmp_path / "serve.log").read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [
        json.loads(line)
        for line in (tmp_path / "serve.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert not any("color_message" in entry for entry in lines)  # no terminal codes in JSON
    line = next(entry for entry in lines if entry.get("request_id") == "probe-7")
    assert line["event"] == "request" and line["operation_id"] == "getLiveness"
    assert line["status"] == 200 and "timestamp" in line


def test_several_workers_need_redis(tmp_path: Path) -> None:
    result = subprocess.run(
        [*_command(), "serve", "--port", str(_free_port()), "--workers", "2"],
        cwd=tmp_path,
        env=_env(tmp_path / "var"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--workers above 1 needs WATCHPARTY_REDIS_URL" in result.stderr


def test_sigterm_lets_a_request_in_flight_finish(tmp_path: Path) -> None:
    port = _free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [*_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=_env(tmp_path / "var"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}", proc, tmp_path / "serve.log")
        body = json.dumps(
            {"username": "late", "email": "late@example.com", "password": "correct-horse-battery"}
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            head = (
                "POST /api/auth/register/ HTTP/1.1\r\nHost: test\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            half = len(body) // 2
            sock.sendall(head.encode() + f"{half:x}\r\n".encode() + body[:half] + b"\r\n")
            time.sleep(0.3)
            proc.send_signal(signal.SIGTERM)  # the request is half sent
            time.sleep(1.0)
            rest = body[half:]
            sock.sendall(f"{len(rest):x}\r\n".encode() + rest + b"\r\n0\r\n\r\n")
            answer = sock.recv(65536).decode()
        assert answer.startswith("HTTP/1.1 201"), answer
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)  # then it stops
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
