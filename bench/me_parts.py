"""The cost of each step of `getMe`, measured in-process (evidence for docs/benchmarks.md).

    python bench/me_parts.py                   # SQLite (a fresh data dir)
    python bench/me_parts.py --postgres URL    # PostgreSQL, on a fresh schema of URL's database

For each step: CPU microseconds per call (all threads of this process) and wall microseconds,
one call at a time and 32 at once (the connection count bench/rest.py uses). The database
steps run on the engine `watchparty.db` builds, and on variants of it that differ in one knob
each, so a proposal can be judged by its measured gain.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rest import USER, postgres_schema  # noqa: E402  (bench/rest.py)

from watchparty import db as wp_db  # noqa: E402
from watchparty.auth.tokens import decode_access_token  # noqa: E402
from watchparty.deps import current_user  # noqa: E402
from watchparty.runtime import open_runtime, use_runtime  # noqa: E402
from watchparty.services import accounts, sessions  # noqa: E402
from watchparty.services.users import get_user_by_email, user_json  # noqa: E402
from watchparty.settings import Settings  # noqa: E402
from watchparty.tables import RefreshTokenFamily, User  # noqa: E402

CONCURRENCY = 32


Timings = dict[str, list[tuple[float, float, float, float]]]


async def timed(
    timings: Timings, label: str, step: Callable[[], Awaitable[Any]], *, calls: int
) -> None:
    """Record CPU and wall microseconds per call, sequential and CONCURRENCY at once."""
    for _ in range(20):  # warm caches and the pool
        await step()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        await step()
    seq_cpu = (time.process_time() - cpu) / calls * 1e6
    seq_wall = (time.perf_counter() - wall) / calls * 1e6
    batches = max(1, calls // CONCURRENCY)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(batches):
        await asyncio.gather(*(step() for _ in range(CONCURRENCY)))
    n = batches * CONCURRENCY
    par_cpu = (time.process_time() - cpu) / n * 1e6
    par_wall = (time.perf_counter() - wall) / n * 1e6
    timings.setdefault(label, []).append((seq_cpu, seq_wall, par_cpu, par_wall))


def print_medians(title: str, timings: Timings) -> None:
    rounds = len(next(iter(timings.values())))
    print(f"\n{title}: microseconds per call, median of {rounds} rounds")
    print(f"{'step':<58} {'cpu':>8} {'wall':>8} {'cpu x32':>8} {'wall x32':>8}")
    for label, rows in timings.items():
        cells = [statistics.median(column) for column in zip(*rows, strict=True)]
        print(f"{label:<58} " + " ".join(f"{cell:>8.0f}" for cell in cells))


def engine_variant(settings: Settings, **overrides: Any) -> AsyncEngine:
    """The engine `watchparty.db.create_engine` builds, with `overrides` on top."""
    # Private helpers on purpose: the variants must differ from the shipped engine in
    # exactly the knob under test.
    kwargs = {**wp_db._engine_kwargs(settings), **overrides}
    engine = create_async_engine(settings.database_url, **kwargs)
    if settings.database_dialect == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", wp_db._sqlite_pragmas)
    return engine


async def run(settings: Settings, calls: int, repeat: int) -> None:
    async with open_runtime(settings) as rt, contextlib.AsyncExitStack() as stack:
        stack.enter_context(use_runtime(rt))
        async with rt.db.session() as session:
            await accounts.check_register(session=session, **USER)
            user = await get_user_by_email(session=session, email=USER["email"])
            assert user is not None
            tokens = await sessions.do_start_session(session=session, user=user)
        claims = decode_access_token(tokens.access, settings=rt.settings)
        family_id = uuid.UUID(claims["fid"])
        statement = (
            select(User, RefreshTokenFamily.revoked_at)
            .join(RefreshTokenFamily, RefreshTokenFamily.user_id == User.id)  # type: ignore[arg-type]
            .where(User.id == user.id, RefreshTokenFamily.id == family_id)
        )
        users, families = User.__table__, RefreshTokenFamily.__table__  # type: ignore[attr-defined]
        core: Any = (
            sa.select(users, families.c.revoked_at)
            .select_from(users.join(families))
            .where(users.c.id == user.id, families.c.id == family_id)
        )

        async def jwt_decode() -> None:
            decode_access_token(tokens.access, settings=rt.settings)

        async def serialize() -> None:
            user_json(user, now=wp_db.utcnow())

        def shipped_step(engine_db: wp_db.Database) -> Callable[[], Awaitable[None]]:
            async def step() -> None:
                async with engine_db.session() as session:
                    await current_user(claims, session=session)

            return step

        async def empty_session() -> None:
            async with rt.db.session() as session:
                await session.exec(sa.text("SELECT 1"))  # type: ignore[call-overload]

        async def orm_query_only() -> None:
            async with rt.db.session() as session:
                (await session.exec(statement)).first()

        async def core_query() -> None:
            async with rt.db.engine.connect() as conn:
                (await conn.execute(core)).first()

        async def raw_driver() -> None:
            async with rt.db.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                driver = raw.driver_connection
                if settings.database_dialect == "sqlite":
                    cursor = await driver.execute("SELECT 1")  # type: ignore[union-attr]
                    await cursor.fetchall()
                    await cursor.close()
                else:
                    await driver.fetchval("SELECT 1")  # type: ignore[union-attr]

        steps: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("JWT decode (decode_access_token)", jwt_decode),
            ("user_json", serialize),
            ("session + current_user (as shipped)", shipped_step(rt.db)),
            ("session + SELECT 1", empty_session),
            ("session + the same ORM select, no checks", orm_query_only),
            ("engine.connect + Core select (no ORM session)", core_query),
            ("pooled raw driver SELECT 1 (floor for any query)", raw_driver),
        ]
        variants: dict[str, dict[str, Any]] = {
            f"pool_size={CONCURRENCY}": {"pool_size": CONCURRENCY},
        }
        if settings.database_dialect == "postgresql":
            variants["pool_pre_ping=False"] = {"pool_pre_ping": False}
            variants[f"pool_size={CONCURRENCY}, pool_pre_ping=False"] = {
                "pool_size": CONCURRENCY,
                "pool_pre_ping": False,
            }
        engines = {name: engine_variant(settings, **kw) for name, kw in variants.items()}
        steps += [
            (f"session + current_user, {name}", shipped_step(wp_db.Database(settings, engine)))
            for name, engine in engines.items()
        ]
        timings: Timings = {}
        try:
            # Rounds, each over every step: a burst of load elsewhere on the machine then
            # skews one round of each step rather than every round of one step.
            for _ in range(repeat):
                for label, step in steps:
                    await timed(timings, label, step, calls=calls)
        finally:
            for engine in engines.values():
                await engine.dispose()
        print_medians(settings.database_dialect, timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000, help="calls per step and round")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (medians are shown)")
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watchparty-parts-") as tmp:
        env = {"WATCHPARTY_DATA_DIR": str(Path(tmp) / "var")}
        with contextlib.ExitStack() as stack:
            if args.postgres:
                stack.enter_context(postgres_schema(args.postgres, env))
            os.environ.update(env)
            asyncio.run(run(Settings(), args.calls, args.repeat))


if __name__ == "__main__":
    main()
