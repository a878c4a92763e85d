"""Pinned node tools (a folder with package.json, package-lock.json and .npmrc): `npm ci` on demand.

Used by `watchparty gen` (tools/msw) and by the tests that run node (tools/asyncapi-validate).
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

__all__ = ["NodeToolError", "ensure_node_tool"]

NPM_CI_TIMEOUT_SECS = 900


class NodeToolError(RuntimeError):
    """node or npm is missing, or the pinned tools in tools/msw failed."""


@contextlib.contextmanager
def _install_lock(tool_dir: Path) -> Iterator[None]:
    """Serialise `npm ci`: parallel gens and test sessions share one node_modules."""
    with (tool_dir / "package-lock.json").open("rb") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def ensure_node_tool(tool_dir: Path) -> str:
    """Path of `node`, after `npm ci` in `tool_dir` unless its node_modules is complete."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise NodeToolError(f"node and npm must be on PATH (for {tool_dir})")
    with _install_lock(tool_dir):
        # npm writes node_modules/.package-lock.json last: without it an install was cut short.
        if (tool_dir / "node_modules" / ".package-lock.json").is_file():
            return node
        # Exactly what package-lock.json pins, with the folder's .npmrc (no install scripts);
        # one retry rides out a dropped registry connection.
        for _attempt in range(2):
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=tool_dir,
                capture_output=True,
                text=True,
                timeout=NPM_CI_TIMEOUT_SECS,
                stdin=subprocess.DEVNULL,
                check=False,
            )
            if result.returncode == 0:
                return node
        shutil.rmtree(tool_dir / "node_modules", ignore_errors=True)
        raise NodeToolError(f"`npm ci` in {tool_dir} failed:\n{result.stdout}\n{result.stderr}")
