"""Per-scope rate limits on top of `limits` (DESIGN §3 "Throttling").

The catalog names a scope per operation (`generated.operations.THROTTLES`: scope -> "10/minute");
the resolver calls `runtime().throttler.hit(scope, key)` before the handler, with the key
`user:<sub>` or `ip:<address>`. Counters live in process memory, or in Redis when
`WATCHPARTY_REDIS_URL` is set so that every server process shares them.

Strategy: the moving window. It counts the hits of exactly the last window, so "10/minute"
never lets 20 login attempts through across a window boundary the way a fixed window does,
and `Retry-After` is exact: the time until the oldest counted hit leaves the window. It keeps
one timestamp per counted hit; our rates are at most 60 per window, so that is a short list
per key (a Redis list trimmed to the limit by `limits`' Lua script).

Redis down fails open: requests are let through uncounted (logged once per outage), since
refusing every login and chat message for it would turn a cache outage into a full one.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

from generated.operations import THROTTLES
from watchparty.errors import Throttled
from watchparty.metrics import THROTTLED

if TYPE_CHECKING:
    from watchparty.settings import Settings

__all__ = ["DEFAULT_KEY_PREFIX", "Throttler"]

DEFAULT_KEY_PREFIX = "watchparty:throttle"
logger = logging.getLogger(__name__)


class Throttler:
    """
    Checks and counts hits per `(scope, key)`.

    Args:
        rates: scope -> rate in `limits` syntax ("10/minute").
        redis_url: `redis://...` (or `async+redis://...`) for shared counters; None keeps
            them in this process.
        key_prefix: prefix of every counter key (tests use one per test).
        enabled: False makes `hit` a no-op (WATCHPARTY_THROTTLE_ENABLED=false).
    """

    def __init__(
        self,
        *,
        rates: Mapping[str, str],
        redis_url: str | None = None,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        enabled: bool = True,
    ) -> None:
        self.enabled = enabled
        self._items: dict[str, RateLimitItem] = {s: parse(rate) for s, rate in rates.items()}
        self._pool: ConnectionPool | None = None
        storage: Storage
        if redis_url is None:
            # Per instance: two processes (or two Throttlers) never share memory counters.
            storage = MemoryStorage()
        else:
            url = redis_url.removeprefix("async+")
            # Our own pool (redis-py's client, not coredis): `close()` can release it, which
            # `limits`' storage offers no call for.
            self._pool = ConnectionPool.from_url(url)
            storage = RedisStorage(
                f"async+{url}",
                implementation="redispy",
                key_prefix=key_prefix,
                connection_pool=self._pool,  # type: ignore[arg-type]
            )
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._storage_down = False

    @classmethod
    def from_settings(
        cls, settings: Settings, *, key_prefix: str = DEFAULT_KEY_PREFIX
    ) -> Throttler:
        """The throttler for `settings`: catalog rates, Redis when `redis_url` is set."""
        return cls(
            rates=THROTTLES,
            redis_url=settings.redis_url,
            key_prefix=key_prefix,
            enabled=settings.throttle_enabled,
        )

    async def hit(self, scope: str, key: str) -> None:
        """
        Count one request of `key` against `scope`.

        Raises:
            Throttled: the scope's limit is used up; `wait` is the seconds until a slot frees.
            KeyError: `scope` is not a known throttle scope (a catalog/handler mismatch).
        """
        if not self.enabled:
            return
        item = self._items[scope]
        try:
            allowed = await self._limiter.hit(item, scope, key)
        except (RedisError, OSError) as exc:
            if not self._storage_down:
                logger.error("throttle: Redis unreachable, requests not counted: %s", exc)
                self._storage_down = True
            return
        if self._storage_down:
            logger.warning("throttle: Redis reachable again, requests counted")
            self._storage_down = False
        if allowed:
            return
        THROTTLED.labels(scope).inc()
        stats = await self._limiter.get_window_stats(item, scope, key)
        raise Throttled(math.ceil(stats.reset_time - time.time()))

    async def reset(self) -> None:
        """Forget every counter under this throttler's key prefix (tests)."""
        await self._storage.reset()

    async def close(self) -> None:
        """Release the Redis connections, or stop the memory storage's expiry task."""
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None
        if isinstance(self._storage, MemoryStorage) and self._storage.timer is not None:
            # Left pending, asyncio would log "Task was destroyed" when the loop closes.
            self._storage.timer.cancel()
