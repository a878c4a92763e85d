"""Render every error in the shapes of DESIGN §3, never problem+json.

One handler per exception family, installed on connexion's ExceptionMiddleware:
- our `APIError`s (raised by handlers, services, validators and the throttle wrapper);
- connexion's `ProblemException`s (security 401, 415, response validation, leftovers);
- starlette's `HTTPException` (routing 404/405, connexion's `Forbidden`);
- the database unreachable (down, restarting): 503 `service_unavailable` with `Retry-After`;
- anything else: 500 `server_error`, traceback logged, never sent.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from connexion import AsyncApp
from connexion.exceptions import OAuthProblem, ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from generated.operations import OPERATIONS
from watchparty import errors
from watchparty.db import database_unavailable

__all__ = [
    "install_error_handlers",
    "outer_not_found",
    "middlewares",
    "error_response",
    "allowed_methods",
    "SERVER_ERROR",
]

logger = logging.getLogger("watchparty.errors")

SERVER_ERROR = errors.APIError()
DATABASE_DOWN = "The database is unavailable; retry later."
# What a client is told to wait before retrying while the database is down.
DATABASE_RETRY_AFTER_SECS = 5
_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# A path parameter as `re.escape` leaves it: `\{partyId\}`.
_PATH_PARAM = re.compile(r"\\\{[^}]*\\\}")
# connexion's wording for "no credentials at all", as opposed to bad ones.
_NO_TOKEN_DETAIL = "No authorization token provided"
# One error class per status answers what `code` and default detail a bare status gets.
_BY_STATUS: dict[int, type[errors.APIError]] = {
    cls.status_code: cls
    for cls in (
        errors.ParseError,
        errors.AuthenticationFailed,
        errors.PaymentRequired,
        errors.PermissionDenied,
        errors.NotFound,
        errors.MethodNotAllowed,
        errors.Conflict,
        errors.Gone,
        errors.PayloadTooLarge,
        errors.UnsupportedMediaType,
        errors.NotImplementedYet,
        errors.ServiceUnavailable,
    )
}


def error_response(
    status: int, body: object, headers: Mapping[str, str] | None = None
) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        body=json.dumps(body, ensure_ascii=False).encode(),
        headers=dict(headers or {}),
    )


def _render(exc: errors.APIError, headers: Mapping[str, str] | None = None) -> ConnexionResponse:
    merged = {**(headers or {}), **exc.headers}
    if exc.status_code == 401:
        # RFC 7235: a 401 names the scheme that would work.
        merged.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return error_response(exc.status_code, exc.body(), merged)


def _for_status(status: int) -> errors.APIError:
    """Our error for a framework status. Framework wording ("Not Found", werkzeug's 403
    paragraph) is not written for our clients, so the detail is always ours."""
    cls = _BY_STATUS.get(status)
    if cls is not None:
        return cls()
    err = errors.APIError(code="error")
    err.status_code = status
    return err


def _server_error(request: ConnexionRequest, exc: BaseException, what: str) -> ConnexionResponse:
    logger.error("%s on %s %s: %r", what, request.method, request.url.path, exc, exc_info=exc)
    return _render(SERVER_ERROR)


async def api_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, errors.APIError)
    # Deliberate 5xx answers (501, 503) are rendered as they are; any other is a bug.
    if exc.status_code >= 500 and not isinstance(
        exc, errors.NotImplementedYet | errors.ServiceUnavailable
    ):
        return _server_error(request, exc, "Server error")
    return _render(exc)


async def problem(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, ProblemException)
    if exc.status_code == 401:
        missing = isinstance(exc, OAuthProblem) and exc.detail == _NO_TOKEN_DETAIL
        err: errors.APIError = (
            errors.NotAuthenticated() if missing else errors.AuthenticationFailed()
        )
        return _render(err)
    if exc.status_code == 415:
        mime = request.headers.get("content-type", "").split(";")[0].strip()
        return _render(errors.UnsupportedMediaType(f'Unsupported media type "{mime}" in request.'))
    if exc.status_code == 400:
        # connexion's own 400s that our validators do not replace (strict form checks).
        return _render(errors.ValidationFailed.non_field(str(exc.detail or "Invalid input.")))
    if exc.status_code >= 500 and exc.status_code != 501:
        # Response validation lands here: a handler answered off-spec. Loud in logs, opaque
        # to the client.
        return _server_error(request, exc, f"{type(exc).__name__} ({exc.detail})")
    return _render(_for_status(exc.status_code), exc.headers)


async def http_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code >= 500:
        return _server_error(request, exc, "HTTP error")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Routing has a route per operation and its 405 names the methods of the first one
        # whose path matched (`GET` for `PATCH /api/auth/me/`); the resource has them all.
        allowed = allowed_methods(request.url.path)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return _render(_for_status(exc.status_code), headers)


def allowed_methods(path: str) -> list[str]:
    """The methods the catalog serves on `path`, HEAD with GET (as routing does); [] if none.

    A literal path wins over a template it also matches (`/api/videos/upload/` over
    `/api/videos/{videoId}/`), as it names its own resource.
    """
    for pattern, methods in _methods_by_path():
        if pattern.fullmatch(path):
            return methods
    return []


@functools.cache
def _methods_by_path() -> list[tuple[re.Pattern[str], list[str]]]:
    by_path: dict[str, set[str]] = {}
    for info in OPERATIONS.values():
        by_path.setdefault(info.path, set()).add(info.method)
    table = []
    for path in sorted(by_path, key=lambda p: (p.count("{"), p)):
        methods = by_path[path] | ({"HEAD"} if "GET" in by_path[path] else set())
        pattern = re.compile(_PATH_PARAM.sub("[^/]+", re.escape(path)))
        table.append((pattern, [m for m in _METHOD_ORDER if m in methods]))
    return table


async def unhandled(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if database_unavailable(exc):
        # An outage, not a bug: one clear line, no traceback, and a 503 the client may retry.
        logger.error(
            "the database is unavailable on %s %s: %r", request.method, request.url.path, exc
        )
        headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECS)}
        return _render(errors.ServiceUnavailable(DATABASE_DOWN, headers=headers))
    return _server_error(request, exc, "Unhandled exception")


class ResourceMethodMiddleware:
    """405 with `Allow` for a method the addressed resource lacks, before authentication.

    Routing matches a template (`/api/videos/{videoId}/`) for a path that is another
    resource's own (`/api/videos/upload/`), so `GET /api/videos/upload/` would reach getVideo
    and answer its uuid 400, or its 401, instead of the resource's 405.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            allowed = allowed_methods(scope["path"])
            if allowed and scope["method"] not in allowed:
                raise errors.MethodNotAllowed(headers={"Allow": ", ".join(allowed)})
        await self.app(scope, receive, send)


