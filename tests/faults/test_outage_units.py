"""Regression tests of the outage fixes, in process (seconds, not a server start each).

- `database_unavailable` tells an outage (503) from a bug (500), on a real dead PostgreSQL;
- two hubs over a private Redis that is killed and restarted: each logs the outage once,
  relays again without a restart and closes its sockets 1012 so clients resync; a hub whose
  Redis is down still closes cleanly;
- the throttle lets requests through uncounted while its Redis is down, and counts again after;
- a job delivery whose channel died with the broker settles quietly (the broker redelivers it);
- the room store keeps refreshing its "alive" mark across a Redis restart (it used to stop
  for good on redis-py's ConnectionError, which is not the builtin one), and keeps the room
  state in memory while Redis is down, removing from Redis once it is back what was removed
  meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from aio_pika.exceptions import ChannelInvalidStateError
from asyncapi_python.contrib.wire.amqp.message import AmqpIncomingMessage
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import create_async_engine

from tests.utils.private_services import PrivatePostgres, PrivateRedis
from watchparty.bus.jobs_wire import _PrefetchConsumer
from watchparty.db import database_unavailable
from watchparty.errors import Throttled
from watchparty.realtime import rooms
from watchparty.realtime.hub import CLOSE_SERVICE_RESTART, Event, Hub
from watchparty.throttle import Throttler

WAIT_SECS = 10.0


class Socket:
    """A hub subscriber that records what a Connection would send or do."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.closed: int | None = None

    def deliver(self, event: Event) -> None:
        self.events.append(event)

    def close(self, code: int, reason: str) -> None:
        self.closed = code


