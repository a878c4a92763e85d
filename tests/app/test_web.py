"""Running it for real (issue 11): health probes, request ids and logs, metrics, CORS,
security headers and the JSON body limit, on the real app over its SQLite database."""

from __future__ import annotations

import io
import json
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.datastructures import Headers

from tests.conftest import make_settings
from watchparty.app import create_app
from watchparty.cors import origin_allowed
from watchparty.db import Database
from watchparty.logs import REDACTED, log_formatter, redact
from watchparty.runtime import Runtime
from watchparty.settings import Settings

BASE = "http://testserver"


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


@asynccontextmanager
async def _client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            yield client


async def _chunks(payload: bytes, size: int = 64) -> AsyncIterator[bytes]:
    for i in range(0, len(payload), size):
        yield payload[i : i + size]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


# --- health ---------------------------------------------------------------------------------


async def test_liveness_and_readiness(http: httpx.AsyncClient) -> None:
    live = await http.get("/api/health/live/")
    assert live.status_code == 200 and live.json() == {"status": "ok", "checks": {}}
    ready = await http.get("/api/health/ready/")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_readiness_names_what_is_down(tmp_path: Path) -> None:
    # Redis and the broker vanished after start-up: the runtime is opened by hand, since
    # `open_runtime` itself refuses to start without them.
    port = _closed_port()
    settings = make_settings(
        tmp_path,
        redis_url=f"redis://127.0.0.1:{port}/0",
        amqp_url=f"amqp://guest:guest@127.0.0.1:{port}/",
    ).prepare()
    db = await Database.open(settings)
    await db.migrate()
    rt = Runtime(settings=settings, db=db, throttler=None, mailer=None)  # type: ignore[arg-type]
    application = create_app(settings, runtime=rt)
    try:
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
                ready = await client.get("/api/health/ready/")
                assert ready.status_code == 503
                assert ready.json() == {
                    "detail": "Not ready: redis, amqp unreachable.",
                    "code": "service_unavailable",
                }
                assert (await client.get("/api/health/live/")).status_code == 200
    finally:
        await db.close()


# --- request ids, security headers, logs ----------------------------------------------------


