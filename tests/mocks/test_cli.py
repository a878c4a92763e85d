"""`watchparty mock` as a process: starts fast, serves REST and WebSockets, stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from tests.mocks.conftest import free_port
from tests.mocks.helpers import AUTH

# The issue asks for under 1 s on a developer box; CI machines share their cores, so the test
# only guards against a regression of several times that (the figure is printed).
STARTUP_BUDGET_SECS = 5.0


def test_mock_command_starts_fast_and_serves() -> None:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import typer; from mocks.cli import mock; typer.run(mock)",
            "--port",
            str(port),
            "--stateful",
            "--seed",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while True:
            try:
                info = httpx.get(f"http://127.0.0.1:{port}/__mock/", timeout=0.5)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.communicate()
                assert time.perf_counter() - started < STARTUP_BUDGET_SECS * 4
                time.sleep(0.01)
        elapsed = time.perf_counter() - started
        print(f"watchparty mock answered after {elapsed:.2f} s")
        assert elapsed < STARTUP_BUDGET_SECS
        assert info.json()["stateful"] is True and info.json()["operations"] == 94
        created = httpx.post(
            f"http://127.0.0.1:{port}/api/parties/",
            json={"title": "CLI", "scheduled_for": "2026-12-01T20:00:00Z"},
            headers=AUTH,
        )
        assert created.status_code == 201
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert b"watchparty mock on http://127.0.0.1" in out
    assert b"Traceback" not in err
