"""The realtime API's HTML reference (docs/realtime/), served at `/api/docs/realtime/`.

Rendered from specs/asyncapi.yaml by AsyncAPI's own HTML template (@asyncapi/html-template)
through the AsyncAPI generator library, both pinned in tools/asyncapi-docs (the same engine
`asyncapi generate fromTemplate` runs; the CLI itself wants Node 24). The output is
committed: the server reads files, nothing is downloaded at run time, and scripts and styles
are local files (css/, js/).

Each file starts with a stamp of its inputs (the spec, the render script, the lock file);
when every committed file carries the current stamp it is reused, so `watchparty gen` and
`gen --check` need node (and the 400 MB install) only when the spec or the tool changed.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import tempfile
from pathlib import Path

from watchparty import PROJECT_ROOT
from watchparty.codegen.node import NodeToolError, ensure_node_tool

__all__ = ["DOCS_DIR", "DOCS_FILES", "TOOL_DIR", "committed_docs", "render_realtime_docs"]

DOCS_DIR = "docs/realtime"
TOOL_DIR = PROJECT_ROOT / "tools" / "asyncapi-docs"
# What the template writes with singleFile=false; a change of template version that adds or
# drops a file fails loudly in `_read` rather than leaving a page without its assets.
DOCS_FILES = (
    "index.html",
    "css/global.min.css",
    "css/asyncapi.min.css",
    "js/asyncapi-ui.min.js",
    "js/app.js",
)
RENDER_TIMEOUT_SECS = 300


def _stamp(rel: str, digest: str) -> str:
    text = (
        "Generated from specs/asyncapi.yaml by @asyncapi/html-template "
        f"(inputs sha256 {digest}); never edit."
    )
    if rel.endswith(".html"):
        return f"<!-- {text} -->\n"
    return f"/* {text} */\n"


def _read(out: Path) -> dict[str, str]:
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    if written != sorted(DOCS_FILES):
        raise NodeToolError(f"@asyncapi/html-template wrote {written}, expected {list(DOCS_FILES)}")
    return {rel: (out / rel).read_text(encoding="utf-8") for rel in DOCS_FILES}


def _digest(asyncapi: str, tool_dir: Path) -> str:
    key = hashlib.sha256()
    for part in (
        asyncapi.encode(),
        (tool_dir / "render.mjs").read_bytes(),
        (tool_dir / "package-lock.json").read_bytes(),
    ):
        key.update(hashlib.sha256(part).digest())
    return key.hexdigest()[:32]


def committed_docs(root: Path, asyncapi: str, tool_dir: Path = TOOL_DIR) -> dict[str, str] | None:
    """The committed docs/realtime files when all carry the stamp of these inputs, else None."""
    digest = _digest(asyncapi, tool_dir)
    files = {}
    for rel in DOCS_FILES:
        path = root / DOCS_DIR / rel
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not text.startswith(_stamp(rel, digest)):
            return None
        files[f"{DOCS_DIR}/{rel}"] = text
    return files


def render_realtime_docs(
    root: Path, asyncapi: str | None = None, tool_dir: Path = TOOL_DIR
) -> dict[str, str]:
    """Every file of docs/realtime, relative path -> text.

    Raises:
        NodeToolError: node or npm is missing, or the generator failed.
    """
    if asyncapi is None:
        asyncapi = (root / "specs" / "asyncapi.yaml").read_text(encoding="utf-8")
    committed = committed_docs(root, asyncapi, tool_dir)
    if committed is not None:
        return committed
    node = ensure_node_tool(tool_dir)
    script = tool_dir / "render.mjs"
    with (
        tempfile.TemporaryDirectory(prefix="watchparty-asyncapi-docs-") as out_name,
        script.open("rb") as lock,
    ):
        # One render at a time: the generator transpiles the template into node_modules.
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(
            [node, str(script), out_name],
            cwd=tool_dir,
            input=asyncapi,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=RENDER_TIMEOUT_SECS,
            check=False,
        )
        if result.returncode != 0:
            raise NodeToolError(f"@asyncapi/html-template failed:\n{result.stderr}")
        files = _read(Path(out_name))
    digest = _digest(asyncapi, tool_dir)
    return {f"{DOCS_DIR}/{rel}": _stamp(rel, digest) + text for rel, text in files.items()}
