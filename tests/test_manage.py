"""`watchparty db|users|mail` commands, invoked through their typer sub-apps.

The commands read settings from the environment like the server does; each test points the
environment at its own database (SQLite file or this session's PostgreSQL schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from tests.conftest import make_settings, run_async, truncate_tables
from watchparty.auth import passwords
from watchparty.db import Database
from watchparty.mail import Mailer
from watchparty.manage import db_app, mail_app, users_app
from watchparty.settings import Settings, get_settings
from watchparty.tables import User

runner = CliRunner()
PASSWORD = "violet-lantern-orbit"


def _env(settings: Settings) -> dict[str, str]:
    env = {
        "WATCHPARTY_ENV": "test",
        "WATCHPARTY_DATA_DIR": str(settings.data_dir),
        "WATCHPARTY_SECRET_KEY": settings.secret_key.get_secret_value(),
        "DATABASE_URL": settings.database_url,
    }
    if settings.database_schema:
        env["WATCHPARTY_DATABASE_SCHEMA"] = settings.database_schema
    return env


@pytest.fixture
def cli_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The environment of a server on this test's database; `get_settings()` re-reads it."""
    for name, value in _env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(settings.data_dir.parent)  # no stray .env file
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()
    if settings.database_dialect == "postgresql":
        run_async(lambda: truncate_tables(settings))


async def _users(settings: Settings) -> list[User]:
    db = await Database.open(settings)
    try:
        async with db.session() as session:
            return list((await session.exec(select(User))).all())
    finally:
        await db.close()


def test_db_upgrade_on_a_fresh_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHPARTY_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    try:
        result = runner.invoke(db_app, ["upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "at revision head" in result.output
    assert (tmp_path / "fresh" / "watchparty.sqlite3").is_file()


def test_db_upgrade_refuses_a_bad_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHPARTY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "mysql://u@h/db")
    get_settings.cache_clear()
    try:
        result = runner.invoke(db_app, ["upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Configuration error" in result.output and "mysql" in result.output


def test_db_upgrade_is_idempotent(cli_settings: Settings) -> None:
    result = runner.invoke(db_app, ["upgrade"])
    assert result.exit_code == 0, result.output


def test_users_create_and_set_role(cli_settings: Settings) -> None:
    created = runner.invoke(
        users_app, ["create", "Root@Example.com", "--password", PASSWORD, "--role", "admin"]
    )
    assert created.exit_code == 0, created.output
    assert "Created admin root <root@example.com>" in created.output
    (user,) = run_async(lambda: _users(cli_settings))
    assert (user.email, user.username, user.role) == ("root@example.com", "root", "admin")
    assert run_async(
        lambda: passwords.verify_password(PASSWORD, user.password_hash, settings=cli_settings)
    )

    named = runner.invoke(
        users_app, ["create", "root@example.org", "--password", PASSWORD, "--username", "mod"]
    )
    assert named.exit_code == 0, named.output
    demoted = runner.invoke(users_app, ["set-role", "ROOT@example.com", "moderator"])
    assert demoted.exit_code == 0, demoted.output
    roles = {u.username: u.role for u in run_async(lambda: _users(cli_settings))}
    assert roles == {"root": "moderator", "mod": "user"}


def test_users_create_derives_a_free_username(cli_settings: Settings) -> None:
    for email in ("ana@example.com", "ana@example.org", "a@example.net"):
        assert runner.invoke(users_app, ["create", email, "--password", PASSWORD]).exit_code == 0
    names = sorted(u.username for u in run_async(lambda: _users(cli_settings)))
    assert names == ["a_user", "ana", "ana2"]


def test_users_create_reports_problems(cli_settings: Settings) -> None:
    assert (
        runner.invoke(users_app, ["create", "x@example.com", "--password", PASSWORD]).exit_code == 0
    )
    again = runner.invoke(users_app, ["create", "X@example.com", "--password", "12345678"])
    assert again.exit_code == 1
    assert "email:" in again.output and "password:" in again.output
    bad_role = runner.invoke(
        users_app, ["create", "y@example.com", "--password", PASSWORD, "--role", "root"]
    )
    assert bad_role.exit_code == 2 and "Unknown role" in bad_role.output


def test_users_create_prompts_for_the_password(cli_settings: Settings) -> None:
    result = runner.invoke(
        users_app, ["create", "p@example.com"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output


def test_set_role_of_unknown_user(cli_settings: Settings) -> None:
    result = runner.invoke(users_app, ["set-role", "nobody@example.com", "admin"])
    assert result.exit_code == 1 and "No user" in result.output
    assert runner.invoke(users_app, ["set-role", "nobody@example.com", "root"]).exit_code == 2


def test_mail_outbox(cli_settings: Settings) -> None:
    empty = runner.invoke(mail_app, ["outbox"])
    assert empty.exit_code == 0 and "The outbox is empty." in empty.output

    async def send() -> None:
        db = await Database.open(cli_settings)
        try:
            mailer = Mailer(settings=cli_settings, db=db)
            await mailer.send(to="ana@example.com", subject="First", body="Line one\nLine two")
            await mailer.send(to="bo@example.com", subject="Second", body="Hello")
        finally:
            await db.close()

    run_async(send)
    listed = runner.invoke(mail_app, ["outbox"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.index("Second") < listed.output.index("First")  # newest first
    only = runner.invoke(mail_app, ["outbox", "--to", "ANA@example.com", "--full"])
    assert "First" in only.output and "Second" not in only.output
    assert "    Line one\n    Line two" in only.output


def test_settings_helper_matches_env(cli_settings: Settings) -> None:
    assert get_settings().database_url == cli_settings.database_url
    assert make_settings(cli_settings.data_dir).data_dir == cli_settings.data_dir


def test_role_help_names_every_role() -> None:
    from watchparty.manage import ROLES_HELP
    from watchparty.tables import ROLES

    assert f"One of: {', '.join(ROLES)}." == ROLES_HELP
