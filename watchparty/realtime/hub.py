"""The per-process hub: realtime frames fanned out by topic, across processes through Redis.

DESIGN §4 "Fan-out". `publish(topic, frame)` stamps the server time (`ts`), serializes the
frame once and hands the same text to every local subscriber of `topic` without awaiting
anything: the store-then-publish hook (`watchparty.realtime.publish`) calls it from
SQLAlchemy's after-commit event. With Redis, the text also goes out on the channel
`<prefix>:<topic>` (through a queue drained by one task, so a process's events keep their
order), and what other processes publish comes back in on one pub/sub connection that
subscribes to a topic while this process has a subscriber for it. Every Redis message starts
with the publishing hub's id, so a hub never delivers its own events twice. `rooms` holds
the room state shared the same way (`watchparty.realtime.rooms`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from watchparty.realtime.rooms import RoomStore

__all__ = ["Event", "Hub", "Subscriber", "now_ms", "spawn"]

logger = logging.getLogger(__name__)

_HUB_ID_LEN = 32  # uuid4().hex
# Events a batch of Redis PUBLISH commands carries at most (one round trip).
_PUBLISH_BATCH = 256


# Timers and countdowns outlive the frame that started them; keep them referenced.
_background: set[asyncio.Task[None]] = set()


def spawn(coro: Coroutine[Any, Any, None]) -> None:
    """Run `coro` in the background (it inherits the runtime of the current context)."""
    task = asyncio.create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


def now_ms() -> int:
    """Server time in ms since the epoch, as frames carry it (`ts`)."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Event:
    """One published frame: the dict (with `ts`) for filters, the JSON text for sockets."""

    topic: str
    frame: dict[str, Any]
    text: str


class Subscriber(Protocol):
    def deliver(self, event: Event) -> None:
        """Take `event` without blocking (queue it for the socket)."""


class Hub:
    """
    Topic -> local subscribers, bridged to other processes by Redis pub/sub when configured.

    Args:
        redis_url: None keeps every event in this process.
        prefix: prefix of the Redis channels (tests use one per test).
    """

    def __init__(self, *, redis_url: str | None = None, prefix: str = "watchparty:rt") -> None:
        self.id = uuid.uuid4().hex
        self.prefix = prefix
        self.redis: Redis | None = Redis.from_url(redis_url) if redis_url else None
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._pubsub: PubSub | None = None
        self._outbox: asyncio.Queue[tuple[str, bytes]] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        # Presence and other shared room state live beside the events (same Redis, prefix).
        self.rooms = RoomStore(redis=self.redis, prefix=prefix, hub_id=self.id)

    async def start(self) -> None:
        """Connect to Redis (when configured) and start relaying."""
        await self.rooms.start()
        if self.redis is None:
            return
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        # A channel of our own keeps the subscription loop alive while no topic is watched.
        await self._pubsub.subscribe(f"{self.prefix}:hub:{self.id}")
        self._outbox = asyncio.Queue()
        self._tasks = [
            asyncio.create_task(self._listen(self._pubsub)),
            asyncio.create_task(self._drain(self.redis, self._outbox)),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.rooms.close()
        if self._pubsub is not None:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]
            self._pubsub = None
        if self.redis is not None:
            await self.redis.aclose()

    # -- subscribers -------------------------------------------------------------------------

    async def subscribe(self, topic: str, subscriber: Subscriber) -> None:
        """Deliver the events of `topic` to `subscriber` from now on (from every process)."""
        subscribers = self._subscribers.get(topic)
        if subscribers is None:
            subscribers = self._subscribers[topic] = set()
            if self._pubsub is not None:
                await self._pubsub.subscribe(self._channel(topic))
        subscribers.add(subscriber)

    async def unsubscribe(self, topic: str, subscriber: Subscriber) -> None:
        subscribers = self._subscribers.get(topic)
        if subscribers is None:
            return
        subscribers.discard(subscriber)
        if not subscribers:
            del self._subscribers[topic]
            if self._pubsub is not None:
                with contextlib.suppress(ConnectionError, OSError):
                    await self._pubsub.unsubscribe(self._channel(topic))

    def subscriber_count(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))

    # -- publishing --------------------------------------------------------------------------

    def publish(self, topic: str, frame: dict[str, Any]) -> None:
        """Send `frame` (the envelope without `ts`) to every subscriber of `topic`; never blocks."""
        stamped = {**frame, "ts": now_ms()}
        text = orjson.dumps(stamped).decode()
        self._fan_out(Event(topic, stamped, text))
        if self._outbox is not None:
            self._outbox.put_nowait((self._channel(topic), self.id.encode() + text.encode()))

    def _fan_out(self, event: Event) -> None:
        for subscriber in tuple(self._subscribers.get(event.topic, ())):
            try:
                subscriber.deliver(event)
            except Exception:  # one broken socket must not starve the others
                logger.exception("realtime subscriber failed on %s", event.topic)

    def _channel(self, topic: str) -> str:
        return f"{self.prefix}:{topic}"

    async def _drain(self, redis: Redis, outbox: asyncio.Queue[tuple[str, bytes]]) -> None:
        while True:
            batch = [await outbox.get()]
            while len(batch) < _PUBLISH_BATCH and not outbox.empty():
                batch.append(outbox.get_nowait())
            try:
                async with redis.pipeline(transaction=False) as pipe:
                    for channel, data in batch:
                        pipe.publish(channel, data)
                    await pipe.execute()
            except (ConnectionError, OSError, TimeoutError) as exc:
                # Local sockets already have these events; other processes miss them.
                logger.error("realtime: %d events not relayed to Redis: %s", len(batch), exc)

    async def _listen(self, pubsub: PubSub) -> None:
        skip = len(self.prefix) + 1
        while True:
            try:
                message = await pubsub.get_message(timeout=None)
            except (ConnectionError, OSError) as exc:
                logger.error("realtime: Redis subscription failed, retrying: %s", exc)
                await asyncio.sleep(1)
                continue
            if message is None or message.get("type") != "message":
                continue
            data: bytes = message["data"]
            if data[:_HUB_ID_LEN] == self.id.encode():
                continue  # our own event, delivered locally when published
            channel = message["channel"]
            topic = (channel.decode() if isinstance(channel, bytes) else channel)[skip:]
            try:
                text = data[_HUB_ID_LEN:].decode()
                self._fan_out(Event(topic, orjson.loads(text), text))
            except (UnicodeDecodeError, orjson.JSONDecodeError):
                # Not from a hub of ours: dropping it must not end the subscription.
                logger.error("realtime: unreadable message on %s dropped", channel)
