"""The limit row of bench/compare.py: bare Starlette answering our JSON for each operation.

bench/bare_app.py's idea (no auth, no validation, no database: only what any ASGI app pays
for a JSON response) on the three paths compare.py loads. The bodies are our server's own
answers, read once from the JSON file named by BENCH_OPS_JSON ({"detail", "list", "send"}).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

__all__ = ["app"]

BODIES: dict[str, Any] = json.loads(Path(os.environ["BENCH_OPS_JSON"]).read_text(encoding="utf-8"))


async def detail(request: Request) -> JSONResponse:
    return JSONResponse(BODIES["detail"])


async def parties(request: Request) -> JSONResponse:
    return JSONResponse(BODIES["list"])


async def send(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse(BODIES["send"], status_code=201)


app = Starlette(
    routes=[
        Route("/api/parties/", parties),
        Route("/api/parties/{party_id}/", detail),
        Route("/api/chat/{party_id}/messages/send/", send, methods=["POST"]),
    ]
)
