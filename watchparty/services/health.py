"""Readiness checks: is each dependency this process was configured with reachable?

Each check is bounded by a timeout, so a probe never hangs on a dead dependency; the
database is always checked, Redis and the AMQP broker only when their URL is set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import sqlalchemy as sa
from redis.asyncio import Redis

from watchparty.runtime import Runtime

__all__ = ["CHECK_TIMEOUT_SECS", "readiness"]

CHECK_TIMEOUT_SECS = 2.0
AMQP_DEFAULT_PORT = 5672


async def _database(rt: Runtime) -> None:
    async with rt.db.engine.connect() as conn:
        await conn.execute(sa.text("SELECT 1"))


async def _redis(url: str) -> None:
    client = Redis.from_url(url.removeprefix("async+"))
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _amqp(url: str) -> None:
    # Reachability only: a TCP connection to the broker (a full AMQP handshake would open
    # and close a broker connection on every probe).
    parts = urlsplit(url)
    _, writer = await asyncio.open_connection(
        parts.hostname or "localhost", parts.port or AMQP_DEFAULT_PORT
    )
    writer.close()
    await writer.wait_closed()


async def readiness(rt: Runtime) -> dict[str, bool]:
    """Check name -> reachable, for every dependency `rt` is configured with."""
    checks: dict[str, Callable[[], Awaitable[None]]] = {"database": lambda: _database(rt)}
    if rt.settings.redis_url:
        redis_url = rt.settings.redis_url
        checks["redis"] = lambda: _redis(redis_url)
    if rt.settings.amqp_url:
        amqp_url = rt.settings.amqp_url
        checks["amqp"] = lambda: _amqp(amqp_url)

    async def passes(check: Callable[[], Awaitable[None]]) -> bool:
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT_SECS)
        except Exception:  # noqa: BLE001 - any failure means "down"; the probe says which
            return False
        return True

    results = await asyncio.gather(*(passes(check) for check in checks.values()))
    return dict(zip(checks, results, strict=True))
