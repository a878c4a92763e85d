"""When queued frames are written: at the end of a publish, else at the end of the loop's turn."""

from __future__ import annotations

import asyncio
import json

from prometheus_client import CollectorRegistry, Counter

from watchparty.realtime.flush import flush_now, flush_soon
from watchparty.realtime.hub import Event, Hub


class Socket:
    """Queues what it is given and counts its writes, as `Connection` does on the fast path."""

    def __init__(self, counter: Counter) -> None:
        self.sent_counter = counter
        self.pending: list[str] = []
        self.writes: list[list[str]] = []
        self.marked = False

    def deliver(self, event: Event) -> None:
        self.queue(event.text)

    def queue(self, frame: str) -> None:
        self.pending.append(frame)
        if not self.marked:
            self.marked = True
            flush_soon(self)

    def flush(self) -> int:
        self.marked = False
        frames, self.pending = self.pending, []
        if frames:
            self.writes.append(frames)
        return len(frames)


def counter() -> Counter:
    return Counter("frames", "frames out", registry=CollectorRegistry())


async def test_frames_queued_in_a_turn_are_written_once_at_its_end() -> None:
    sent = counter()
    a, b = Socket(sent), Socket(sent)
    a.queue("1")
    a.queue("2")
    b.queue("3")
    assert a.writes == b.writes == []
    await asyncio.sleep(0)
    assert (a.writes, b.writes) == ([["1", "2"]], [["3"]])
    assert sent._value.get() == 3  # counted once for the channel, all frames


async def test_a_publish_writes_before_it_returns_and_the_turn_end_finds_nothing_left() -> None:
    hub = Hub()
    a, b = Socket(counter()), Socket(counter())
    await hub.subscribe("t", a)
    await hub.subscribe("t", b)
    a.queue("answer")  # an answer to this socket's client, queued earlier in the turn
    hub.publish_all([("t", {"type": "x", "payload": 1}), ("t", {"type": "y", "payload": 2})])
    # Written at once, in order, both events in one write per socket.
    assert len(a.writes) == 1 and len(b.writes) == 1
    assert a.writes[0][0] == "answer"
    assert [json.loads(frame)["type"] for frame in a.writes[0][1:]] == ["x", "y"]
    assert len(b.writes[0]) == 2
    await asyncio.sleep(0)
    assert len(a.writes) == len(b.writes) == 1
    b.queue("later")
    flush_now()
    assert b.writes[-1] == ["later"]
