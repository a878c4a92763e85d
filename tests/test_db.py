"""Settings checks, the database engine, and the migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import stat
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.conftest import PG_URL, make_settings
from tests.utils.services import require_service
from watchparty.db import Database, UTCDateTime, alembic_config, create_engine, utcnow
from watchparty.settings import ConfigError, Settings
from watchparty.tables import OutboxMail, metadata

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
TABLES = {table.name for table in metadata.sorted_tables}


# --- settings ------------------------------------------------------------------------------


def test_defaults_need_no_configuration(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite+aiosqlite:///{data_dir}/watchparty.sqlite3"
    assert (settings.env, settings.jwt_algorithm, settings.redis_url) == (
        "development",
        "HS256",
        None,
    )
    settings.prepare()
    secret_file = data_dir / "secret_key"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secret = settings.secret_key.get_secret_value()
    assert len(secret) >= 32 and secret_file.read_text() == secret
    # The next process reads the same secret.
    again = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    assert again.prepare().secret_key.get_secret_value() == secret


def test_environment_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:pw@db.example:5432/wp")
    monkeypatch.setenv("WATCHPARTY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WATCHPARTY_ACCESS_TOKEN_TTL_SECONDS", "60")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "postgresql+asyncpg://u:pw@db.example:5432/wp"
    assert (settings.data_dir, settings.access_token_ttl_seconds) == (tmp_path, 60)
    assert settings.database_dialect == "postgresql"


def test_dotenv_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"WATCHPARTY_ENV=test\nWATCHPARTY_DATA_DIR={tmp_path}/data\n")
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert (settings.env, settings.data_dir) == ("test", tmp_path / "data")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "is not a database URL"),
        ("mysql+aiomysql://u@h/db", "supported are"),
        ("sqlite+aiosqlite:///:memory:", "in-memory"),
        ("sqlite+aiosqlite:////no/such/dir/db.sqlite3", "does not exist"),
        ("postgresql+asyncpg:///nohost", "must name a host"),
    ],
)
def test_bad_database_url(tmp_path: Path, url: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment) as caught:
        make_settings(tmp_path, database_url=url).prepare()
    assert "DATABASE_URL" in str(caught.value)


def test_database_url_password_is_not_shown(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        make_settings(tmp_path, database_url="mysql://user:hunter2@h/db").prepare()
    assert "hunter2" not in str(caught.value)


def test_data_dir_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="WATCHPARTY_DATA_DIR"):
        make_settings(blocker / "var").prepare()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_unwritable_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "ro"
    data_dir.mkdir()
    data_dir.chmod(0o500)
    try:
        with pytest.raises(ConfigError, match="not writable"):
            make_settings(data_dir).prepare()
    finally:
        data_dir.chmod(0o700)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs procfs")
def test_existing_but_unwritable_data_dir() -> None:
    # procfs refuses new files even to root, unlike a chmod-ed directory.
    with pytest.raises(ConfigError, match="not writable"):
        make_settings(Path("/proc/self")).prepare()


def test_refuses_unsafe_token_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="JWT_ALGORITHM"):
        make_settings(tmp_path, jwt_algorithm="none").prepare()
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        make_settings(tmp_path, env="production", secret_key="short").prepare()


def test_production_refuses_to_start_without_its_own_secret(tmp_path: Path) -> None:
    make_settings(tmp_path, secret_key="").prepare()  # development makes and keeps one
    assert (tmp_path / "secret_key").is_file()
    with pytest.raises(ConfigError, match="WATCHPARTY_SECRET_KEY is not set"):
        make_settings(tmp_path, env="production", secret_key="").prepare()
    long_secret = "p" * 64
    prepared = make_settings(tmp_path, env="production", secret_key=long_secret).prepare()
    assert prepared.secret_key.get_secret_value() == long_secret


# --- engine and types ----------------------------------------------------------------------


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = await Database.open(make_settings(tmp_path).prepare())
    try:
        async with db.engine.connect() as conn:
            assert (await conn.execute(sa.text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(sa.text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await db.close()


async def test_datetimes_come_back_aware_utc(db: Database) -> None:
    sent = dt.datetime(2026, 1, 15, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    async with db.session() as session:
        mail = OutboxMail(to="a@example.com", subject="s", body="b", created_at=sent)
        session.add(mail)
        await session.commit()
    async with db.session() as session:
        row = await session.get(OutboxMail, mail.id)
    assert row is not None and row.created_at == sent and row.created_at.tzinfo == dt.UTC


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(
            dt.datetime(2026, 1, 1), sa.create_engine("sqlite://").dialect
        )
    assert UTCDateTime().process_bind_param(None, sa.create_engine("sqlite://").dialect) is None
    assert utcnow().tzinfo == dt.UTC


# --- migrations ----------------------------------------------------------------------------


async def _check_schema(db: Database) -> None:
    """The migrated schema is at head and matches the models exactly."""

    def inspect(conn: sa.Connection) -> tuple[set[str], str | None, list[object]]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        # SQLite cannot reflect expression indexes; the comparison skips them either way.
        diff = [
            d
            for d in compare_metadata(context, metadata)
            if "uq_users_username_lower" not in repr(d)
        ]
        return set(sa.inspect(conn).get_table_names()), context.get_current_revision(), diff

    async with db.engine.connect() as conn:
        tables, revision, diff = await conn.run_sync(inspect)
    assert TABLES | {"alembic_version"} <= tables
    assert revision == HEAD
    assert diff == []


async def _down_and_up(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
    async with db.engine.connect() as conn:
        left = await conn.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
    assert not TABLES & left
    await db.migrate()


@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index"
)
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
async def test_migrations_on_sqlite(tmp_path: Path) -> None:
    db = await Database.open(make_settings(tmp_path).prepare())
    try:
        await db.migrate()
        await db.migrate()  # a second run is a no-op
        await _check_schema(db)
        await _down_and_up(db)
        await _check_schema(db)
    finally:
        await db.close()


async def test_migrations_on_postgresql(tmp_path: Path) -> None:
    require_service("postgres")
    schema = f"wp_mig_{uuid.uuid4().hex[:12]}"
    settings = make_settings(tmp_path, database_url=PG_URL, database_schema=schema).prepare()
    db = await Database.open(settings)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        await db.migrate()
        await db.migrate()
        await _check_schema(db)
        await _down_and_up(db)
        await _check_schema(db)
    finally:
        async with db.engine.begin() as conn:
            await conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await db.close()


async def test_unique_username_ignores_case(db: Database) -> None:
    from watchparty.tables import User

    async with db.session() as session:
        session.add(User(email="a@example.com", username="Ana", password_hash="!"))
        await session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        async with db.session() as session:
            session.add(User(email="b@example.com", username="ana", password_hash="!"))
            await session.commit()


async def test_pool_sizes_per_database_unless_configured(tmp_path: Path) -> None:
    sizes = {}
    for name, overrides in {
        "sqlite": {},
        "postgresql": {"database_url": PG_URL},
        "configured": {"database_pool_size": 3, "database_max_overflow": 2},
    }.items():
        engine = create_engine(make_settings(tmp_path / name, **overrides).prepare())
        try:
            pool = engine.sync_engine.pool
            sizes[name] = (pool.size(), pool._max_overflow)  # type: ignore[attr-defined]
        finally:
            await engine.dispose()
    assert sizes == {"sqlite": (8, 0), "postgresql": (20, 5), "configured": (3, 2)}
