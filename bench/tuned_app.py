"""Our full app with one knob turned, for bench/rest.py's experiment variants.

This only measures what a proposed change would buy; it changes nothing in the shipped code.
Knobs, from the environment (unset = as shipped):

- `BENCH_POOL_SIZE`: the SQLAlchemy pool size (`watchparty.db` leaves SQLAlchemy's 5 + 10).
- `BENCH_SWITCH_INTERVAL_SECS`: `sys.setswitchinterval` (CPython's default is 0.005).
- `BENCH_NO_PRE_PING=1`: `pool_pre_ping=False` (PostgreSQL only).
- `BENCH_STATIC_ME=<file>`: `getMe` answers that file's JSON without touching the database
  (connexion's routing, JWT security and validation still run).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from watchparty import db
from watchparty.app import create_app as create_shipped_app

__all__ = ["create_app"]


def create_app() -> Starlette:
    if interval := os.environ.get("BENCH_SWITCH_INTERVAL_SECS"):
        sys.setswitchinterval(float(interval))
    pool_size = os.environ.get("BENCH_POOL_SIZE")
    no_pre_ping = os.environ.get("BENCH_NO_PRE_PING") == "1"
    if pool_size or no_pre_ping:
        shipped = db._engine_kwargs  # private on purpose: exactly one knob differs

        def engine_kwargs(settings: Any) -> dict[str, Any]:
            kwargs = dict(shipped(settings))
            if pool_size:
                kwargs["pool_size"] = int(pool_size)
            if no_pre_ping:
                kwargs["pool_pre_ping"] = False
            return kwargs

        db._engine_kwargs = engine_kwargs
    if static := os.environ.get("BENCH_STATIC_ME"):
        me = json.loads(Path(static).read_text(encoding="utf-8"))

        async def get_me(**_: Any) -> tuple[dict[str, Any], int]:
            return me, 200

        return create_shipped_app(overrides={"getMe": get_me})
    return create_shipped_app()
