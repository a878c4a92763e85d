"""Build the ASGI app: connexion API + WS routes + lifespan (DESIGN §2, §5).

The outer Starlette app sends websocket scopes straight to the realtime channels (outside the
HTTP middleware chain) and mounts the connexion `AsyncApp` at `/`, so connexion never sees a
websocket scope. The lifespan opens the runtime
(`watchparty.runtime`) on the outer app. Every error leaves in the shapes of DESIGN §3:
`watchparty.problems` turns connexion's and starlette's exceptions into `{detail, code}`.
"""

from __future__ import annotations

import copy
import functools
import gc
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
import yaml
from connexion import AsyncApp
from connexion.options import SwaggerUIOptions
from connexion.security import SECURITY_HANDLERS
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from watchparty import SPECS_DIR
from watchparty.auth.bearer import BearerHandler
from watchparty.cors import cors_middleware
from watchparty.demo import demo_routes
from watchparty.docs_pages import realtime_docs_routes
from watchparty.metrics import metrics_endpoint
from watchparty.problems import install_error_handlers, middlewares, outer_not_found
from watchparty.realtime.router import WebSocketApp, realtime_routes
from watchparty.resolver import Handler, OperationResolver
from watchparty.runtime import Runtime, RuntimeMiddleware, open_runtime
from watchparty.settings import Settings, get_settings
from watchparty.storage.body import streamed_validator_map
from watchparty.storage.media_route import MEDIA_ROUTE_PATH, media_endpoint
from watchparty.validation import VALIDATOR_MAP
from watchparty.web import (
    BodyLimitMiddleware,
    OrjsonJsonifier,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)

__all__ = [
    "create_app",
    "create_api",
    "serve_app",
    "build_now",
    "DOCS_PATH",
    "OPENAPI_PATH",
    "ASYNCAPI_PATH",
]

DOCS_PATH = "/api/docs"
OPENAPI_PATH = "/api/openapi.json"
ASYNCAPI_PATH = "/api/asyncapi.yaml"
METRICS_PATH = "/metrics"


def create_api(
    *, validate_responses: bool, overrides: Mapping[str, Handler] | None = None
) -> AsyncApp:
    """
    The connexion app over specs/openapi.yaml, with our validators and error shapes.

    Args:
        validate_responses: check every response against the spec (500 when off-spec).
        overrides: operationId -> handler instead of the catalog's (tests).
    """
    api = AsyncApp(
        __name__,
        middlewares=middlewares(),
        # Uploads stream past connexion's body buffering (watchparty.storage.body).
        validator_map=streamed_validator_map(VALIDATOR_MAP),
        swagger_ui_options=SwaggerUIOptions(spec_path=OPENAPI_PATH, swagger_ui_path=DOCS_PATH),
        jsonifier=OrjsonJsonifier(),
        security_map={**SECURITY_HANDLERS, "bearer": BearerHandler},
    )
    api.add_api(
        # A copy: connexion fills in defaults in the dict it is given.
        copy.deepcopy(_openapi_spec()),
        resolver=OperationResolver(overrides),
        validate_responses=validate_responses,
    )
    api.add_url_rule(ASYNCAPI_PATH, "asyncapi", _asyncapi_doc, methods=["GET"])
    install_error_handlers(api)
    return api


@functools.cache
def _shared_api(validate_responses: bool, overrides: tuple[tuple[str, Handler], ...]) -> AsyncApp:
    """One connexion app per process and option set, shared by the apps built with them.

    It holds no per-app state (handlers reach the runtime through a ContextVar), and
    validating the spec costs ~1 s per build, which every test would pay.
    """
    return create_api(validate_responses=validate_responses, overrides=dict(overrides))


@functools.cache
def _openapi_spec() -> dict[str, Any]:
    """specs/openapi.yaml, parsed once per process with libyaml when present.

    connexion's own loader (pure-Python YAML) takes ~3 s on our spec, for every app built.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec: dict[str, Any] = yaml.load((SPECS_DIR / "openapi.yaml").read_bytes(), Loader=loader)
    return spec


def build_now(api: AsyncApp) -> None:
    """Resolve every operation now rather than on the first request.

    A broken handler module then fails the startup instead of every request. connexion
    (pinned) builds its stack lazily in `ConnexionMiddleware.__call__`; these are its lines.
    """
    middleware = api.middleware
    if middleware.middleware_stack is None:
        middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()


@functools.cache
def _openapi_json() -> bytes:
    return orjson.dumps(_openapi_spec())


async def _openapi_doc(request: Request) -> Response:
    # Served here, not by connexion, which deep-copies and re-serializes the whole spec
    # (~0.3-1 s of blocked event loop) on every request: anyone could stall the server.
    return Response(_openapi_json(), media_type="application/json")


async def _asyncapi_doc(request: Request) -> Response:
    return FileResponse(SPECS_DIR / "asyncapi.yaml", media_type="text/yaml; charset=utf-8")


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    overrides: Mapping[str, Handler] | None = None,
    websocket_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """
    The whole server as one ASGI app.

    Args:
        settings: defaults to `get_settings()`.
        runtime: an already opened runtime to serve with (tests that own their database);
            the lifespan then neither opens nor closes it. Otherwise the lifespan opens one
            from `settings` and closes it on shutdown.
        overrides: operationId -> handler instead of the catalog's (tests).
        websocket_routes: extra websocket routes, after the realtime channels
            (`watchparty.realtime.router.WebSocketApp`; websocket scopes never reach HTTP).
    """
    settings = settings or get_settings()
    api = _shared_api(settings.validate_responses, tuple(sorted((overrides or {}).items())))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        build_now(api)
        if runtime is not None:
            app.state.runtime = runtime
            yield
            return
        async with open_runtime(settings, job_bus=True) as opened:
            app.state.runtime = opened
            yield

    app = _App(
        WebSocketApp([*realtime_routes(), *websocket_routes]),
        exception_handlers={404: outer_not_found},
        routes=[
            Route(OPENAPI_PATH, _openapi_doc, methods=["GET"]),
            *realtime_docs_routes(),
            *demo_routes(),
            Route(MEDIA_ROUTE_PATH, media_endpoint, methods=["GET", "HEAD"]),
            *([Route(METRICS_PATH, metrics_endpoint)] if settings.metrics_enabled else []),
            Mount("/", app=api),
        ],
        middleware=[
            Middleware(RequestContextMiddleware, metrics=settings.metrics_enabled),
            *cors_middleware(settings.allowed_origins),
            Middleware(SecurityHeadersMiddleware),
            Middleware(BodyLimitMiddleware, limit=settings.max_json_body_bytes),
            Middleware(RuntimeMiddleware),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.api = api
    return app


class _App(Starlette):
    """Starlette for HTTP; websocket scopes go straight to the realtime channels.

    Past the HTTP middleware chain and router, whose frames each open socket would keep
    (`watchparty.realtime.router.WebSocketApp`: what it does instead).
    """

    def __init__(self, websockets: WebSocketApp, **options: Any) -> None:
        super().__init__(**options)
        self.websockets = websockets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope["app"] = self
            await self.websockets(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def serve_app() -> Starlette:
    """The app `watchparty serve` runs in each process: logging configured, then `create_app`.

    What exists once the app is built (modules, specs, routes, models) lives as long as the
    process: it is moved out of the garbage collector's sight (`gc.freeze`), so a full
    collection scans only what requests and sockets made since (with 1,000 sockets open a
    full collection took 120-230 ms, every socket's frames waiting; docs/benchmarks.md).
    """
    from watchparty.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    app = create_app(settings)
    gc.collect()
    gc.freeze()
    return app
