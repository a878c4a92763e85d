"""The baseline of bench/rest.py: a bare Starlette endpoint returning our `getMe` JSON.

No auth, no validation, no database: only what every ASGI server pays for a JSON response.
The body is read once from the file named by `BENCH_ME_JSON` (written by bench/rest.py from
a real `GET /api/auth/me/` answer of our server) and serialized per request like ours.
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

ME: dict[str, Any] = json.loads(Path(os.environ["BENCH_ME_JSON"]).read_text(encoding="utf-8"))


async def me(request: Request) -> JSONResponse:
    return JSONResponse(ME)


app = Starlette(routes=[Route("/api/auth/me/", me)])
