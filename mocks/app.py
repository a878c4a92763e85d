"""The mock server: every operation of specs/openapi.yaml and every channel of
specs/asyncapi.yaml, without a database (issue 4; user's guide in docs/mock.md).

Built from the real server's own pieces so that the two can never disagree on the edges:
connexion over the same spec, the real request validators (`watchparty.validation`) and
error rendering (`watchparty.problems`), so a bad request gets byte for byte the real 400,
a missing token the real 401. What differs is swapped in, not copied: the resolver binds
every operation to `mocks.engine`, and the spec copy names `mocks.security.bearer_info`
(token shape only) as `x-bearerInfoFunc`. Responses are always validated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from connexion import AsyncApp
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolution, Resolver
from connexion.spec import Specification
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from mocks.chat_link import link_chat
from mocks.engine import MockEngine
from mocks.prefer import PreferMiddleware
from mocks.security import BEARER_INFO_FUNC, accept_tokens
from mocks.spec import load_asyncapi, load_openapi_shared
from mocks.ws import MockRealtime
from watchparty.cors import cors_middleware
from watchparty.problems import install_error_handlers, middlewares, outer_not_found
from watchparty.validation import VALIDATOR_MAP

__all__ = ["create_mock_app", "MockResolver", "RESET_PATH", "DOCS_PATH", "OPENAPI_PATH"]

RESET_PATH = "/__mock/reset"
# Same addresses as the real server (watchparty.app), so tools point at either unchanged.
DOCS_PATH = "/api/docs"
OPENAPI_PATH = "/api/openapi.json"


class MockResolver(Resolver):
    """Binds every operationId to the mock engine (no handler modules involved)."""

    def __init__(self, engine: MockEngine) -> None:
        super().__init__()
        self.engine = engine

    def resolve(self, operation: Any) -> Resolution:
        op_id: str = operation.operation_id
        return Resolution(self.engine.handler(op_id), op_id)


@contextmanager
def _spec_already_validated() -> Iterator[None]:
    """
    Skip connexion's meta-schema check of the spec while the mock's API is added.

    The check costs ~0.8 s, most of the mock's start-up budget (issue 4: under 1 s), and
    proves nothing new: specs/openapi.yaml is generated and validated by the test suite
    (tests/specs/test_openapi.py) and `watchparty gen --check` in CI.
    """
    original = Specification.__dict__["_validate_spec"]
    Specification._validate_spec = classmethod(lambda cls, spec: None)
    try:
        yield
    finally:
        Specification._validate_spec = original


def _party_lookup(engine: MockEngine) -> Callable[[str], bool] | None:
    """In stateful mode a party socket needs a stored party (else 4404), like the server."""
    store = engine.store
    parties = next((c for c in engine.creators.values() if c.param == "partyId"), None)
    if store is None or parties is None:
        return None
    return lambda party_id: store.get(parties.path, party_id) is not None


def create_mock_app(
    *,
    seed: int = 0,
    stateful: bool = False,
    delay_ms: int = 0,
    dynamic: bool = False,
    ws_events_secs: float = 0.0,
    validate_responses: bool = True,
    cors_origins: Sequence[str] = ("*",),
) -> Starlette:
    """
    The mock as one ASGI app: WebSocket routes first, then the REST API (DESIGN §5).

    Args:
        seed: same seed, same dynamic bodies, ids and cursors (byte for byte).
        stateful: POSTs create what later GET/list/PATCH/DELETE see; `POST /__mock/reset`
            forgets it.
        delay_ms: latency added to every API call (`Prefer: delay=` overrides it).
        dynamic: generated bodies by default instead of the spec examples.
        ws_events_secs: every so many seconds, push a sample server event to each socket
            (0: never).
        validate_responses: keep on; only a benchmark of the validation cost turns it off.
        cors_origins: origins CORS allows (default any, echoed: a frontend on any dev port
            works, with credentials); empty for none.
    """
    # Copy only the path to what changes: the rest is shared, connexion deep-copies it anyway.
    shared = load_openapi_shared()
    schemes = shared["components"]["securitySchemes"]
    spec = {
        **shared,
        "components": {
            **shared["components"],
            "securitySchemes": {
                **schemes,
                "bearerAuth": {**schemes["bearerAuth"], "x-bearerInfoFunc": BEARER_INFO_FUNC},
            },
        },
    }
    accept_tokens(spec)
    engine = MockEngine(spec, seed=seed, stateful=stateful, dynamic=dynamic)
    asyncapi = load_asyncapi()
    realtime = MockRealtime(
        asyncapi,
        seed=seed,
        ws_events_secs=ws_events_secs,
        party_exists=_party_lookup(engine),
    )
    link_chat(engine, realtime, asyncapi)

    api = AsyncApp(
        __name__,
        middlewares=middlewares(),
        validator_map=VALIDATOR_MAP,
        swagger_ui_options=SwaggerUIOptions(spec_path=OPENAPI_PATH, swagger_ui_path=DOCS_PATH),
    )
    with _spec_already_validated():
        api.add_api(spec, resolver=MockResolver(engine), validate_responses=validate_responses)
    install_error_handlers(api)

    async def reset(request: Request) -> Response:
        if engine.store is not None:
            engine.store.reset()
        realtime.reset()
        return Response(status_code=204)

    async def info(request: Request) -> Response:
        return JSONResponse(
            {
                "operations": len(engine.ops),
                "served": dict(engine.served),
                "channels": len(realtime.channels),
                "seed": seed,
                "stateful": stateful,
                "dynamic": dynamic,
            }
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with realtime.running():
            yield

    app = Starlette(
        exception_handlers={404: outer_not_found},
        routes=[
            Route(RESET_PATH, reset, methods=["POST"]),
            Route("/__mock/", info, methods=["GET"]),
            *realtime.routes(),
            Mount("/", app=api),
        ],
        middleware=[
            *cors_middleware(cors_origins),
            Middleware(PreferMiddleware, delay_ms=delay_ms),
        ],
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.realtime = realtime
    return app
