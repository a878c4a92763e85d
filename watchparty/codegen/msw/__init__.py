"""`watchparty gen msw`: MSW handlers, fixtures, TypeScript types and WebSocket mocks.

Design: DESIGN.md §1 (the pipeline's MSW branch) and issue 4 ("MSW"). Everything comes from the
two generated specs, so the frontend's mocks cannot drift from the server:

- `fixtures/<operationId>.json`: every documented response with its named examples, plus a
  seeded `dynamic` example (mocks.data) where a list example is thin (rest.py);
- `handlers.ts`: one MSW `http.*` handler per operation answering from its fixture (rest.py;
  the TypeScript runtime is tools/msw/templates/handlers.ts);
- `ws.ts`: one `ws.link` handler per AsyncAPI channel: greeting and documented replies (ws.py);
- `types.ts`: openapi-typescript's output, run by node from tools/msw (pinned by its lock
  file) only when its inputs changed, so `watchparty gen` stays fast (node.py).

MSW 3 is the default; `msw_major=2` changes only the MSW imports (templates.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import typer
import yaml

from mocks.data import Generator
from watchparty import PROJECT_ROOT
from watchparty.codegen.msw.node import (
    TOOL_DIR,
    NodeToolError,
    ensure_node_tool,
    openapi_typescript,
)
from watchparty.codegen.msw.rest import fixture_json, handlers_ts, operations
from watchparty.codegen.msw.templates import MSW_MAJORS
from watchparty.codegen.msw.ws import ws_ts
from watchparty.codegen.output import sync_files

__all__ = [
    "MSW_MAJORS",
    "OUT_DIR",
    "TOOL_DIR",
    "NodeToolError",
    "ensure_node_tool",
    "render_msw",
    "stale_files",
    "msw_command",
]

OUT_DIR = "mocks/msw"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml reads the specs ~10x faster


def render_msw(
    root: Path, *, msw_major: int = 3, openapi: str | None = None, asyncapi: str | None = None
) -> dict[str, str]:
    """Every file of mocks/msw, relative path -> text.

    Args:
        root: the checkout whose specs/ are read when `openapi`/`asyncapi` are not given.
        msw_major: 3 (default) or 2.
        openapi, asyncapi: the specs' text, when the caller rendered them in memory.

    Raises:
        NodeToolError: node or npm is missing, or openapi-typescript failed.
    """
    if msw_major not in MSW_MAJORS:
        raise ValueError(f"MSW {msw_major} is not supported, only {MSW_MAJORS}")
    if openapi is None:
        openapi = (root / "specs" / "openapi.yaml").read_text(encoding="utf-8")
    if asyncapi is None:
        asyncapi = (root / "specs" / "asyncapi.yaml").read_text(encoding="utf-8")
    document = yaml.load(openapi, Loader=_LOADER)
    ordered = operations(document)
    generator = Generator(document["components"])
    files = {
        f"{OUT_DIR}/fixtures/{op['operationId']}.json": fixture_json(
            (method, path, op), document, generator
        )
        for method, path, op in ordered
    }
    files[f"{OUT_DIR}/handlers.ts"] = handlers_ts(ordered, msw_major)
    files[f"{OUT_DIR}/ws.ts"] = ws_ts(yaml.load(asyncapi, Loader=_LOADER), msw_major)
    types_path = root / OUT_DIR / "types.ts"
    previous = types_path.read_text(encoding="utf-8") if types_path.is_file() else None
    files[f"{OUT_DIR}/types.ts"] = openapi_typescript(openapi, previous)
    return dict(sorted(files.items()))


def stale_files(out: Path, rendered: Mapping[str, str]) -> list[Path]:
    """Fixtures under `out` that `rendered` no longer has (a removed operation's)."""
    keep = {out / rel.removeprefix(f"{OUT_DIR}/") for rel in rendered}
    return sorted(path for path in (out / "fixtures").glob("*.json") if path not in keep)


def msw_command(*, out: Path | None, msw: int, check: bool, root: Path = PROJECT_ROOT) -> None:
    """`watchparty gen msw`: write (or `check`) the MSW files for `msw` 2 or 3 into `out`."""
    target = out if out is not None else root / OUT_DIR
    try:
        rendered = render_msw(root, msw_major=msw)
    except NodeToolError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    files = {target / rel.removeprefix(f"{OUT_DIR}/"): text for rel, text in rendered.items()}
    sync_files(files, stale_files(target, rendered), check=check, what=f"MSW files in {target}")
