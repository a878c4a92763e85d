"""`watchparty mock` as a process: starts fast, serves REST and WebSockets, stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

from generated.operations import OPERATIONS
from tests.mocks.conftest import free_port
from tests.mocks.helpers import AUTH

# The issue asks for under 1 s on a developer box (figures in docs/decisions.md "Mock server
# start-up"); a loaded 2-core CI box runs it in ~1.2 s, so the bound leaves it room yet
# still catches a lost optimisation (spec meta-validation alone costs ~0.8 s). Printed.
STARTUP_BUDGET_SECS = 2.0
# The installed `watchparty` script, next to this interpreter.
WATCHPARTY = str(Path(sys.executable).with_name("watchparty"))


def test_mock_command_starts_fast_and_serves() -> None:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [WATCHPARTY, "mock", "--port", str(port), "--stateful", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while True:
            try:
                first = httpx.get(f"http://127.0.0.1:{port}/api/billing/plans/", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.communicate()
                assert time.perf_counter() - started < STARTUP_BUDGET_SECS * 10
                time.sleep(0.02)
        elapsed = time.perf_counter() - started
        print(f"watchparty mock answered its first request after {elapsed:.2f} s")
        assert first.status_code == 200
        assert elapsed < STARTUP_BUDGET_SECS
        info = httpx.get(f"http://127.0.0.1:{port}/__mock/")
        assert info.json()["stateful"] is True and info.json()["operations"] == len(OPERATIONS)
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


def test_connexion_loads_without_unused_modules() -> None:
    # In a fresh interpreter: this one has connexion, httpx and requests loaded already.
    script = textwrap.dedent(
        """
        import sys
        from mocks.cli import _deferred_imports
        with _deferred_imports():
            from mocks.app import create_mock_app
        app = create_mock_app()
        deferred = ("httpx", "requests", "starlette.testclient")
        assert not [m for m in deferred if m in sys.modules], sys.modules.keys()
        # connexion's references still work: each loads the real module on first use.
        import connexion.json_schema, connexion.security
        from connexion import AsyncApp
        assert connexion.security.httpx.AsyncClient.__module__ == "httpx"
        assert callable(connexion.json_schema.requests.get)
        assert type(AsyncApp(__name__).test_client()).__name__ == "TestClient"
        assert "httpx" in sys.modules and "starlette.testclient" in sys.modules
        import httpx
        assert httpx.AsyncClient is connexion.security.httpx.AsyncClient
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
