"""The per-process runtime: settings and the shared resources handlers and services reach.

`watchparty.app` builds one `Runtime` in its lifespan, keeps it on `app.state.runtime`, and
`RuntimeMiddleware` publishes it in a ContextVar for each request, so handlers and services
call `runtime()` instead of threading the database, mailer and throttler through every call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from watchparty.bus.jobs import JobBus
    from watchparty.db import Database
    from watchparty.mail import Mailer
    from watchparty.realtime.hub import Hub
    from watchparty.settings import Settings
    from watchparty.storage import Storage
    from watchparty.throttle import Throttler

__all__ = [
    "Runtime",
    "RuntimeMiddleware",
    "current_runtime",
    "open_runtime",
    "runtime",
    "use_runtime",
]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    throttler: Throttler
    mailer: Mailer
    # Where committed realtime frames go (watchparty.realtime.publish) and what the WebSocket
    # channels subscribe to; None: nowhere (CLI commands, tests without realtime).
    hub: Hub | None = None
    # Video files (watchparty.storage; opened on first use) and the video job bus
    # (watchparty.worker.open_jobs); no bus: jobs wait in the database for a sweep.
    storage: Storage | None = None
    jobs: JobBus | None = None


@asynccontextmanager
async def open_runtime(settings: Settings, *, job_bus: bool = False) -> AsyncIterator[Runtime]:
    """
    Open the database, throttler, mailer and realtime hub for `settings`; close them on exit.
    `job_bus`: also start the API side of the video job bus (the server's lifespan).

    SQLite is migrated here so `watchparty serve` needs no setup step; PostgreSQL is only
    migrated by `watchparty db upgrade`, an explicit operator step.
    """
    from watchparty.db import Database
    from watchparty.mail import Mailer
    from watchparty.realtime.hub import Hub
    from watchparty.throttle import Throttler

    settings.prepare()
    db = await Database.open(settings)
    try:
        if settings.database_dialect == "sqlite":
            await db.migrate()
        throttler = Throttler.from_settings(settings)
        hub = Hub(redis_url=settings.redis_url, prefix=settings.realtime_redis_prefix)
        try:
            await hub.start()
            rt = Runtime(
                settings=settings,
                db=db,
                throttler=throttler,
                mailer=Mailer(settings=settings, db=db),
                hub=hub,
            )
            if not job_bus:
                yield rt
                return
            from watchparty.worker import open_jobs

            # The API side of the video job bus (and, without a broker, the worker too).
            async with open_jobs(rt, role="api"):
                yield rt
        finally:
            await hub.close()
            await throttler.close()
    finally:
        await db.close()


_current: ContextVar[Runtime | None] = ContextVar("watchparty_runtime", default=None)


def runtime() -> Runtime:
    """
    The runtime of the app serving the current request (or set by `use_runtime`).

    Raises:
        RuntimeError: outside a request of an app whose lifespan has started.
    """
    current = _current.get()
    if current is None:
        raise RuntimeError(
            "No watchparty runtime is active: run inside a request of an app whose lifespan "
            "has started, or wrap the code in `use_runtime(...)`."
        )
    return current


def current_runtime() -> Runtime | None:
    """The current runtime, or None where `runtime()` would raise."""
    return _current.get()


class use_runtime:  # noqa: N801 - used like a function: `with use_runtime(rt): ...`
    """Make `rt` the current runtime inside a `with` block (CLI commands, scripts, tests)."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._token: object = None

    def __enter__(self) -> Runtime:
        self._token = _current.set(self._rt)
        return self._rt

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)  # type: ignore[arg-type]


class RuntimeMiddleware:
    """Set the runtime ContextVar from `app.state.runtime` for every HTTP/WebSocket request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        rt: Runtime | None = getattr(state, "runtime", None)
        token = _current.set(rt)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
