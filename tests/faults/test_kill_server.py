"""kill -9 the server during a chat burst: every acknowledged message is in the database.

Acknowledged means a REST 201 (or 200 for a retry) or, over `/ws/chat/`, the sender's own
`message.created` echo with its `client_id`. Chat goes through a group commit
(`watchparty.services.group_commit`): acknowledgements must only follow its commit. Runs on
the SQLite file and on PostgreSQL (the `settings` fixture's two backends).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path

import httpx
import orjson
import sqlalchemy as sa
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from tests.faults.conftest import Party, Serve, make_joined_party, serve_env
from tests.utils.factories import Session
from watchparty.db import Database
from watchparty.settings import Settings
from watchparty.tables import ChatMessage

REST_SENDERS = 3
# Kill once this many messages were acknowledged on each path ...
KILL_AFTER_ACKS = {"rest": 40, "ws": 150}
# ... or after this long, whichever comes first.
KILL_AFTER_SECS = 10.0
_DOWN = (httpx.TransportError, OSError, WebSocketException, asyncio.TimeoutError)


class Acks:
    def __init__(self) -> None:
        self.rest: dict[str, str] = {}  # client_id -> message id
        self.ws: dict[str, str] = {}
        self.enough = asyncio.Event()

    def add(self, into: dict[str, str], client_id: str, message_id: str) -> None:
        into[client_id] = message_id
        if len(self.rest) >= KILL_AFTER_ACKS["rest"] and len(self.ws) >= KILL_AFTER_ACKS["ws"]:
            self.enough.set()


async def _rest_sender(url: str, party: Party, who: Session, tag: str, acks: Acks) -> None:
    path = f"/api/chat/{party.id}/messages/send/"
    async with httpx.AsyncClient(base_url=url, headers=who.headers, timeout=5) as http:
        for n in range(100_000):
            client_id = f"{tag}-{n}"
            try:
                sent = await http.post(path, json={"content": client_id, "client_id": client_id})
            except _DOWN:
                return
            assert sent.status_code in (200, 201), sent.text
            body = sent.json()
            assert body["client_id"] == client_id
            acks.add(acks.rest, client_id, body["id"])


async def _ws_sender(ws_url: str, party: Party, who: Session, acks: Acks) -> None:
    """Pipelines sends (the group commit batches them) and reads the echoes meanwhile."""
    async with connect(f"{ws_url}/ws/chat/{party.id}/?token={who.access}") as ws:

        async def write() -> None:
            for n in range(100_000):
                frame = {
                    "type": "message.send",
                    "payload": {"content": "ws", "client_id": f"ws-{n}"},
                }
                await ws.send(orjson.dumps(frame).decode())
                if n % 10 == 9:
                    await asyncio.sleep(0.02)  # let REST requests and the echoes through

        writer = asyncio.create_task(write())
        try:
            async for raw in ws:
                frame = orjson.loads(raw)
                assert frame["type"] != "error", frame
                payload = frame.get("payload", {})
                if (
                    frame["type"] == "message.created"
                    and payload.get("author", {}).get("id") == who.user["id"]
                ):
                    acks.add(acks.ws, payload["client_id"], payload["id"])
        except ConnectionClosed as exc:
            # Cut by the kill; a close frame would be the server refusing the burst.
            assert exc.rcvd is None, f"the server closed the socket: {exc.rcvd}"
        except _DOWN:
            return
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, *_DOWN):
                await writer


async def _stored(db: Database, party_id: uuid.UUID) -> dict[str, str]:
    async with db.session() as session:
        rows = await session.exec(
            sa.select(ChatMessage.client_id, ChatMessage.id).where(  # type: ignore[call-overload]
                ChatMessage.party_id == party_id
            )
        )
        return {client_id: str(id_) for client_id, id_ in rows.all()}


async def test_acknowledged_chat_survives_kill_9(
    db: Database, settings: Settings, tmp_path: Path, servers: list[Serve]
) -> None:
    # Frame limits above the burst's rate: abuse limits are tested in tests/realtime.
    env = serve_env(
        settings, WATCHPARTY_WS_FRAMES_PER_SECOND="5000", WATCHPARTY_WS_FRAME_BURST="5000"
    )
    server = Serve(env, tmp_path)
    servers.append(server)
    server.start()
    party = await make_joined_party(db, settings, server.url)
    acks = Acks()
    senders = [
        asyncio.create_task(
            _rest_sender(server.url, party, (party.host, party.guest)[i % 2], f"rest{i}", acks)
        )
        for i in range(REST_SENDERS)
    ]
    senders.append(asyncio.create_task(_ws_sender(server.ws_url, party, party.guest, acks)))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(acks.enough.wait(), KILL_AFTER_SECS)
    for task in senders:  # a sender that failed fails the test here, not after the kill
        if task.done():
            task.result()
    server.kill()
    await asyncio.wait_for(asyncio.gather(*senders), 15)
    assert acks.rest and acks.ws, "the burst did not reach both paths before the kill"

    server.start()
    stored = await _stored(db, party.id)
    for path, acked in (("REST", acks.rest), ("WS", acks.ws)):
        lost = {c: i for c, i in acked.items() if stored.get(c) != i}
        assert not lost, f"{len(lost)} of {len(acked)} acknowledged {path} messages lost: {lost}"
    # The restarted server serves them: the newest acknowledged REST message is listed.
    async with httpx.AsyncClient(base_url=server.url, headers=party.host.headers) as http:
        page = await http.get(f"/api/chat/{party.id}/messages/", params={"page_size": 100})
        assert page.status_code == 200, page.text
        listed = {m["id"] for m in page.json()["results"]}
    assert listed and listed <= set(stored.values())
