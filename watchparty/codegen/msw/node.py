"""The pinned node tools of tools/msw: installing them (`npm ci`) and openapi-typescript."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from watchparty import PROJECT_ROOT

__all__ = ["TOOL_DIR", "NodeToolError", "ensure_node_tool", "openapi_typescript"]

TOOL_DIR = PROJECT_ROOT / "tools" / "msw"
NPM_CI_TIMEOUT_SECS = 900
NODE_TIMEOUT_SECS = 120


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


def ensure_node_tool(tool_dir: Path = TOOL_DIR) -> str:
    """Path of `node`, after `npm ci` in `tool_dir` unless its node_modules is complete."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise NodeToolError("`watchparty gen` needs node and npm on PATH (for mocks/msw/types.ts)")
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


def openapi_typescript(
    openapi_text: str, previous: str | None = None, tool_dir: Path = TOOL_DIR
) -> str:
    """openapi-typescript's output for `openapi_text`, stamped with a digest of its inputs.

    When `previous` (the committed types.ts) carries the same stamp it is returned as is, so
    `watchparty gen` needs neither node nor npm until the OpenAPI document or the tool changes.
    """
    script = tool_dir / "openapi-types.mjs"
    key = hashlib.sha256()
    for part in (
        openapi_text.encode(),
        script.read_bytes(),
        (tool_dir / "package-lock.json").read_bytes(),
    ):
        key.update(hashlib.sha256(part).digest())
    digest = key.hexdigest()[:32]
    stamp = f"// Generated from specs/openapi.yaml (inputs sha256 {digest}); never edit.\n"
    if previous is not None and previous.startswith(stamp):
        return previous
    node = ensure_node_tool(tool_dir)
    result = subprocess.run(
        [node, str(script)],
        cwd=tool_dir,
        input=openapi_text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=NODE_TIMEOUT_SECS,
        check=False,
    )
    if result.returncode != 0:
        raise NodeToolError(f"openapi-typescript failed:\n{result.stderr}")
    return stamp + result.stdout
