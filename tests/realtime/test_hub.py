"""The hub on its own: local fan-out, Redis between hubs, room state of dead processes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from tests.utils.services import require_service
from watchparty.realtime.hub import Event, Hub

REDIS_URL = "redis://127.0.0.1:6379/0"


class Inbox:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def deliver(self, event: Event) -> None:
        self.events.append(event)

    async def wait_for(self, count: int) -> None:
        for _ in range(100):
            if len(self.events) >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{len(self.events)} of {count} events")


@pytest.fixture
async def redis_hubs() -> AsyncIterator[tuple[Hub, Hub]]:
    require_service("redis")
    prefix = f"wp-test-{uuid.uuid4().hex[:8]}"
    hubs = (Hub(redis_url=REDIS_URL, prefix=prefix), Hub(redis_url=REDIS_URL, prefix=prefix))
    for hub in hubs:
        await hub.start()
    try:
        yield hubs
    finally:
        for hub in hubs:
            await hub.rooms.clear("r")
            await hub.close()


async def test_local_fan_out_by_topic() -> None:
    hub = Hub()
    await hub.start()
    a, b = Inbox(), Inbox()
    await hub.subscribe("party:1", a)
    await hub.subscribe("party:2", b)
    hub.publish("party:1", {"type": "reaction", "payload": {}})
    assert [e.frame["type"] for e in a.events] == ["reaction"] and b.events == []
    assert a.events[0].frame["ts"] > 0 and '"ts":' in a.events[0].text
    await hub.unsubscribe("party:1", a)
    hub.publish("party:1", {"type": "reaction", "payload": {}})
    assert len(a.events) == 1
    await hub.close()


async def test_events_cross_hubs_once_and_in_order(redis_hubs: tuple[Hub, Hub]) -> None:
    one, two = redis_hubs
    here, there = Inbox(), Inbox()
    await one.subscribe("party:x", here)
    await two.subscribe("party:x", there)
    await asyncio.sleep(0.1)  # the subscription reaches Redis
    for n in range(50):
        one.publish("party:x", {"type": "n", "payload": {"n": n}})
    await there.wait_for(50)
    await asyncio.sleep(0.1)
    assert [e.frame["payload"]["n"] for e in there.events] == list(range(50))
    assert len(here.events) == 50  # delivered locally, not again through Redis


async def test_room_entries_of_a_dead_process_stop_counting(redis_hubs: tuple[Hub, Hub]) -> None:
    one, two = redis_hubs
    await one.rooms.put("r", "socket-1", {"hub": one.id})
    await two.rooms.put("r", "socket-2", {"hub": two.id})
    await one.rooms.put("r", "socket-3", {"hub": uuid.uuid4().hex})  # a crashed process
    live = await one.rooms.live(await one.rooms.all("r"))
    assert sorted(live) == ["socket-1", "socket-2"]
