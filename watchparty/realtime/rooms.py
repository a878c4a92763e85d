"""Shared, short-lived room state: presence, ready checks, buffering, share and voice peers.

Small hashes of JSON strings, in process memory, or in Redis when the hub has it, so every
process serving a party sees the same room (DESIGN §4, issue 8 "presence lives in Redis").
Entries that belong to one socket carry its hub's id; each hub marks itself alive in Redis
with a short TTL, so the sockets of a process that died stop counting within that TTL
(`live`). Nothing here is durable: what must survive a restart (playback, polls) is stored in
the database.

While the hub's Redis relay is down (from the start too; `local_only`, set by the hub), the
room state is this process's own, in memory, so its sockets still join and play; what is
removed meanwhile is removed from Redis too once it is back (`recovered`: no socket that left
during the outage stays present), and the memory is dropped, since the hub then asks its
sockets to join again. The "alive" mark is retried at every refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["RoomStore"]

ALIVE_TTL_SECS = 30
ALIVE_REFRESH_SECS = 10


class RoomStore:
    """
    Hash-of-JSON state shared by the hubs of one deployment.

    Args:
        redis: the hub's client, or None for process memory.
        prefix: key prefix (the hub's).
        hub_id: this process's hub, stamped on per-socket entries.
    """

    def __init__(self, *, redis: Redis | None, prefix: str, hub_id: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self.hub_id = hub_id
        self._memory: dict[str, dict[str, str]] = {}
        self._alive_task: asyncio.Task[None] | None = None
        # Redis is down: the state is in `_memory`, and the removals (key, field or None for
        # the whole key) wait in `_removed` for `recovered`.
        self.local_only = False
        self._removed: list[tuple[str, str | None]] = []

    @property
    def _remote(self) -> Redis | None:
        return None if self.local_only else self.redis

    async def start(self) -> None:
        if self.redis is not None:
            await self._mark_alive(self.redis)
            self._alive_task = asyncio.create_task(self._keep_alive(self.redis))

    async def close(self) -> None:
        if self._alive_task is not None:
            self._alive_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._alive_task
            self._alive_task = None

    def _key(self, key: str) -> str:
        return f"{self.prefix}:room:{key}"

    async def put(self, key: str, field: str, value: dict[str, Any]) -> None:
        data = orjson.dumps(value).decode()
        if (redis := self._remote) is None:
            self._memory.setdefault(key, {})[field] = data
        else:
            await redis.hset(self._key(key), field, data)

    async def put_new(self, key: str, field: str, value: dict[str, Any]) -> bool:
        """Set `field` unless it exists; True when this call set it (one winner overall)."""
        data = orjson.dumps(value).decode()
        if (redis := self._remote) is None:
            entries = self._memory.setdefault(key, {})
            if field in entries:
                return False
            entries[field] = data
            return True
        return bool(await redis.hsetnx(self._key(key), field, data))

    async def remove(self, key: str, field: str) -> bool:
        """Delete `field`; True when it existed (one winner across processes)."""
        if (redis := self._remote) is None:
            if self.local_only:
                self._removed.append((key, field))
            entries = self._memory.get(key, {})
            found = entries.pop(field, None) is not None
            if not entries:
                self._memory.pop(key, None)
            return found
        return bool(await redis.hdel(self._key(key), field))

    async def get(self, key: str, field: str) -> dict[str, Any] | None:
        data: str | bytes | None
        if (redis := self._remote) is None:
            data = self._memory.get(key, {}).get(field)
        else:
            data = await redis.hget(self._key(key), field)
        return orjson.loads(data) if data is not None else None

    async def all(self, key: str) -> dict[str, dict[str, Any]]:
        if (redis := self._remote) is None:
            raw: dict[Any, Any] = dict(self._memory.get(key, {}))
        else:
            raw = await redis.hgetall(self._key(key))
        return {
            (k.decode() if isinstance(k, bytes) else k): orjson.loads(v) for k, v in raw.items()
        }

    async def clear(self, key: str) -> None:
        if (redis := self._remote) is None:
            if self.local_only:
                self._removed.append((key, None))
            self._memory.pop(key, None)
        else:
            await redis.delete(self._key(key))

    async def live(self, entries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """`entries` (per-socket, with a `hub` key) whose process is still alive."""
        if (redis := self._remote) is None:
            return entries
        hubs = sorted({entry["hub"] for entry in entries.values()} - {self.hub_id})
        if not hubs:
            return entries
        alive = await redis.mget([self._alive_key(hub) for hub in hubs])
        dead = {hub for hub, flag in zip(hubs, alive, strict=True) if flag is None}
        return {k: v for k, v in entries.items() if v["hub"] not in dead}

    async def recovered(self) -> None:
        """Redis is back (the hub subscribed again): what was removed meanwhile goes from Redis
        too, and the state kept in memory is dropped. Raises while Redis is still down."""
        assert self.redis is not None
        while self._removed:  # removals may come in while a batch is sent
            batch = list(self._removed)
            async with self.redis.pipeline(transaction=False) as pipe:
                for key, field in batch:
                    if field is None:
                        pipe.delete(self._key(key))
                    else:
                        pipe.hdel(self._key(key), field)
                await pipe.execute()
            del self._removed[: len(batch)]
        self._memory.clear()
        self.local_only = False

    def _alive_key(self, hub_id: str) -> str:
        return f"{self.prefix}:alive:{hub_id}"

    async def _mark_alive(self, redis: Redis) -> None:
        with contextlib.suppress(RedisError, OSError):  # Redis down: retried at the next refresh
            await redis.set(self._alive_key(self.hub_id), b"1", ex=ALIVE_TTL_SECS)

    async def _keep_alive(self, redis: Redis) -> None:
        while True:
            await asyncio.sleep(ALIVE_REFRESH_SECS)
            await self._mark_alive(redis)
