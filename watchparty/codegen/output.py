"""Writing (or checking) a generator's files: shared by `gen msw` and `gen client`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import typer

__all__ = ["sync_files"]


def sync_files(
    files: Mapping[Path, str],
    stale: list[Path],
    *,
    check: bool,
    what: str,
    show: Callable[[Path], str] = str,
) -> None:
    """Write the files of `files` that differ and remove `stale` ones, reporting each; with
    `check`, write nothing and exit 1 naming every file that would change or go.

    `what` names the files in the up-to-date message; `show` turns a path into what is printed.
    """
    changed = [
        path
        for path, text in files.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    if check:
        for path in changed:
            typer.echo(f"would change: {show(path)}", err=True)
        for path in stale:
            typer.echo(f"would remove: {show(path)}", err=True)
        if changed or stale:
            raise typer.Exit(1)
        typer.echo(f"{len(files)} {what} are up to date.")
        return
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
    for path in stale:
        path.unlink()
    report = [*(f"wrote {show(path)}" for path in changed), *(f"removed {path}" for path in stale)]
    typer.echo("\n".join(report) or "nothing changed")