async def _until(check: Callable[[], bool | Awaitable[bool]], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT_SECS
    while True:
        done = check()
        if done if isinstance(done, bool) else await done:
            return
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


async def test_database_unavailable_tells_outages_from_bugs() -> None:
    pg = PrivatePostgres()
    pg.start()
    engine = create_async_engine(pg.url())
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
            with pytest.raises(sa.exc.ProgrammingError) as bug:
                await conn.execute(sa.text("SELECT * FROM no_such_table"))
            assert not database_unavailable(bug.value)
            await conn.rollback()
            pg.stop()
            with pytest.raises(sa.exc.DBAPIError) as cut:  # the connection died under it
                await conn.execute(sa.text("SELECT 1"))
        assert database_unavailable(cut.value)
        with pytest.raises(OSError) as refused:  # a new connection is refused
            async with engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        assert database_unavailable(refused.value)
        assert not database_unavailable(ValueError("a bug"))
    finally:
        await engine.dispose()
        pg.close()


@pytest.fixture
async def redis(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.close()


async def test_hubs_recover_from_a_redis_restart(
    redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = f"wp-faults-{uuid.uuid4().hex[:8]}"
    a, b = Hub(redis_url=redis.url, prefix=prefix), Hub(redis_url=redis.url, prefix=prefix)
    await a.start()
    await b.start()
    try:
        on_b = Socket()
        await b.subscribe("party:1", on_b)
        a.publish("party:1", {"type": "reaction", "payload": {}})
        await _until(lambda: len(on_b.events) == 1, "relayed before the outage")

        caplog.set_level(logging.WARNING, logger="watchparty.realtime.hub")
        redis.stop()
        for n in range(5):  # each would have been one error line (and killed the drain task)
            a.publish("party:1", {"type": "reaction", "payload": {"n": n}})
        await asyncio.sleep(1)
        redis.start()
        await _until(lambda: on_b.closed == CLOSE_SERVICE_RESTART, "B never asked to resync")

        again = Socket()  # the client reconnected
        await b.subscribe("party:1", again)
        await _until(lambda: _relayed(a, again), "A's events never reached B again")
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 3, errors  # A's relay, A's and B's subscriptions: once each
        assert all("Redis" in line for line in errors)

        redis.stop()  # shutting down while Redis is down is quiet and quick
        await asyncio.wait_for(a.close(), WAIT_SECS)
        await asyncio.wait_for(b.close(), WAIT_SECS)
    finally:
        redis.start()
        await a.close()
        await b.close()


def _relayed(source: Hub, to: Socket) -> bool:
    # Redis subscriptions come back asynchronously: publish until one event crosses.
    source.publish("party:1", {"type": "reaction", "payload": {}})
    return bool(to.events)


async def test_room_store_stays_alive_across_a_redis_restart(
    redis: PrivateRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rooms, "ALIVE_REFRESH_SECS", 0.1)
    hub = Hub(redis_url=redis.url, prefix=f"wp-faults-{uuid.uuid4().hex[:8]}")
    await hub.start()
    try:
        assert hub.redis is not None
        alive_key = f"{hub.prefix}:alive:{hub.id}"
        redis.stop()
        await asyncio.sleep(0.5)  # refreshes fail meanwhile
        redis.start()  # empty: the mark is gone until the next refresh
        await _until(lambda: _exists(hub, alive_key), "the hub never marked itself alive again")
    finally:
        await hub.close()


async def test_room_state_is_local_during_an_outage_and_its_removals_reach_redis_after(
    tmp_path: Path,
) -> None:
    redis = PrivateRedis(tmp_path, persistent=True)  # the state outlives the restart
    redis.start()
    hub = Hub(redis_url=redis.url, prefix=f"wp-faults-{uuid.uuid4().hex[:8]}")
    await hub.start()
    store = hub.rooms
    try:
        await store.put("presence", "left-meanwhile", {"hub": hub.id})
        await store.put("ready", "check", {"status": "open"})
        redis.stop()
        await _until(lambda: store.local_only, "the hub never noticed the outage")
        await store.put("presence", "joined-meanwhile", {"hub": hub.id})
        assert list(await store.all("presence")) == ["joined-meanwhile"]  # this process's own
        assert await store.remove("presence", "left-meanwhile") is False  # only in Redis
        await store.clear("ready")
        redis.start()
        await _until(lambda: not store.local_only, "the store never went back to Redis")
        # The removals reached Redis; what only this process held is gone with its sockets.
        assert await store.all("presence") == {}
        assert await store.all("ready") == {}
    finally:
        await hub.close()
        redis.close()


async def _exists(hub: Hub, key: str) -> bool:
    assert hub.redis is not None
    try:
        return bool(await hub.redis.exists(key))
    except RedisError:
        return False


async def test_throttle_fails_open_while_redis_is_down(
    redis: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    throttler = Throttler(rates={"chat_send": "1/minute"}, redis_url=redis.url, key_prefix="wp-f")
    try:
        await throttler.hit("chat_send", "user:1")
        with pytest.raises(Throttled):
            await throttler.hit("chat_send", "user:1")
        redis.stop()
        for _ in range(3):  # let through uncounted, and logged once
            await throttler.hit("chat_send", "user:1")
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1 and "Redis unreachable" in errors[0], errors
        redis.start()  # empty again: counting resumes
        await _until(lambda: _counts(throttler), "the throttle never counted again")
    finally:
        await throttler.close()


async def _counts(throttler: Throttler) -> bool:
    try:
        await throttler.hit("chat_send", "user:2")
    except Throttled:
        return True
    return False


class _DeliveryOfAClosedChannel:
    """An aio-pika delivery whose channel died with the broker."""

    body, headers, correlation_id, reply_to = b"{}", None, None, None

    async def ack(self) -> None:
        raise ChannelInvalidStateError("channel closed")

    async def nack(self, requeue: bool = True) -> None:
        raise ChannelInvalidStateError("channel closed")

    async def reject(self, requeue: bool = False) -> None:
        raise ChannelInvalidStateError("channel closed")


async def test_settling_a_delivery_of_a_lost_channel_keeps_the_worker_consuming() -> None:
    # asyncapi-python's consume loop ends for good on an error from ack/reject: a broker
    # stopped while a worker finished a job left the worker consuming nothing.
    async def deliveries() -> AsyncGenerator[AmqpIncomingMessage, None]:
        yield AmqpIncomingMessage(_payload=b"{}", _amqp_message=_DeliveryOfAClosedChannel())

    consumer = _PrefetchConsumer.__new__(_PrefetchConsumer)  # only its recv() wrapping
    async for message in consumer._tolerant(deliveries()):
        assert message.payload == b"{}"
        with pytest.raises(ChannelInvalidStateError):  # what the stock message does
            await AmqpIncomingMessage.ack(message)
        await message.ack()
        await message.reject()
        await message.nack()


async def test_a_busy_database_is_unavailable_not_a_bug(tmp_path: Path) -> None:
    """SQLite's write lock held past the busy timeout, and an exhausted pool: 503, not 500."""
    path = tmp_path / "busy.sqlite3"
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("CREATE TABLE t (x INTEGER)")
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{path}",
        connect_args={"timeout": 0.1},
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.1,
    )
    try:
        blocker.execute("BEGIN IMMEDIATE")
        async with engine.connect() as conn:
            with pytest.raises(sa.exc.OperationalError) as locked:
                await conn.execute(sa.text("INSERT INTO t VALUES (1)"))
            assert database_unavailable(locked.value)
            with pytest.raises(sa.exc.TimeoutError) as exhausted:  # the pool's one connection
                async with engine.connect():
                    pass
            assert database_unavailable(exhausted.value)
            await conn.rollback()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        await engine.dispose()
