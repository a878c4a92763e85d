"""Operator commands: `watchparty db ...`, `watchparty users ...`, `watchparty mail ...`.

Typer sub-apps; `watchparty.cli` mounts them. Each command reads the same settings as the
server (environment, `.env`), so `DATABASE_URL=... watchparty db upgrade` migrates exactly
the database `watchparty serve` would use.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from watchparty.errors import ValidationFailed

if TYPE_CHECKING:
    from watchparty.runtime import Runtime
    from watchparty.settings import Settings
    from watchparty.tables import OutboxMail

# The database stack is imported inside the commands: `watchparty` mounts these sub-apps on
# every start, and `watchparty mock` must start in under a second.
ROLES_HELP = "One of: user, moderator, admin."

__all__ = ["db_app", "users_app", "mail_app"]

T = TypeVar("T")

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
users_app = typer.Typer(help="User accounts and roles.", no_args_is_help=True)
mail_app = typer.Typer(help="Outgoing mail.", no_args_is_help=True)


# A callback makes each sub-app a command group even with a single command, so
# `watchparty db upgrade` keeps its shape when the group grows (and under CliRunner).
@db_app.callback()
def _db_group() -> None:
    """Database schema (Alembic migrations)."""


@users_app.callback()
def _users_group() -> None:
    """User accounts and roles."""


@mail_app.callback()
def _mail_group() -> None:
    """Outgoing mail."""


RoleOption = Annotated[str, typer.Option(help=ROLES_HELP)]


def _settings() -> Settings:
    from watchparty.settings import ConfigError, get_settings

    try:
        return get_settings().prepare()
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@asynccontextmanager
async def _runtime(settings: Settings) -> AsyncIterator[Runtime]:
    from watchparty.runtime import open_runtime, use_runtime

    # The server's own runtime (SQLite is migrated on open, as `serve` does).
    async with open_runtime(settings) as rt:
        with use_runtime(rt):
            yield rt


def _run(settings: Settings, work: Callable[[Runtime], Awaitable[T]]) -> T:
    from sqlalchemy.exc import DBAPIError

    async def main() -> T:
        async with _runtime(settings) as rt:
            return await work(rt)

    try:
        return asyncio.run(main())
    except (DBAPIError, OSError) as exc:
        hint = (
            ""
            if settings.database_dialect == "sqlite"
            else " (did you run `watchparty db upgrade`?)"
        )
        raise _fail(f"Database error on {_shown(settings)}{hint}: {exc}") from None


def _check_role(role: str) -> str:
    from watchparty.tables import ROLES

    if role not in ROLES:
        raise _fail(f"Unknown role {role!r}; roles are: {', '.join(ROLES)}.", 2)
    return role


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from watchparty.db import Database

    settings = _settings()

    async def main() -> None:
        db = await Database.open(settings)
        try:
            await db.migrate(revision)
        finally:
            await db.close()

    try:
        asyncio.run(main())
    except OSError as exc:
        raise _fail(f"Cannot reach the database: {exc}") from None
    typer.echo(f"Database {_shown(settings)} is at revision {revision}.")


def _shown(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="Login email.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="Prompted when omitted."
        ),
    ],
    role: RoleOption = "user",
    username: Annotated[
        str | None, typer.Option(help="Defaults to the email's local part.")
    ] = None,
) -> None:
    """Create an account (an admin with `--role admin`)."""
    from watchparty.services import accounts

    _check_role(role)

    async def work(rt: Runtime) -> Any:
        async with rt.db.session() as session:
            name = username or await accounts.free_username(session=session, email=email)
            return await accounts.check_register(
                session=session, username=name, email=email, password=password, role=role
            )

    try:
        user = _run(_settings(), work)
    except ValidationFailed as exc:
        lines = [f"  {field}: {' '.join(messages)}" for field, messages in exc.errors.items()]
        raise _fail("Cannot create the user:\n" + "\n".join(lines)) from None
    typer.echo(f"Created {user.role} {user.username} <{user.email}> ({user.id}).")


@users_app.command("set-role")
def users_set_role(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: Annotated[str, typer.Argument(help=ROLES_HELP)],
) -> None:
    """Give a user another role."""
    from watchparty.services import accounts
    from watchparty.services.users import get_user_by_email

    _check_role(role)

    async def work(rt: Runtime) -> bool:
        async with rt.db.session() as session:
            user = await get_user_by_email(session=session, email=email)
            if user is None or user.is_deleted:
                return False
            await accounts.do_set_role(session=session, user=user, role=role)
            return True

    if not _run(_settings(), work):
        raise _fail(f"No user has the email {email}.")
    typer.echo(f"{email.lower()} is now {role}.")


@mail_app.command("outbox")
def mail_outbox(
    limit: Annotated[int, typer.Option(min=1, help="Newest messages to show.")] = 20,
    to: Annotated[str | None, typer.Option(help="Only messages to this address.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Print whole bodies.")] = False,
) -> None:
    """List mail kept in the outbox (when no SMTP server is configured), newest first."""
    from sqlmodel import col, select

    from watchparty.tables import OutboxMail

    async def work(rt: Runtime) -> list[OutboxMail]:
        query = select(OutboxMail).order_by(col(OutboxMail.created_at).desc()).limit(limit)
        if to:
            query = query.where(OutboxMail.to == to.lower())
        async with rt.db.session() as session:
            return list((await session.exec(query)).all())

    mails = _run(_settings(), work)
    if not mails:
        typer.echo("The outbox is empty.")
        return
    for mail in mails:
        typer.echo(f"{mail.created_at:%Y-%m-%d %H:%M:%S}Z  {mail.to}  {mail.subject}")
        if full:
            typer.echo("    " + mail.body.rstrip().replace("\n", "\n    ") + "\n")
