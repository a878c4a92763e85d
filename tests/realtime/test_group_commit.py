"""`watchparty.services.group_commit`: batching, one answer per caller, and failed batches."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import Database
from watchparty.errors import ValidationFailed
from watchparty.services.group_commit import GroupCommit


async def test_items_queued_together_share_a_transaction_and_fail_alone(db: Database) -> None:
    batches: list[list[str]] = []

    async def store(session: AsyncSession, items: list[str]) -> list[str | Exception]:
        batches.append(items)
        if "crash" in items:  # a database error breaks the whole transaction
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))
        await session.exec(sa.text("SELECT 1"))  # type: ignore[call-overload]
        await session.commit()
        return [ValidationFailed.field("item", "bad") if i == "bad" else i.upper() for i in items]

    group: GroupCommit[str, str] = GroupCommit(store, max_batch=3)
    futures = [group.submit(db.engine, item) for item in ("a", "bad", "b", "c", "crash", "d")]
    results = await asyncio.gather(*futures, return_exceptions=True)
    assert results[:4] == ["A", results[1], "B", "C"] and results[5] == "D"
    assert isinstance(results[1], ValidationFailed)  # only its own caller fails
    assert isinstance(results[4], sa.exc.OperationalError)
    # Queued together: batches of max_batch; the failed one again item by item.
    assert batches == [["a", "bad", "b"], ["c", "crash", "d"], ["c"], ["crash"], ["d"]]

    # A lone item does not wait for company, and the lane is idle again afterwards.
    assert await group.submit(db.engine, "e") == "E"
    assert batches[-1] == ["e"]


async def test_a_caller_that_gave_up_is_skipped(db: Database) -> None:
    stored: list[str] = []

    async def store(session: AsyncSession, items: list[str]) -> list[str | Exception]:
        stored.extend(items)
        return list(items)

    group: GroupCommit[str, str] = GroupCommit(store)
    gone = group.submit(db.engine, "gone")
    kept = group.submit(db.engine, "kept")
    gone.cancel()
    assert await kept == "kept"
    assert stored == ["kept"]
    with pytest.raises(asyncio.CancelledError):
        await gone
