"""openapi-typescript from the pinned node tools of tools/msw."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from watchparty import PROJECT_ROOT
from watchparty.codegen.node import NodeToolError, ensure_node_tool

__all__ = ["TOOL_DIR", "NodeToolError", "ensure_node_tool", "openapi_typescript"]

TOOL_DIR = PROJECT_ROOT / "tools" / "msw"
NODE_TIMEOUT_SECS = 120


def openapi_typescript(
    openapi_text: str,
    previous: str | None = None,
    tool_dir: Path = TOOL_DIR,
    *,
    source: str = "specs/openapi.yaml",
) -> str:
    """openapi-typescript's output for `openapi_text`, stamped with a digest of its inputs.

    When `previous` (the committed types.ts) carries the same stamp it is returned as is, so
    `watchparty gen` needs neither node nor npm until the OpenAPI document or the tool changes.
    `source` names where the document came from in the stamp (also `watchparty gen client`).
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
    stamp = f"// Generated from {source} (inputs sha256 {digest}); never edit.\n"
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
