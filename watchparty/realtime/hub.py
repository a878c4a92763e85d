"""The per-process hub: realtime frames fanned out by topic, across processes through Redis.

DESIGN §4 "Fan-out". `publish(topic, frame)` stamps the server time (`ts`), serializes the
frame once, hands the same text to every local subscriber of `topic` and has the sockets
write it (`watchparty.realtime.flush`), without awaiting anything: the store-then-publish
hook (`watchparty.realtime.publish`) calls `publish_all` from SQLAlchemy's after-commit
event. With Redis, the text also goes out on the channel `<prefix>:<topic>` (through a
queue drained by one task, so a process's events keep their order), and what other
processes publish comes back in on one pub/sub connection that subscribes to a topic while
this process has a subscriber for it. Every Redis message starts with the publishing hub's
id, so a hub never delivers its own events twice.

Redis going away is logged once (and its end once): local subscribers still get local events,
sockets that subscribe meanwhile get them too, the subscription is retried, and once it is
back every local socket is closed 1012 (service restart), since events of other processes
were missed meanwhile: clients reconnect and resync (the stored playback state on join,
`resume` in chat). Redis unreachable at start is the same outage: `start` does not wait for
it. `rooms` holds the room state shared the same way (`watchparty.realtime.rooms`); during
an outage it is this process's own, and it is reconciled before the sockets are closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from watchparty.realtime.flush import flush_now
from watchparty.realtime.rooms import RoomStore
from watchparty.realtime.wire import text_frame

__all__ = ["Event", "Hub", "Subscriber", "now_ms", "spawn"]

logger = logging.getLogger(__name__)

_HUB_ID_LEN = 32  # uuid4().hex
# Events a batch of Redis PUBLISH commands carries at most (one round trip).
_PUBLISH_BATCH = 256
# What a lost Redis raises: redis-py's errors (not builtin ones) or the socket's.
_REDIS_DOWN = (RedisError, OSError)
# Seconds between attempts to get the subscription back while Redis is down.
_RESUBSCRIBE_SECS = 0.5
CLOSE_SERVICE_RESTART = 1012
_STOP_POLL_SECS = 0.1


# Timers and countdowns outlive the frame that started them; keep them referenced.
_background: set[asyncio.Task[None]] = set()


def spawn(coro: Coroutine[Any, Any, None]) -> None:
    """Run `coro` in the background (it inherits the runtime of the current context)."""
    task = asyncio.create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _stop(task: asyncio.Task[None]) -> None:
    """Cancel `task` until it ends: redis-py can turn a cancellation in a read into a
    TimeoutError and retry the read, so one cancel may not end a Redis loop."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=_STOP_POLL_SECS)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def now_ms() -> int:
    """Server time in ms since the epoch, as frames carry it (`ts`)."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Event:
    """One published frame: the dict (with `ts`) and its type for filters, the JSON text for
    sockets, and that text as a WebSocket frame, encoded once for every socket
    (`watchparty.realtime.wire`)."""

    topic: str
    frame: dict[str, Any]
    type: str
    text: str
    wire: bytes

    @classmethod
    def of(cls, topic: str, frame: dict[str, Any], text: str) -> Event:
        return cls(topic, frame, str(frame.get("type")), text, text_frame(text))


class Subscriber(Protocol):
    def deliver(self, event: Event) -> None:
        """Take `event` without blocking (queue it for the socket)."""

    def close(self, code: int, reason: str) -> None:
        """End the socket (after what is queued) with `code`."""


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
        # One retry, on a new connection: after a Redis restart the pooled ones are dead.
        retry = Retry(NoBackoff(), 1)
        self.redis: Redis | None = Redis.from_url(redis_url, retry=retry) if redis_url else None
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._pubsub: PubSub | None = None
        # Our channel and the local topics are subscribed in Redis (`_subscribe_all`).
        self._relaying = False
        self._outbox: asyncio.Queue[tuple[str, bytes]] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        # Background loops started on first use (`keep_running`), until `close`.
        self._loops: dict[str, asyncio.Task[None]] = {}
        # Presence and other shared room state live beside the events (same Redis, prefix).
        self.rooms = RoomStore(redis=self.redis, prefix=prefix, hub_id=self.id)

    async def start(self) -> None:
        """Start relaying through Redis (when configured); it need not be reachable yet."""
        await self.rooms.start()
        if self.redis is None:
            return
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self._outbox = asyncio.Queue()
        self._tasks = [
            asyncio.create_task(self._listen(self._pubsub)),
            asyncio.create_task(self._drain(self.redis, self._outbox)),
        ]

    def keep_running(self, name: str, loop: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `loop()` in the background from now until `close`, once per hub and `name`."""
        if name not in self._loops:
            self._loops[name] = asyncio.create_task(loop())

    async def close(self) -> None:
        for task in [*self._loops.values(), *self._tasks]:
            await _stop(task)
        self._tasks, self._loops = [], {}
        await self.rooms.close()
        if self._pubsub is not None:
            await self._pubsub.aclose()
            self._pubsub = None
        if self.redis is not None:
            await self.redis.aclose()

    # -- subscribers -------------------------------------------------------------------------

    async def subscribe(self, topic: str, subscriber: Subscriber) -> None:
        """Deliver the events of `topic` to `subscriber` from now on (from every process)."""
        subscribers = self._subscribers.get(topic)
        if subscribers is None:
            # Not relaying: `_listen` subscribes the topic with the others once Redis is back.
            if self._pubsub is not None and self._relaying:
                # Raises if Redis just went away; the topic stays unknown so a retry subscribes.
                await self._pubsub.subscribe(self._channel(topic))
            subscribers = self._subscribers.setdefault(topic, set())
        subscribers.add(subscriber)

    async def unsubscribe(self, topic: str, subscriber: Subscriber) -> None:
        subscribers = self._subscribers.get(topic)
        if subscribers is None:
            return
        subscribers.discard(subscriber)
        if not subscribers:
            del self._subscribers[topic]
            if self._pubsub is not None and self._relaying:
                with contextlib.suppress(*_REDIS_DOWN):
                    await self._pubsub.unsubscribe(self._channel(topic))

    def subscriber_count(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))

    # -- publishing --------------------------------------------------------------------------

    def publish(self, topic: str, frame: dict[str, Any]) -> None:
        """Send `frame` (the envelope without `ts`) to every subscriber of `topic`; never blocks."""
        self.publish_all([(topic, frame)])

    def publish_all(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        """`publish` each (topic, frame) in order, with one write per socket for all of them."""
        for topic, frame in events:
            self._publish(topic, frame)
        flush_now()

    def _publish(self, topic: str, frame: dict[str, Any]) -> None:
        stamped = {**frame, "ts": now_ms()}
        text = orjson.dumps(stamped).decode()
        self._fan_out(Event.of(topic, stamped, text))
        if self._outbox is not None:
            self._outbox.put_nowait((self._channel(topic), self.id.encode() + text.encode()))

    def _fan_out(self, event: Event) -> None:
        for subscriber in tuple(self._subscribers.get(event.topic, ())):
            try:
                subscriber.deliver(event)
            except Exception:  # one broken socket must not starve the others
                logger.exception("realtime subscriber failed on %s", event.topic)

    def _ask_to_resync(self) -> None:
        """Close every local socket 1012: they may have missed other processes' events."""
        subscribers = {s for topic in self._subscribers.values() for s in topic}
        logger.warning(
            "realtime: Redis subscription restored, %d sockets asked to reconnect", len(subscribers)
        )
        for subscriber in subscribers:
            subscriber.close(CLOSE_SERVICE_RESTART, "Realtime relay restored; reconnect.")

    def _channel(self, topic: str) -> str:
        return f"{self.prefix}:{topic}"

    async def _drain(self, redis: Redis, outbox: asyncio.Queue[tuple[str, bytes]]) -> None:
        lost = 0  # events not relayed since Redis went away
        while True:
            batch = [await outbox.get()]
            while len(batch) < _PUBLISH_BATCH and not outbox.empty():
                batch.append(outbox.get_nowait())
            try:
                async with redis.pipeline(transaction=False) as pipe:
                    for channel, data in batch:
                        pipe.publish(channel, data)
                    await pipe.execute()
            except _REDIS_DOWN as exc:
                # Local sockets already have these events; other processes miss them.
                if not lost:
                    logger.error("realtime: Redis unreachable, events not relayed: %s", exc)
                lost += len(batch)
                continue
            if lost:
                logger.warning("realtime: Redis relay restored, %d events were not relayed", lost)
                lost = 0

    async def _subscribe_all(self, pubsub: PubSub) -> None:
        """Subscribe our channel and every local topic: at start, and after an outage, during
        which sockets subscribed here only. From then on `subscribe` adds topics itself."""
        topics = set(self._subscribers)
        # A channel of our own keeps the subscription loop alive while no topic is watched.
        await pubsub.subscribe(f"{self.prefix}:hub:{self.id}", *map(self._channel, topics))
        self._relaying = True
        if late := self._subscribers.keys() - topics:  # subscribed while that was awaited
            await pubsub.subscribe(*map(self._channel, late))

    async def _listen(self, pubsub: PubSub) -> None:
        skip = len(self.prefix) + 1
        down = False
        while True:
            try:
                if not self._relaying:
                    # Connects (again): redis-py resubscribes its channels, we add the rest.
                    await self._subscribe_all(pubsub)
                    if down:
                        await self.rooms.recovered()
                        down = False
                        self._ask_to_resync()
                message = await pubsub.get_message(timeout=None)
            except _REDIS_DOWN as exc:
                self._relaying = False
                self.rooms.local_only = True
                if not down:
                    logger.error("realtime: Redis unreachable, subscription retried: %s", exc)
                    down = True
                await asyncio.sleep(_RESUBSCRIBE_SECS)
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
                self._fan_out(Event.of(topic, orjson.loads(text), text))
            except (UnicodeDecodeError, orjson.JSONDecodeError):
                # Not from a hub of ours: dropping it must not end the subscription.
                logger.error("realtime: unreadable message on %s dropped", channel)
