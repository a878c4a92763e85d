"""PostgreSQL restarted under a running server: 503 `{detail, code}` while it is down (never a
500), readiness names the database, and the same process serves again once it is back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.faults.conftest import Serve, make_joined_party, serve_env
from tests.utils.private_services import PrivatePostgres
from watchparty.db import Database
from watchparty.settings import Settings

RECOVERY_TIMEOUT_SECS = 20.0


async def _requests(http: httpx.AsyncClient, party_id: object) -> list[httpx.Response]:
    """A read, a list, a write through the group commit, and a login: all need the database."""
    return [
        await http.get("/api/auth/me/"),
        await http.get("/api/parties/"),
        await http.post(f"/api/chat/{party_id}/messages/send/", json={"content": "hello"}),
        await http.post("/api/auth/login/", json={"email": "x@example.com", "password": "p" * 12}),
    ]


async def test_postgres_restart_answers_503_then_recovers(
    private_pg: tuple[PrivatePostgres, Settings], tmp_path: Path, servers: list[Serve]
) -> None:
    pg, settings = private_pg
    server = Serve(serve_env(settings), tmp_path)
    servers.append(server)
    server.start()
    db = await Database.open(settings)
    try:
        party = await make_joined_party(db, settings, server.url)
    finally:
        await db.close()
    async with httpx.AsyncClient(
        base_url=server.url, headers=party.guest.headers, timeout=15
    ) as http:
        assert (await http.get("/api/health/ready/")).status_code == 200
        assert all(r.status_code < 500 for r in await _requests(http, party.id))

        pg.stop()
        for response in [*await _requests(http, party.id), *await _requests(http, party.id)]:
            assert response.status_code == 503, (response.request.url, response.text)
            assert response.json() == {
                "detail": "The database is unavailable; retry later.",
                "code": "service_unavailable",
            }
            assert response.headers["Retry-After"].isdigit()
        ready = await http.get("/api/health/ready/")
        assert ready.status_code == 503
        assert ready.json()["detail"] == "Not ready: database unreachable."
        assert not [line for line in server.errors() if "Traceback" in str(line)]
        assert any("database is unavailable" in line["event"] for line in server.logs())

        pg.start()
        deadline = time.monotonic() + RECOVERY_TIMEOUT_SECS
        while (await http.get("/api/health/ready/")).status_code != 200:
            assert time.monotonic() < deadline, "readiness did not recover"
            await asyncio.sleep(0.2)
        me, parties, sent, login = await _requests(http, party.id)
        assert (me.status_code, parties.status_code, sent.status_code) == (200, 200, 201), sent.text
        assert login.status_code == 401  # a wrong password again, not an outage
    assert server.proc is not None and server.proc.poll() is None  # the same process
