"""A control for bench/rest.py: our `getMe` work (JWT check, user query, JSON) on bare Starlette.

It calls the same functions our handler does (`decode_access_token`, `current_user`,
`user_json`) on the same runtime (settings, database), but without connexion: no routing
by spec, no security middleware, no request or response validation. The gap between this
and the full stack is the framework's share; the gap between this and bench/bare_app.py is
the share of our own auth and database work.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from watchparty.auth.tokens import decode_access_token
from watchparty.db import utcnow
from watchparty.deps import current_user
from watchparty.errors import APIError
from watchparty.runtime import Runtime, open_runtime
from watchparty.services.users import user_json
from watchparty.settings import get_settings

__all__ = ["app"]


async def me(request: Request) -> JSONResponse:
    rt: Runtime = request.app.state.runtime
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        claims = decode_access_token(token, settings=rt.settings)
    except jwt.InvalidTokenError:
        return JSONResponse({"detail": "bad token", "code": "authentication_failed"}, 401)
    try:
        async with rt.db.session() as session:
            user = await current_user(claims, session=session)
    except APIError as exc:
        return JSONResponse(exc.body(), exc.status_code)
    return JSONResponse(user_json(user, now=utcnow()))


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    async with open_runtime(get_settings()) as rt:
        app.state.runtime = rt
        yield


app = Starlette(routes=[Route("/api/auth/me/", me)], lifespan=lifespan)
