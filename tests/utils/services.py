"""Reach the external services and tools that some tests need.

On a developer box a missing service skips the test; in CI (`.ci/run` sets
WATCHPARTY_REQUIRE_SERVICES=1) it fails it, so a green CI run never hides a skipped suite.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

__all__ = ["SERVICE_PORTS", "require_node_tool", "require_path", "require_service", "require_tool"]

SERVICE_PORTS = {"postgres": 5432, "redis": 6379, "rabbitmq": 5672}


def _missing(reason: str) -> None:
    if os.environ.get("WATCHPARTY_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (required: WATCHPARTY_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def require_service(name: str, host: str = "127.0.0.1") -> None:
    """Skip (or fail in CI) unless `name` answers on its standard loopback port."""
    port = SERVICE_PORTS[name]
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError:
        _missing(f"{name} is not reachable on {host}:{port}")


def require_tool(command: str) -> str:
    """Path of `command`; skip (or fail in CI) when it is not installed."""
    path = shutil.which(command)
    if path is None:
        _missing(f"{command} is not installed")
    assert path is not None
    return path


def require_path(path: Path, what: str) -> Path:
    """`path` if it exists; skip (or fail in CI) otherwise."""
    if not path.exists():
        _missing(f"{what} is not at {path}")
    return path


def require_node_tool(tool_dir: Path) -> str:
    """`node`, with the pinned packages of `tool_dir` installed (`npm ci`) when missing.

    Skips (or fails in CI) without node and npm; a failed install fails the test.
    """
    from watchparty.codegen.node import NodeToolError, ensure_node_tool

    require_tool("node")
    require_tool("npm")
    try:
        return ensure_node_tool(tool_dir)
    except NodeToolError as exc:
        pytest.fail(str(exc))
