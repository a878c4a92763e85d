"""The `watchparty` command: serve, gen, and the operator commands (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from watchparty import PROJECT_ROOT

app = typer.Typer(help="Watch Party API: server, code generation and tooling.", no_args_is_help=True)


@app.command()
def gen(
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 naming every file that would change.")] = False,
    root: Annotated[Path, typer.Option(help="Project checkout to generate in.")] = PROJECT_ROOT,
) -> None:
    """Regenerate specs/openapi.yaml, specs/asyncapi.yaml and generated/ from the catalog."""
    from watchparty.codegen import CatalogError, drift, render, write

    try:
        rendered = render(root)
    except CatalogError as exc:
        typer.echo(f"The catalog has problems:\n{exc}", err=True)
        raise typer.Exit(2) from None
    if check:
        changed = drift(root, rendered)
        for rel in changed:
            typer.echo(f"would change: {rel}", err=True)
        if changed:
            typer.echo("Generated files are out of date: run `watchparty gen` and commit.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{len(rendered)} generated files are up to date.")
        return
    changed = write(root, rendered)
    typer.echo("\n".join(f"wrote {rel}" for rel in changed) or "nothing changed")


@app.command()
def serve() -> None:
    """Run the API server (not built yet: prints what the spec holds and exits)."""
    from watchparty.codegen.catalog import load_catalog

    catalog = load_catalog(PROJECT_ROOT / "specs")
    typer.echo(
        f"{catalog.info['title']} {catalog.info['version']}: {len(catalog.operations)} REST operations, "
        f"{len(catalog.channels)} realtime channels, {len(catalog.messages)} message types."
    )
    typer.echo("The server is not implemented yet (issue: real server core).", err=True)
    raise typer.Exit(1)