def middlewares() -> list[Any]:
    """connexion's middleware stack, its outermost last-resort handler answering in our shape,
    and the resource's 405 checked before routing picks an operation.

    That handler only sees what escapes the handlers above (a bug in them, or an error after
    the response started); it answers like `unhandled` instead of with problem+json.
    """
    stack: list[Any] = list(ConnexionMiddleware.default_middlewares)
    stack[stack.index(ServerErrorMiddleware)] = functools.partial(
        ServerErrorMiddleware, handler=unhandled
    )
    stack.insert(stack.index(RoutingMiddleware), ResourceMethodMiddleware)
    return stack


async def outer_not_found(request: Request, exc: Exception) -> Response:
    """404 of the outer router, in the API's shape.

    Paths the `/` mount cannot match (a `%0A` in a segment) end there, whose 404 is text.
    """
    return Response(
        json.dumps(errors.NotFound().body(), ensure_ascii=False).encode(),
        status_code=404,
        media_type="application/json",
    )


def install_error_handlers(api: AsyncApp) -> None:
    """Register the handlers; starlette picks the most specific class in the MRO.

    They are coroutines so connexion runs them on the loop, not in its thread pool.
    """
    api.add_error_handler(errors.APIError, api_error)
    api.add_error_handler(ProblemException, problem)
    api.add_error_handler(HTTPException, http_exception)
    api.add_error_handler(Exception, unhandled)
