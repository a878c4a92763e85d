"""Rendering helpers: the TypeScript templates of tools/msw/templates and the JSON they embed."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from watchparty.codegen.msw.node import TOOL_DIR

__all__ = ["MSW_MAJORS", "fill_template", "dump_json", "dump_table", "msw_path", "resolve"]

MSW_MAJORS = (2, 3)
# MSW 3 splits its API into subpath modules; MSW 2 exports everything from `msw`.
MSW_IMPORTS = {
    3: {
        "handlers.ts": (
            "import { delay } from 'msw'\n"
            "import { http, HttpResponse, type HttpHandler } from 'msw/http'"
        ),
        "ws.ts": "import { ws, type WebSocketHandler } from 'msw/ws'",
    },
    2: {
        "handlers.ts": "import { delay, http, HttpResponse, type HttpHandler } from 'msw'",
        "ws.ts": "import { ws, type WebSocketHandler } from 'msw'",
    },
}
_SCALAR_LIST = re.compile(r"\[\s+((?:\"[^\"\n]*\",\s+)*\"[^\"\n]*\")\s+\]")


def fill_template(name: str, msw_major: int, parts: Mapping[str, str]) -> str:
    """tools/msw/templates/`name` for MSW `msw_major`, with each `@@PART@@` filled in."""
    text = (TOOL_DIR / "templates" / name).read_text(encoding="utf-8")
    filled = {"MSW_MAJOR": str(msw_major), "MSW_IMPORTS": MSW_IMPORTS[msw_major][name], **parts}
    for part, value in filled.items():
        text = text.replace(f"@@{part}@@", value)
    return text


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def dump_table(value: Any) -> str:
    """JSON with lists of strings kept on one line: a table to read, not a document."""
    return _SCALAR_LIST.sub(lambda m: "[" + re.sub(r'",\s+"', '", "', m[1]) + "]", dump_json(value))


def msw_path(path: str) -> str:
    """`/api/parties/{partyId}/` -> `/api/parties/:partyId/`."""
    return re.sub(r"\{([A-Za-z0-9_]+)\}", r":\1", path)


def resolve(node: Any, document: Mapping[str, Any]) -> Any:
    """Follow local `$ref`s (`#/...`) until a node without one."""
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node
