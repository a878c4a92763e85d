"""CPU per request of each layer of `GET /api/auth/me/`, in-process (for docs/benchmarks.md).

    python bench/asgi_parts.py [--requests 3000] [--repeat 5]

The apps are called as ASGI callables, with no server and no socket, one request at a time,
so the figure is the CPU our Python code spends per request, free of network and scheduling
noise (CPU time is far steadier than throughput on a shared machine). Each row adds one layer:

1. bare Starlette returning the JSON (bench/bare_app.py's route);
2. our app (connexion) with `getMe` replaced by a handler returning that JSON: routing,
   security (the JWT check), request and response validation, error middleware;
3. the same with `validate_responses=False`;
4. our app as shipped: the real handler, so + the session and the user query;
5. our getMe work on bare Starlette (bench/starlette_me.py): JWT + session + query, no connexion.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rest import PATH, USER  # noqa: E402  (bench/rest.py)

from watchparty.app import create_app  # noqa: E402
from watchparty.settings import Settings  # noqa: E402

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Message, Receive, Send], Awaitable[None]]


async def request(
    app: ASGI, method: str, path: str, *, token: str | None = None, body: bytes = b""
) -> tuple[int, bytes]:
    headers = [(b"host", b"bench"), (b"content-type", b"application/json")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope: Message = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    sent = False
    status, chunks = 0, []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # a real client stays connected
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[Starlette]:
    async with app.router.lifespan_context(app):
        yield app


def static_app(me: dict[str, Any]) -> Starlette:
    async def endpoint(_: Request) -> JSONResponse:
        return JSONResponse(me)

    return Starlette(routes=[Route(PATH, endpoint)])


async def cpu_us_per_request(app: ASGI, token: str, *, requests: int) -> float:
    for _ in range(50):
        status, _ = await request(app, "GET", PATH, token=token)
        assert status == 200, status
    start = time.process_time()
    for _ in range(requests):
        await request(app, "GET", PATH, token=token)
    return (time.process_time() - start) / requests * 1e6


async def run(data_dir: Path, requests: int, repeat: int) -> None:
    settings = Settings(data_dir=data_dir)
    async with lifespan(create_app(settings)) as shipped:
        status, body = await request(
            shipped, "POST", "/api/auth/register/", body=json.dumps(USER).encode()
        )
        assert status == 201, body
        token = json.loads(body)["access"]
        _, body = await request(shipped, "GET", PATH, token=token)
        me = json.loads(body)

        async def static_handler(**_: Any) -> tuple[dict[str, Any], int]:
            return me, 200

        os.environ["WATCHPARTY_DATA_DIR"] = str(data_dir)  # bench/starlette_me.py reads it
        from starlette_me import app as starlette_me  # noqa: PLC0415

        quiet = Settings(data_dir=data_dir, validate_responses=False)
        async with contextlib.AsyncExitStack() as stack:
            apps: dict[str, ASGI] = {
                "1. bare Starlette, static JSON": static_app(me),
                "2. connexion stack, static handler": await stack.enter_async_context(
                    lifespan(create_app(settings, overrides={"getMe": static_handler}))
                ),
                "3. (2) with validate_responses=False": await stack.enter_async_context(
                    lifespan(create_app(quiet, overrides={"getMe": static_handler}))
                ),
                "4. our app as shipped (+ session, user query)": shipped,
                "5. our getMe work on bare Starlette": await stack.enter_async_context(
                    lifespan(starlette_me)
                ),
            }
            results: dict[str, list[float]] = {name: [] for name in apps}
            # Rounds over every app: a burst of load elsewhere skews one round, not one app.
            for _ in range(repeat):
                for name, app in apps.items():
                    results[name].append(await cpu_us_per_request(app, token, requests=requests))
    print(f"\nGET {PATH} in-process: CPU microseconds per request, median of {repeat} rounds")
    for name, values in results.items():
        print(f"  {name:<48} {statistics.median(values):>8.0f}   {[round(v) for v in values]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per app and round")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watchparty-asgi-") as tmp:
        asyncio.run(run(Path(tmp) / "var", args.requests, args.repeat))


if __name__ == "__main__":
    main()
