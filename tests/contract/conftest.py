"""The real server's database for schemathesis: one per backend, for the whole module.

schemathesis 4 sends each case through its own ASGI transport: it runs the app's lifespan on
an event-loop thread of its own (a blocking portal) and every request on that same loop, so
the runtime the lifespan opens (aiosqlite or asyncpg connections) is only ever used from the
loop that opened it. Its pytest plugin ends that lifespan after every test item; the database
outlives it, in this module-scoped data directory or PostgreSQL schema.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import PG_URL, make_settings, run_async, truncate_tables
from tests.utils.services import require_service
from watchparty.settings import Settings


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def contract_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """Settings of a server on a migrated, empty database, with throttling off.

    Throttling has its own tests (tests/test_throttle.py, tests/api); here it would only turn
    the fuzzer's bursts into 429s and keep it from reaching the handlers.
    """
    backend: str = request.param
    data_dir = tmp_path_factory.mktemp(f"contract-{backend}")
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), data_dir / "watchparty.sqlite3")
        yield make_settings(data_dir, throttle_enabled=False).prepare()
        return
    require_service("postgres")
    settings = make_settings(
        data_dir,
        database_url=PG_URL,
        database_schema=request.getfixturevalue("pg_schema"),
        throttle_enabled=False,
    ).prepare()
    try:
        yield settings
    finally:
        # The schema is the session's: leave it empty for the tests that follow.
        run_async(lambda: truncate_tables(settings))


@pytest.fixture(autouse=True)
def _lazy_schema_node_id(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32.5's `from_fixture` renames the running item through `Node._nodeid`,
    # which pytest 9 no longer has (it keeps `_id`); give it one to read.
    request.node._nodeid = request.node.nodeid
