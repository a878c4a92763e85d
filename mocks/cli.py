"""`watchparty mock`: the mock server on its own port (issue 4; docs/mock.md)."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

__all__ = ["mock"]

# Modules connexion imports at load time for features the mock never uses: `httpx` for
# remote token introspection (`connexion.security`; the mock uses `x-bearerInfoFunc`),
# `requests` for remote `$ref`s (`connexion.json_schema`; our spec has none), and
# `starlette.testclient` for `AsyncApp.test_client()` (which also warns on import).
_DEFERRED = ("httpx", "requests")
_TEST_CLIENT = "starlette.testclient"


class _DeferredModule(types.ModuleType):
    """Stands in for a module while connexion is imported; the real one loads on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


def _test_client(*args: Any, **kwargs: Any) -> Any:
    from starlette.testclient import TestClient

    return TestClient(*args, **kwargs)


@contextmanager
def _deferred_imports() -> Iterator[None]:
    """
    Import connexion without the modules above: ~0.25 s of `watchparty mock`'s start-up
    (issue 4: first answer in under 1 s; figures in docs/decisions.md "Mock server start-up").

    While connexion loads, `sys.modules` holds stand-ins, so its `import httpx` binds a
    `_DeferredModule` (whose attributes import the real module) and its
    `from starlette.testclient import TestClient` a function that does. Afterwards the
    stand-ins leave `sys.modules`, so every later import gets the real module. A no-op
    when connexion is already loaded (tests, the real server).
    """
    if "connexion" in sys.modules:
        yield
        return
    stand_ins: dict[str, types.ModuleType] = {
        name: _DeferredModule(name) for name in _DEFERRED if name not in sys.modules
    }
    if _TEST_CLIENT not in sys.modules:
        client = types.ModuleType(_TEST_CLIENT)
        client.TestClient = _test_client  # type: ignore[attr-defined]
        stand_ins[_TEST_CLIENT] = client
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


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
    import uvicorn

    with _deferred_imports():
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
