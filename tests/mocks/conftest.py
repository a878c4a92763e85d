"""Fixtures for the mock server tests: in-process clients and a real uvicorn server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from mocks.app import create_mock_app

BASE_URL = "http://testserver"
MockClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@asynccontextmanager
async def _client(**options: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_mock_app(**options)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
def mock_client() -> MockClient:
    """`async with mock_client(seed=1, stateful=True) as client:` over a fresh mock app."""
    return _client


@pytest.fixture
async def mock_http() -> AsyncIterator[httpx.AsyncClient]:
    """A client of a stateless examples-mode mock (seed 0)."""
    async with _client(seed=0) as http:
        yield http


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[str]:
    """Run `app` under a real uvicorn on a free loopback port; yields `host:port`."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio", lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def live_mock() -> AsyncIterator[str]:
    """A stateless mock (seed 0) on a real socket."""
    async with serve(create_mock_app(seed=0)) as address:
        yield address
