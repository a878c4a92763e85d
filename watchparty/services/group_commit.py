"""Group commit: writes that arrive while another is being stored share the next transaction.

A busy chat sends many small messages; one transaction each (queries, insert, commit) caps a
process at a few hundred per second on SQLite. `GroupCommit.submit` queues an item for the
database of its engine and waits; one drain task per engine stores what is queued in one
transaction (at most `max_batch` items), then whatever queued meanwhile in the next, until
the queue is empty. No timer: a lone item is stored at once, and batches grow only when the
database is the bottleneck. Transactions of one engine run one after the other, so frames
published after their commits leave in the order the items were stored.

Each caller gets its own result or its own error: `store` answers one per item, and a batch
whose transaction fails (the commit, a constraint) is retried item by item, so one bad item
fails only its caller and nothing is reported stored that was not.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["GroupCommit"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Stores items in the session's transaction and commits it; one result or error per item.
Store = Callable[[AsyncSession, list[T]], Awaitable[list[R | Exception]]]


@dataclass(slots=True)
class _Lane(Generic[T, R]):
    """The queue of one engine and the task draining it (None while idle)."""

    queued: list[tuple[T, asyncio.Future[R]]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None


class GroupCommit(Generic[T, R]):
    def __init__(self, store: Store[T, R], *, max_batch: int = 200) -> None:
        self._store = store
        self._max_batch = max_batch
        # Keyed weakly by engine: a disposed test database takes its (empty) lane with it.
        self._lanes: weakref.WeakKeyDictionary[sa.Engine, _Lane[T, R]] = weakref.WeakKeyDictionary()

    def submit(self, engine: AsyncEngine, item: T) -> asyncio.Future[R]:
        """Queue `item`; the future resolves once its transaction committed (or failed)."""
        lane = self._lanes.setdefault(engine.sync_engine, _Lane())
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        lane.queued.append((item, future))
        if lane.task is None:
            lane.task = asyncio.create_task(self._drain(engine, lane))
        return future

    async def _drain(self, engine: AsyncEngine, lane: _Lane[T, R]) -> None:
        try:
            while lane.queued:
                batch = lane.queued[: self._max_batch]
                del lane.queued[: self._max_batch]
                await self._run(engine, batch)
        finally:
            lane.task = None

    async def _run(self, engine: AsyncEngine, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        # A caller that gave up (a cancelled request) was told nothing: skip its item.
        batch = [(item, future) for item, future in batch if not future.done()]
        if not batch:
            return
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                results = await self._store(session, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc)
                return
            logger.warning("group commit of %d items failed, storing them singly", len(batch))
            for one in batch:
                await self._run(engine, [one])
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)


def _settle(future: asyncio.Future[R], result: R | Exception) -> None:
    if future.done():
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)
