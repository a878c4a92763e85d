"""Shared fixtures: settings, a migrated database on SQLite and PostgreSQL, runtime, app, client.

Every test that uses `db`, `rt`, `app` or `client` runs twice, once per backend (`db_backend`).

- SQLite: the migrations run once per session into a template file; each test gets a copy,
  so it starts from a fresh, really migrated schema at the cost of one file copy.
- PostgreSQL (`WATCHPARTY_TEST_DATABASE_URL`, default postgresql+asyncpg://postgres@127.0.0.1:5432/test):
  each session migrates into its own schema (`wp_test_<random>`, dropped at the end), so
  concurrent runs on one server never meet; tables are truncated after each test.
  Unreachable PostgreSQL skips those tests locally and fails them in CI.

API tests use the pattern of tests/app/conftest.py: `create_app(settings, runtime=rt)` inside
its lifespan, and an httpx client over `ASGITransport`; the app itself is built once per
session (`app_shell`) and pointed at each test's runtime.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import sqlalchemy as sa
from starlette.applications import Starlette

from tests.utils.services import require_service
from watchparty.db import Database
from watchparty.mail import Mailer
from watchparty.runtime import Runtime, use_runtime
from watchparty.settings import Settings
from watchparty.tables import metadata
from watchparty.throttle import Throttler

PG_URL = os.environ.get(
    "WATCHPARTY_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BASE_URL = "http://testserver"
TEST_SECRET = "test-secret-" + "x" * 60  # 64+ bytes: long enough even for HS512
T = TypeVar("T")


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from sync code, on a private loop in a thread."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(make())
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]  # type: ignore[no-any-return]


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"env": "test", "data_dir": data_dir, "secret_key": TEST_SECRET}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def _migrate(settings: Settings, *, schema: str | None = None) -> None:
    db = await Database.open(settings)
    try:
        if schema:
            async with db.engine.begin() as conn:
                await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        await db.migrate()
    finally:
        await db.close()


async def _drop_schema(settings: Settings, schema: str) -> None:
    db = await Database.open(settings)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await db.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, copied by each test."""
    data_dir = tmp_path_factory.mktemp("sqlite-template")
    settings = make_settings(data_dir).prepare()
    run_async(lambda: _migrate(settings))
    return data_dir / "watchparty.sqlite3"


@pytest.fixture(scope="session")
def pg_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This session's own migrated PostgreSQL schema."""
    require_service("postgres")
    schema = f"wp_test_{uuid.uuid4().hex[:12]}"
    data_dir = tmp_path_factory.mktemp("pg")
    settings = make_settings(data_dir, database_url=PG_URL, database_schema=schema).prepare()
    run_async(lambda: _migrate(settings, schema=schema))
    try:
        yield schema
    finally:
        run_async(lambda: _drop_schema(settings, schema))


@pytest.fixture(params=["sqlite", "postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    if backend == "postgres":
        require_service("postgres")
    return backend


@pytest.fixture
def settings(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Test settings on the backend of this run, with a migrated, empty database."""
    data_dir = tmp_path / "var"
    if db_backend == "sqlite":
        data_dir.mkdir()
        shutil.copyfile(request.getfixturevalue("sqlite_template"), data_dir / "watchparty.sqlite3")
        return make_settings(data_dir).prepare()
    schema = request.getfixturevalue("pg_schema")
    return make_settings(data_dir, database_url=PG_URL, database_schema=schema).prepare()


async def _truncate(db: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))


async def truncate_tables(settings: Settings) -> None:
    """Empty every table of the database of `settings`, through a connection of its own."""
    db = await Database.open(settings)
    try:
        if db.dialect == "postgresql":
            await _truncate(db)
            return
        async with db.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                await conn.execute(table.delete())
    finally:
        await db.close()


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = await Database.open(settings)
    try:
        yield database
    finally:
        if database.dialect == "postgresql":
            await _truncate(database)
        await database.close()


@pytest.fixture
async def rt(settings: Settings, db: Database) -> AsyncIterator[Runtime]:
    """The runtime the app serves with; tests reach services through `with use_runtime(rt)`."""
    throttler = Throttler.from_settings(settings)
    try:
        yield Runtime(
            settings=settings, db=db, throttler=throttler, mailer=Mailer(settings=settings, db=db)
        )
    finally:
        await throttler.close()


@pytest.fixture
def in_runtime(rt: Runtime) -> Iterator[Runtime]:
    """`runtime()` answers `rt` in the test body (for service-level tests)."""
    with use_runtime(rt):
        yield rt


@pytest.fixture(scope="session")
def app_shell(tmp_path_factory: pytest.TempPathFactory) -> Starlette:
    """One app for the session: building connexion's API over the spec takes about a second.

    Only its runtime changes per test (`app`), and `RuntimeMiddleware` reads the runtime
    from `app.state` on every request, so each test still talks to its own database.
    """
    from watchparty.app import create_app

    settings = make_settings(tmp_path_factory.mktemp("app"))
    placeholder = Runtime(settings=settings, db=None, throttler=None, mailer=None)  # type: ignore[arg-type]
    return create_app(settings, runtime=placeholder)


@pytest.fixture
async def app(app_shell: Starlette, rt: Runtime) -> AsyncIterator[Starlette]:
    async with app_shell.router.lifespan_context(app_shell):
        app_shell.state.runtime = rt
        app_shell.state.settings = rt.settings
        yield app_shell


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http
