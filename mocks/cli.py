"""`watchparty mock`: the mock server on its own port (issue 4; docs/mock.md)."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["mock"]


def mock(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 4010,
    seed: Annotated[int, typer.Option(help="Seed of dynamic data, ids and cursors.")] = 0,
    stateful: Annotated[
        bool, typer.Option("--stateful", help="POSTs create what GET/list/PATCH/DELETE see.")
    ] = False,
    dynamic: Annotated[
        bool, typer.Option("--dynamic", help="Generated bodies by default instead of examples.")
    ] = False,
    delay: Annotated[int, typer.Option(help="Latency added to every API call, in ms.", min=0)] = 0,
    ws_events: Annotated[
        float,
        typer.Option(help="Push a sample event to every socket each SECONDS (0: never).", min=0),
    ] = 0.0,
) -> None:
    """Serve a mock of every REST operation and WebSocket channel of the specs."""
    import warnings

    import uvicorn

    with warnings.catch_warnings():
        # connexion imports starlette's deprecated TestClient; nothing a mock user can act on.
        warnings.simplefilter("ignore")
        from mocks.app import create_mock_app

    app = create_mock_app(
        seed=seed, stateful=stateful, delay_ms=delay, dynamic=dynamic, ws_events_secs=ws_events
    )
    typer.echo(
        f"watchparty mock on http://{host}:{port}/api/ (seed {seed}"
        f"{', stateful' if stateful else ''}{', dynamic' if dynamic else ''}); "
        f"docs at /api/docs, reset with POST /__mock/reset"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", ws="websockets-sansio")
