"""Health probes (`health` tag): liveness touches nothing, readiness checks dependencies."""

from __future__ import annotations

from watchparty.deps import Answer
from watchparty.errors import ServiceUnavailable
from watchparty.runtime import runtime
from watchparty.services.health import readiness

__all__ = ["get_liveness", "get_readiness"]


async def get_liveness() -> Answer:
    return {"status": "ok", "checks": {}}, 200


async def get_readiness() -> Answer:
    results = await readiness(runtime())
    down = [name for name, ok in results.items() if not ok]
    if down:
        raise ServiceUnavailable(f"Not ready: {', '.join(down)} unreachable.")
    return {"status": "ok", "checks": {name: "ok" for name in results}}, 200
