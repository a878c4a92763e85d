"""Frames queued for sockets, written with one transport write per socket.

A socket given frames marks itself (`flush_soon`); the marked sockets are written in one loop,
as `websockets.broadcast` writes: when a hub publish is done (`flush_now`, so a fan-out leaves
at once, before the publisher goes on) or else at the end of the event loop's turn (frames
answering one client, events arriving from Redis). A fan-out to 1,000 sockets or a burst of
chat events is then one write per socket and no task switch (waking each socket's writer task
was most of a fan-out's time; docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from prometheus_client import Counter

__all__ = ["Flushable", "flush_now", "flush_soon"]


class Flushable(Protocol):
    @property
    def sent_counter(self) -> Counter | None:
        """The metric counting this socket's outgoing frames."""

    def flush(self) -> int:
        """Write what was queued; how many frames were written (counted by the caller)."""


# Per event loop (tests run several): the sockets marked in its current turn.
_MARKED: dict[asyncio.AbstractEventLoop, list[Flushable]] = {}


def flush_soon(socket: Flushable) -> None:
    """Have `socket.flush()` called once, by `flush_now` or at the end of this turn."""
    loop = asyncio.get_running_loop()
    marked = _MARKED.get(loop)
    if marked is None:
        marked = _MARKED[loop] = []
        loop.call_soon(_flush, loop)
    marked.append(socket)


def flush_now() -> None:
    """Write every socket marked in this turn so far."""
    _flush(asyncio.get_running_loop())


def _flush(loop: asyncio.AbstractEventLoop) -> None:
    # Frames written are counted once per channel, not once per socket (a fan-out's metric
    # updates were 5% of its time).
    sent: dict[Counter, int] = {}
    for socket in _MARKED.pop(loop, ()):
        if (written := socket.flush()) and (counter := socket.sent_counter) is not None:
            sent[counter] = sent.get(counter, 0) + written
    for counter, count in sent.items():
        counter.inc(count)
