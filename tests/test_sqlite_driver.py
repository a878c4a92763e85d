"""The one-trip SQLite cursor (watchparty/sqlite_driver.py): same results, errors and
transactions as SQLAlchemy's aiosqlite cursor, in one trip to aiosqlite's thread a statement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.conftest import make_settings
from watchparty.db import Database
from watchparty.sqlite_driver import OneTripCursor


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(make_settings(tmp_path).prepare())
    async with db.engine.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    try:
        yield db
    finally:
        await db.close()


class _CountingQueue:
    """Stands in front of aiosqlite's job queue and counts what is sent to its thread."""

    def __init__(self, queue: Any) -> None:
        self.queue, self.count = queue, 0

    def put_nowait(self, item: Any) -> None:
        self.count += 1
        self.queue.put_nowait(item)


async def _trips(conn: AsyncConnection, statement: str, params: Any = None) -> tuple[int, Any]:
    driver = (await conn.get_raw_connection()).driver_connection
    counting = _CountingQueue(driver._tx)
    driver._tx = counting
    try:
        result = await conn.execute(sa.text(statement), params)
    finally:
        driver._tx = counting.queue
    return counting.count, result


async def test_a_statement_is_one_trip_to_the_thread(sqlite: Database) -> None:
    async with sqlite.engine.begin() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.dbapi_connection.cursor(), OneTripCursor)
        trips, result = await _trips(conn, "INSERT INTO t (name) VALUES (:n)", {"n": "a"})
        assert (trips, result.rowcount, result.lastrowid) == (1, 1, 1)
        trips, result = await _trips(conn, "SELECT id, name FROM t ORDER BY id")
        assert trips == 1
        assert [tuple(row) for row in result] == [(1, "a")]
        assert list(result.keys()) == ["id", "name"]


async def test_rows_counts_and_many(sqlite: Database) -> None:
    async with sqlite.engine.begin() as conn:
        inserted = await conn.execute(
            sa.text("INSERT INTO t (name) VALUES (:n)"), [{"n": f"u{i}"} for i in range(5)]
        )
        assert inserted.rowcount == 5
        updated = await conn.execute(sa.text("UPDATE t SET name = name || '!' WHERE id <= 3"))
        assert updated.rowcount == 3
        names = (await conn.execute(sa.text("SELECT name FROM t ORDER BY id"))).scalars().all()
        assert names == ["u0!", "u1!", "u2!", "u3", "u4"]
        first = (await conn.execute(sa.text("SELECT name FROM t ORDER BY id"))).first()
        assert first is not None and first.name == "u0!"
        empty = await conn.execute(sa.text("SELECT name FROM t WHERE id > 100"))
        assert empty.all() == []


async def test_errors_keep_their_types_and_the_transaction_rolls_back(sqlite: Database) -> None:
    async with sqlite.engine.begin() as conn:
        await conn.execute(sa.text("INSERT INTO t (name) VALUES ('taken')"))
    with pytest.raises(sa.exc.IntegrityError):
        async with sqlite.engine.begin() as conn:
            await conn.execute(sa.text("INSERT INTO t (name) VALUES ('kept-out')"))
            await conn.execute(sa.text("INSERT INTO t (name) VALUES ('taken')"))
    async with sqlite.engine.connect() as conn:
        with pytest.raises(sa.exc.OperationalError):
            await conn.execute(sa.text("SELECT nothing FROM nowhere"))
        await conn.rollback()
        names = (await conn.execute(sa.text("SELECT name FROM t"))).scalars().all()
        assert names == ["taken"]  # the first insert of the failed transaction is gone
