"""The `watchparty` command: serve, gen, and the operator commands (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mocks.cli import mock
from watchparty import PROJECT_ROOT
from watchparty.manage import db_app, mail_app, users_app

if TYPE_CHECKING:
    from watchparty.settings import Settings

app = typer.Typer(
    help="Watch Party API: server, code generation and tooling.", no_args_is_help=True
)


gen_app = typer.Typer(help="Regenerate specs, generated code, mocks, the TS client and docs.")
app.add_typer(gen_app, name="gen")


@gen_app.callback(invoke_without_command=True)
def gen(
    ctx: typer.Context,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 naming every file that would change."),
    ] = False,
    root: Annotated[Path, typer.Option(help="Project checkout to generate in.")] = PROJECT_ROOT,
) -> None:
    """Regenerate specs, generated/, mocks/msw/, clients/ts/ and docs/realtime/."""
    if ctx.invoked_subcommand is not None:
        return
    from watchparty.codegen import CatalogError, drift, render, write
    from watchparty.codegen.msw import NodeToolError

    try:
        rendered = render(root)
    except (CatalogError, NodeToolError) as exc:
        typer.echo(f"Cannot generate:\n{exc}", err=True)
        raise typer.Exit(2) from None
    if check:
        changed = drift(root, rendered)
        for rel in changed:
            typer.echo(f"would change: {rel}", err=True)
        if changed:
            typer.echo(
                "Generated files are out of date: run `watchparty gen` and commit.", err=True
            )
            raise typer.Exit(1)
        typer.echo(f"{len(rendered)} generated files are up to date.")
        return
    changed = write(root, rendered)
    typer.echo("\n".join(f"wrote {rel}" for rel in changed) or "nothing changed")


@gen_app.command("msw")
def gen_msw(
    out: Annotated[Path | None, typer.Option(help="Folder to write (default: mocks/msw).")] = None,
    msw: Annotated[int, typer.Option("--msw", min=2, max=3, help="MSW major version.")] = 3,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 naming every file that would change."),
    ] = False,
    root: Annotated[
        Path, typer.Option(help="Project checkout whose specs/ are read.")
    ] = PROJECT_ROOT,
) -> None:
    """Generate only the MSW handlers, fixtures, types and WebSocket mocks (MSW 3, or 2)."""
    from watchparty.codegen.msw import msw_command

    msw_command(out=out, msw=msw, check=check, root=root)


@gen_app.command("client")
def gen_client(
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 naming every file that would change."),
    ] = False,
    root: Annotated[
        Path, typer.Option(help="Project checkout whose specs/ are read.")
    ] = PROJECT_ROOT,
) -> None:
    """Generate only the typed TypeScript client package in clients/ts/ (types and dist/)."""
    from watchparty.codegen.client import client_command

    client_command(check=check, root=root)


# What `serve --reload` watches: code, generated code and the specs connexion serves.
RELOAD_DIRS = ("watchparty", "handlers", "generated", "specs")


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default: WATCHPARTY_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to bind (default: WATCHPARTY_PORT, 8000).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[
        bool, typer.Option("--reload", help="Restart on code or spec changes (development).")
    ] = False,
) -> None:
    """Run the API server: REST API, Swagger UI at /api/docs/, spec at /api/openapi.json."""
    import asyncio
    import warnings

    import uvicorn

    from generated.operations import OPERATIONS
    from watchparty.settings import ConfigError, get_settings

    with warnings.catch_warnings():
        # connexion 3.3 imports starlette.testclient, which warns about httpx on import.
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from watchparty.resolver import implemented_operations

    settings = get_settings()
    try:
        settings.prepare()
        if settings.database_dialect == "sqlite":
            # Once here, before the workers start, so they never race on the same file.
            asyncio.run(_migrate(settings))
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    implemented = len(implemented_operations())
    typer.echo(
        f"{implemented} of {len(OPERATIONS)} operations implemented; "
        f"{len(OPERATIONS) - implemented} answer 501 not_implemented."
    )
    if reload and workers > 1:
        typer.echo("--reload runs a single process; ignoring --workers.", err=True)
        workers = 1
    if workers > 1 and not settings.redis_url:
        typer.echo(
            "Configuration error: --workers above 1 needs WATCHPARTY_REDIS_URL: the processes "
            "share party rooms, presence and throttle counters through Redis.",
            err=True,
        )
        raise typer.Exit(2)
    uvicorn.run(
        "watchparty.app:serve_app",
        factory=True,
        log_config=None,  # serve_app configures logging (structlog) in each process
        # SIGTERM: stop accepting, close sockets (1012), give in-flight requests this long.
        timeout_graceful_shutdown=settings.graceful_shutdown_secs,
        ws_per_message_deflate=settings.ws_per_message_deflate,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        reload_dirs=[str(PROJECT_ROOT / d) for d in RELOAD_DIRS] if reload else None,
        reload_includes=["*.py", "*.yaml"] if reload else None,
    )


async def _migrate(settings: Settings) -> None:
    from watchparty.db import Database

    db = await Database.open(settings)
    try:
        await db.migrate()
    finally:
        await db.close()


@app.command()
def worker() -> None:
    """Process video jobs from RabbitMQ (WATCHPARTY_AMQP_URL) until SIGINT or SIGTERM."""
    import asyncio
    import signal

    from watchparty.logs import configure_logging
    from watchparty.settings import ConfigError, get_settings
    from watchparty.worker import run_worker

    settings = get_settings()
    if not settings.amqp_url:
        typer.echo(
            "Configuration error: `watchparty worker` needs WATCHPARTY_AMQP_URL; without a "
            "broker `watchparty serve` processes videos itself.",
            err=True,
        )
        raise typer.Exit(2)
    configure_logging(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_worker(settings, stop=stop)

    try:
        asyncio.run(main())
    except ConfigError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


app.command()(mock)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(mail_app, name="mail")
