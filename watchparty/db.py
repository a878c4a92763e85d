"""The database: an async SQLAlchemy engine (aiosqlite or asyncpg) and its sessions (DESIGN §6).

SQLite runs in WAL mode with foreign keys on and a busy timeout, so the server's readers never
wait on a writer. Schema changes only go through Alembic (`watchparty/migrations/`); `migrate()`
runs them in a worker thread with its own event loop, because Alembic drives its connection
synchronously.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import sqlalchemy as sa
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty import sqlite_driver
from watchparty.settings import Settings

__all__ = [
    "Database",
    "UTCDateTime",
    "contains_text",
    "utcnow",
    "alembic_config",
    "database_unavailable",
    "MIGRATIONS_DIR",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def utcnow() -> dt.datetime:
    """Now, aware and in UTC: the only kind of datetime we store or compare."""
    return dt.datetime.now(dt.UTC)


def contains_text(term: str, *columns: Any) -> sa.ColumnElement[bool]:
    """Any of `columns` contains `term`, ignoring case; `%` and `_` in it match themselves."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.or_(*(sa.func.lower(c).like(f"%{escaped}%", escape="\\") for c in columns))


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none, so values are stored as UTC
    and come back tagged as UTC. Naive input is a bug and is refused.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# (pool size, overflow) per database unless configured (docs/benchmarks.md). SQLAlchemy's
# 5 + 10 made a server with 32 requests in flight open and close overflow connections all the
# time; on SQLite each is a thread, a connect and 4 PRAGMAs, so SQLite opens none, and keeps
# 8: each pooled connection is a thread of aiosqlite, and 20 of them contending for the GIL
# cost a party page 12% more CPU than 8. PostgreSQL: size max_connections for workers x 25.
POOL_DEFAULTS = {"sqlite": (8, 0), "postgresql": (20, 5)}


def _engine_kwargs(settings: Settings) -> dict[str, Any]:
    size, overflow = POOL_DEFAULTS[settings.database_dialect]
    pool = {
        "pool_size": settings.database_pool_size or size,
        "max_overflow": (
            overflow if settings.database_max_overflow is None else settings.database_max_overflow
        ),
    }
    if settings.database_dialect == "postgresql":
        connect_args: dict[str, Any] = {}
        if settings.database_schema:
            connect_args["server_settings"] = {"search_path": settings.database_schema}
        return {**pool, "pool_pre_ping": True, "connect_args": connect_args}
    return {
        **pool,
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        "module": sqlite_driver.dbapi(),
    }


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine(settings: Settings) -> AsyncEngine:
    """An async engine for `settings.database_url` with our per-backend connection setup."""
    engine = create_async_engine(settings.database_url, **_engine_kwargs(settings))
    if settings.database_dialect == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


# Raised by asyncpg when the server is gone, restarting or shutting down: not a bug of ours.
_PG_DOWN = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InterfaceError,
)


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot serve now (answer 503), rather than a bug.

    A refused connect surfaces as a bare `ConnectionRefusedError`, a connection cut mid-query as a
    SQLAlchemy error with the connection invalidated or an asyncpg connection error in its
    chain; each is looked for along `__cause__`/`__context__` and DBAPI `orig`.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, sa.exc.DBAPIError) and current.connection_invalidated:
            return True
        # Busy rather than down, but as passing: every pooled connection in use past the
        # pool's timeout, or SQLite's write lock held past its busy timeout.
        if isinstance(current, sa.exc.TimeoutError) or (
            isinstance(current, sqlite3.OperationalError) and "database is locked" in str(current)
        ):
            return True
        if isinstance(current, (*_PG_DOWN, ConnectionError)):
            return True
        todo += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return False


def alembic_config(connection: sa.Connection | None = None) -> Any:
    """The Alembic config of the package, usable from any working directory."""
    from alembic.config import Config

    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: sa.Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


class Database:
    """The engine and a session factory; open one per process (the app does it in its lifespan)."""

    def __init__(self, settings: Settings, engine: AsyncEngine) -> None:
        self.settings = settings
        self.engine = engine
        self.dialect: str = settings.database_dialect
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @classmethod
    async def open(cls, settings: Settings) -> Database:
        """Create the engine and check that the database answers."""
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception:
            await engine.dispose()
            raise
        return cls(settings, engine)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session; commit explicitly, anything uncommitted is rolled back on exit."""
        async with self._sessions() as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()

    async def migrate(self, revision: str = "head") -> None:
        """Run Alembic up to `revision` (in a thread: Alembic is synchronous)."""
        await asyncio.to_thread(asyncio.run, self._migrate_on_own_engine(revision))

    async def _migrate_on_own_engine(self, revision: str) -> None:
        # A fresh engine belongs to the worker thread's event loop; ours cannot cross loops.
        engine = create_engine(self.settings)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(_upgrade, revision)
        finally:
            await engine.dispose()

    def __repr__(self) -> str:
        url = make_url(self.settings.database_url).render_as_string(hide_password=True)
        return f"Database({url})"
