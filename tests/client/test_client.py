"""The TypeScript client package (clients/ts, issue 12) under node: type-checked with its own
pinned tsc, then its compiled dist/ run by node's test runner against the mock server and
against a real `watchparty serve`.

Needs node and npm: skipped on a developer box without them, a failure in CI.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from pathlib import Path

import pytest

from mocks.app import create_mock_app
from tests.mocks.conftest import serve
from tests.mocks.helpers import TOKEN
from tests.test_serve import server  # noqa: F401  (the real-server fixture)
from tests.utils.services import require_node_tool
from watchparty import PROJECT_ROOT
from watchparty.codegen.client import OUT_DIR

pytestmark = pytest.mark.service("node")

PACKAGE = PROJECT_ROOT / OUT_DIR
HERE = Path(__file__).parent
NODE_TIMEOUT_SECS = 180


def _node_test_command(node: str, script: Path) -> list[str]:
    """`node --test SCRIPT`, with the global WebSocket switched on where it is still a flag."""
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    major = int(version.stdout.strip().lstrip("v").split(".")[0])
    flags = ["--experimental-websocket"] if major < 22 else []
    return [node, *flags, "--test", "--test-reporter=spec", str(script)]


async def _run_node_tests(node: str, script: Path, env: dict[str, str]) -> None:
    # Async, so the mock served on this event loop keeps answering while node runs.
    proc = await asyncio.create_subprocess_exec(
        *_node_test_command(node, script),
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(proc.communicate(), NODE_TIMEOUT_SECS)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail(f"{script.name} did not finish within {NODE_TIMEOUT_SECS}s")
    text = output.decode()
    assert proc.returncode == 0, text
    # The spec reporter's summary: something ran and nothing failed.
    assert re.search(r"^ℹ fail 0$", text, re.MULTILINE), text
    passed = re.search(r"^ℹ pass (\d+)$", text, re.MULTILINE)
    assert passed is not None and int(passed.group(1)) > 0, text


def test_client_type_checks() -> None:
    """`tsc --noEmit` over the sources and tests/client/typecheck.ts (typed paths and frames)."""
    node = require_node_tool(PACKAGE)
    tsc = PACKAGE / "node_modules" / "typescript" / "bin" / "tsc"
    result = subprocess.run(
        [node, str(tsc), "--noEmit", "-p", str(HERE / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECS,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_client_against_the_mock() -> None:
    node = require_node_tool(PACKAGE)
    async with serve(create_mock_app(seed=0)) as address:
        await _run_node_tests(
            node,
            HERE / "mock.test.mjs",
            {"WATCHPARTY_MOCK": address, "WATCHPARTY_MOCK_TOKEN": TOKEN},
        )


async def test_client_against_the_real_server(server: str) -> None:  # noqa: F811
    node = require_node_tool(PACKAGE)
    await _run_node_tests(node, HERE / "server.test.mjs", {"WATCHPARTY_SERVER": server})