async def test_request_ids_are_made_or_echoed(http: httpx.AsyncClient) -> None:
    made = await http.get("/api/health/live/")
    assert len(made.headers["x-request-id"]) == 32
    echoed = await http.get("/api/health/live/", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    forged = await http.get("/api/health/live/", headers={"X-Request-ID": "a b\r\nX: y"})
    assert forged.headers["x-request-id"] != "a b\r\nX: y"
    assert len(forged.headers["x-request-id"]) == 32


async def test_security_headers_on_answers_and_errors(http: httpx.AsyncClient) -> None:
    for response in (await http.get("/api/health/live/"), await http.get("/api/nowhere/")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """The JSON lines the request logger writes, through the production formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log_formatter(as_json=True))
    logger = logging.getLogger("watchparty.requests")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_request_log_line(
    http: httpx.AsyncClient, request_log: io.StringIO, auth_headers: Callable[..., dict[str, str]]
) -> None:
    headers = {**auth_headers(), "X-Request-ID": "req-1"}
    response = await http.get("/api/auth/me/?token=secret-in-query", headers=headers)
    assert response.status_code == 401  # no user row behind this token
    lines = [json.loads(line) for line in request_log.getvalue().splitlines()]
    line = next(entry for entry in lines if entry.get("request_id") == "req-1")
    assert line["event"] == "request" and line["level"] == "info"
    assert line["operation_id"] == "getMe" and line["status"] == 401
    assert line["method"] == "GET" and line["path"] == "/api/auth/me/"
    assert "secret-in-query" not in request_log.getvalue()
    assert headers["Authorization"].split()[1] not in request_log.getvalue()


async def test_lines_written_inside_an_operation_name_it(
    settings: Settings, request_log: io.StringIO
) -> None:
    async def live(**_: object) -> tuple[dict[str, object], int]:
        logging.getLogger("watchparty.requests").info("checking in")
        return {"status": "ok", "checks": {}}, 200

    application = create_app(settings, overrides={"getLiveness": live})
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            await client.get("/api/health/live/", headers={"X-Request-ID": "inside-1"})
    lines = [json.loads(line) for line in request_log.getvalue().splitlines()]
    inside = next(entry for entry in lines if entry["event"] == "checking in")
    assert (inside["operation_id"], inside["request_id"]) == ("getLiveness", "inside-1")


def test_redaction_of_secret_keys_and_tokens() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    event = redact(
        None,
        "info",
        {
            "event": f"login with {jwt}",
            "password": "hunter2",
            "body": {"refresh": "r", "title": "ok", "nested": [{"secret_key": "s"}]},
        },
    )
    assert event == {
        "event": f"login with {REDACTED}",
        "password": REDACTED,
        "body": {"refresh": REDACTED, "title": "ok", "nested": [{"secret_key": REDACTED}]},
    }


# --- metrics --------------------------------------------------------------------------------


def _sample(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_count_requests_per_operation(http: httpx.AsyncClient) -> None:
    series = 'watchparty_http_requests_total{method="GET",operation="getLiveness",status="200"}'
    before = _sample((await http.get("/metrics")).text, series)
    for _ in range(3):
        await http.get("/api/health/live/")
    after = (await http.get("/metrics")).text
    assert _sample(after, series) == before + 3
    assert (
        'watchparty_http_request_duration_seconds_bucket{le="0.005",operation="getLiveness"}'
        in after
    )
    unmatched = 'watchparty_http_requests_total{method="GET",operation="unmatched",status="404"}'
    await http.get("/api/nowhere/")
    assert _sample((await http.get("/metrics")).text, unmatched) >= 1


# --- body limit -----------------------------------------------------------------------------


async def test_json_bodies_over_the_limit_are_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_json_body_bytes=200, throttle_enabled=False)
    refusal = {"detail": "The request body is larger than 200 bytes.", "code": "payload_too_large"}
    async with _client_for(settings) as client:
        small = await client.post("/api/auth/login/", json={"email": "a@b.co", "password": "x"})
        assert small.status_code == 401  # reached the handler
        big = json.dumps({"email": "a@b.co", "password": "x" * 300}).encode()
        declared = await client.post(
            "/api/auth/login/", content=big, headers={"Content-Type": "application/json"}
        )
        assert declared.status_code == 413 and declared.json() == refusal
        streamed = await client.post(  # no Content-Length: counted as it arrives
            "/api/auth/login/", content=_chunks(big), headers={"Content-Type": "application/json"}
        )
        assert streamed.status_code == 413 and streamed.json() == refusal


# --- CORS -----------------------------------------------------------------------------------


async def test_cors_for_configured_origins_only(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, cors_origins="https://app.example, https://b.example/")
    async with _client_for(settings) as client:
        preflight = await client.options(
            "/api/auth/me/",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "Authorization, Content-Type",
            },
        )
        assert preflight.status_code == 200  # answered without a token
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        assert preflight.headers["access-control-allow-credentials"] == "true"
        assert "PATCH" in preflight.headers["access-control-allow-methods"]
        answer = await client.get("/api/health/live/", headers={"Origin": "https://b.example"})
        assert answer.headers["access-control-allow-origin"] == "https://b.example"
        exposed = answer.headers["access-control-expose-headers"]
        assert {"Retry-After", "Location", "X-Request-ID"} <= set(exposed.split(", "))
        foreign = await client.get("/api/health/live/", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in foreign.headers


async def test_no_cors_unless_configured(http: httpx.AsyncClient) -> None:
    answer = await http.get("/api/health/live/", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in answer.headers


def test_websocket_origin_check() -> None:
    allowed = ("https://app.example",)

    def check(**headers: str) -> bool:
        return origin_allowed(Headers(headers=headers), allowed)

    assert check(host="api.example")  # no Origin: not a browser
    assert check(host="api.example", origin="https://app.example")
    assert check(host="api.example", origin="https://api.example")  # same origin
    assert not check(host="api.example", origin="https://evil.example")
    assert origin_allowed(Headers(headers={"origin": "https://x.example"}), ("*",))
