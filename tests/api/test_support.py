"""Support tickets over the API (issue 7): create, thread, status rules, attachments (limits and
type sniffing, stored in the storage backend), close, the staff queue and notifications both
ways, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from tests.utils.factories import Session, login, make_user
from watchparty.db import Database
from watchparty.settings import Settings
from watchparty.storage import open_storage
from watchparty.tables import Notification, SupportAttachment

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
TICKET = {"subject": "Upload stuck", "category": "upload", "body": "It is stuck at probing."}


@dataclass
class Cast:
    user: Session
    other: Session
    mod: Session
    admin: Session


@pytest.fixture
async def cast(client: httpx.AsyncClient, db: Database, settings: Settings) -> Cast:
    async def person(role: str = "user") -> Session:
        return await login(client, await make_user(db, settings, role=role))

    return Cast(
        user=await person(),
        other=await person(),
        mod=await person("moderator"),
        admin=await person("admin"),
    )


async def open_ticket(client: httpx.AsyncClient, who: Session, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/support/tickets/", json={**TICKET, **fields}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def notes(db: Database, who: Session) -> list[Notification]:
    async with db.session() as session:
        stmt = select(Notification).where(col(Notification.user_id) == uuid.UUID(who.user["id"]))
        return list((await session.exec(stmt.order_by(col(Notification.created_at)))).all())


async def say(client: httpx.AsyncClient, who: Session, ticket: str, text: str) -> httpx.Response:
    return await client.post(
        f"/api/support/tickets/{ticket}/messages/", json={"body": text}, headers=who.headers
    )


async def attach(
    client: httpx.AsyncClient,
    who: Session,
    ticket: str,
    content: bytes,
    *,
    name: str = "shot.png",
    declared: str = "image/png",
    text: str | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/support/tickets/{ticket}/attachments/",
        files={"file": (name, content, declared)},
        data={"body": text} if text is not None else {},
        headers=who.headers,
    )


async def test_create_ticket_notifies_staff(
    client: httpx.AsyncClient, cast: Cast, db: Database
) -> None:
    ticket = await open_ticket(client, cast.user)
    assert (ticket["status"], ticket["message_count"], ticket["closed_at"]) == ("open", 1, None)
    assert ticket["user"]["id"] == cast.user.user["id"]
    [first] = ticket["messages"]
    assert (first["body"], first["from_staff"], first["attachments"]) == (
        TICKET["body"],
        False,
        [],
    )
    for staff in (cast.mod, cast.admin):
        [note] = await notes(db, staff)
        assert note.type == "support_reply" and note.data == {"ticket_id": ticket["id"]}
    assert await notes(db, cast.other) == [] and await notes(db, cast.user) == []
    invalid = await client.post(
        "/api/support/tickets/", json={**TICKET, "category": "nope"}, headers=cast.user.headers
    )
    assert invalid.status_code == 400 and "category" in invalid.json()
    assert (await client.post("/api/support/tickets/", json=TICKET)).status_code == 401


async def test_tickets_are_seen_by_their_user_and_staff_only(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    ticket = await open_ticket(client, cast.user)
    url = f"/api/support/tickets/{ticket['id']}/"
    for who in (cast.user, cast.mod, cast.admin):
        assert (await client.get(url, headers=who.headers)).json() == ticket
    for path in (url, f"/api/support/tickets/{uuid.uuid4()}/"):
        hidden = await client.get(path, headers=cast.other.headers)
        assert (hidden.status_code, hidden.json()) == (404, NOT_FOUND)
    for write in (
        await say(client, cast.other, ticket["id"], "hi"),
        await client.post(f"{url}close/", headers=cast.other.headers),
        await attach(client, cast.other, ticket["id"], PNG),
    ):
        assert (write.status_code, write.json()) == (404, NOT_FOUND)


async def test_list_own_tickets_by_activity_and_status(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    older = await open_ticket(client, cast.user, subject="First one")
    newer = await open_ticket(client, cast.user, subject="Second one")
    await open_ticket(client, cast.other)
    listed = await client.get("/api/support/tickets/", headers=cast.user.headers)
    assert [t["id"] for t in listed.json()["results"]] == [newer["id"], older["id"]]
    await say(client, cast.user, older["id"], "any news?")  # now the most recently active
    listed = await client.get("/api/support/tickets/", headers=cast.user.headers)
    assert [t["id"] for t in listed.json()["results"]] == [older["id"], newer["id"]]
    await client.post(f"/api/support/tickets/{newer['id']}/close/", headers=cast.user.headers)
    closed = await client.get("/api/support/tickets/?status=closed", headers=cast.user.headers)
    assert [t["id"] for t in closed.json()["results"]] == [newer["id"]]


async def test_thread_status_rules_and_notifications(
    client: httpx.AsyncClient, cast: Cast, db: Database
) -> None:
    ticket = await open_ticket(client, cast.user)
    tid = ticket["id"]
    answer = await say(client, cast.mod, tid, "We are on it.")
    assert answer.status_code == 201, answer.text
    assert answer.json()["from_staff"] is True
    assert answer.json()["author"]["id"] == cast.mod.user["id"]
    detail = (await client.get(f"/api/support/tickets/{tid}/", headers=cast.user.headers)).json()
    assert (detail["status"], detail["message_count"]) == ("pending", 2)
    [note] = await notes(db, cast.user)
    assert note.data["ticket_id"] == tid and note.data["message_id"] == answer.json()["id"]

    # Staff mark it resolved; a user message reopens it, and only the answering staff hear.
    resolved = await client.post(
        f"/api/support/admin/tickets/{tid}/status/",
        json={"status": "resolved"},
        headers=cast.admin.headers,
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert len(await notes(db, cast.user)) == 2
    admin_before = len(await notes(db, cast.admin))
    reply = await say(client, cast.user, tid, "Still broken.")
    assert reply.status_code == 201 and reply.json()["from_staff"] is False
    detail = (await client.get(f"/api/support/tickets/{tid}/", headers=cast.user.headers)).json()
    assert detail["status"] == "open"
    assert [m["body"] for m in detail["messages"]] == [
        TICKET["body"],
        "We are on it.",
        "Still broken.",
    ]
    assert len(await notes(db, cast.mod)) == 2  # creation + the user's reply
    assert len(await notes(db, cast.admin)) == admin_before

    empty = await say(client, cast.user, tid, "   ")
    assert empty.status_code == 400 and "body" in empty.json()


async def test_close_is_final(client: httpx.AsyncClient, cast: Cast, db: Database) -> None:
    ticket = await open_ticket(client, cast.user)
    url = f"/api/support/tickets/{ticket['id']}/"
    closed = await client.post(f"{url}close/", headers=cast.mod.headers)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"] is not None
    assert [n.title for n in await notes(db, cast.user)] == [
        "Your ticket is now closed: Upload stuck"
    ]
    again = await client.post(f"{url}close/", headers=cast.user.headers)
    assert again.json() == closed.json()
    for refused in (
        await say(client, cast.user, ticket["id"], "hello?"),
        await attach(client, cast.user, ticket["id"], PNG),
        await client.post(
            f"/api/support/admin/tickets/{ticket['id']}/status/",
            json={"status": "open"},
            headers=cast.mod.headers,
        ),
    ):
        assert refused.status_code == 409 and refused.json()["code"] == "ticket_closed"


async def test_attachments_are_sniffed_and_stored(
    client: httpx.AsyncClient, cast: Cast, db: Database, settings: Settings
) -> None:
    ticket = await open_ticket(client, cast.user)
    # The declared type is the client's word; the bytes decide.
    png = await attach(
        client,
        cast.user,
        ticket["id"],
        PNG,
        name="../../etc/shot.png",
        declared="text/plain",
        text="Here is a screenshot.",
    )
    assert png.status_code == 201, png.text
    message = png.json()
    [file] = message["attachments"]
    assert (file["filename"], file["content_type"], file["size_bytes"]) == (
        "shot.png",
        "image/png",
        len(PNG),
    )
    assert message["body"] == "Here is a screenshot."
    download = await client.get(file["url"])  # signed: no bearer token needed
    assert (download.status_code, download.content) == (200, PNG)
    tampered = await client.get(file["url"].replace("signature=", "signature=0"))
    assert tampered.status_code == 403
    log = await attach(client, cast.mod, ticket["id"], b"ERROR boom\n", name="app.log")
    assert log.status_code == 201
    assert log.json()["attachments"][0]["content_type"] == "text/plain"
    assert log.json()["body"] == "" and log.json()["from_staff"] is True

    async with db.session() as session:
        keys = (await session.exec(select(SupportAttachment.storage_key))).all()
    storage = open_storage(settings)
    assert sorted([await storage.size(key) or 0 for key in keys]) == sorted([len(PNG), 11])
    detail = (
        await client.get(f"/api/support/tickets/{ticket['id']}/", headers=cast.user.headers)
    ).json()
    assert [len(m["attachments"]) for m in detail["messages"]] == [0, 1, 1]
    assert detail["status"] == "pending"


async def test_attachment_limits(
    client: httpx.AsyncClient, cast: Cast, db: Database, settings: Settings
) -> None:
    ticket = await open_ticket(client, cast.user)
    tid = ticket["id"]
    unsupported = await attach(client, cast.user, tid, b"MZ\x90\x00\x03\x00binary", name="x.exe")
    assert unsupported.status_code == 415
    assert unsupported.json()["code"] == "unsupported_media_type"
    settings.support_max_attachment_bytes = 1024
    too_big = await attach(client, cast.user, tid, PNG + b"\x00" * 2048)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "file_too_large")
    no_file = await client.post(
        f"/api/support/tickets/{tid}/attachments/",
        headers={**cast.user.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        # A text part named `file` is no file.
        content=f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\nhi\r\n'
        f"--{BOUNDARY}--\r\n",
    )
    assert (no_file.status_code, no_file.json()) == (400, {"file": ["This field is required."]})
    long_text = await attach(client, cast.user, tid, PNG, text="x" * 5001)
    assert long_text.json() == {"body": ["Ensure this field has no more than 5000 characters."]}
    no_boundary = await client.post(
        f"/api/support/tickets/{tid}/attachments/",
        content=b"xx",
        headers={**cast.user.headers, "Content-Type": "multipart/form-data"},
    )
    assert (no_boundary.status_code, no_boundary.json()["code"]) == (400, "parse_error")
    settings.support_max_attachments = 1
    assert (await attach(client, cast.user, tid, PNG)).status_code == 201
    full = await attach(client, cast.user, tid, PNG)
    assert (full.status_code, full.json()["code"]) == (409, "too_many_attachments")
    async with db.session() as session:
        keys = (await session.exec(select(SupportAttachment.storage_key))).all()
    assert len(keys) == 1  # refused files left nothing behind in the database


async def test_staff_queue_and_status_changes(client: httpx.AsyncClient, cast: Cast) -> None:
    first = await open_ticket(client, cast.user, category="billing")
    second = await open_ticket(client, cast.other, category="bug")
    queue = await client.get("/api/support/admin/tickets/", headers=cast.mod.headers)
    assert queue.status_code == 200
    assert [t["id"] for t in queue.json()["results"]] == [first["id"], second["id"]]
    by_category = await client.get(
        "/api/support/admin/tickets/?category=bug", headers=cast.admin.headers
    )
    assert [t["id"] for t in by_category.json()["results"]] == [second["id"]]
    by_user = await client.get(
        f"/api/support/admin/tickets/?user={cast.user.user['id']}", headers=cast.mod.headers
    )
    assert [t["id"] for t in by_user.json()["results"]] == [first["id"]]
    await say(client, cast.mod, first["id"], "Answered.")
    waiting = await client.get("/api/support/admin/tickets/?status=open", headers=cast.mod.headers)
    assert [t["id"] for t in waiting.json()["results"]] == [second["id"]]

    for forbidden in (
        await client.get("/api/support/admin/tickets/", headers=cast.user.headers),
        await client.post(
            f"/api/support/admin/tickets/{first['id']}/status/",
            json={"status": "resolved"},
            headers=cast.user.headers,
        ),
    ):
        assert forbidden.status_code == 403
    missing = await client.post(
        f"/api/support/admin/tickets/{uuid.uuid4()}/status/",
        json={"status": "resolved"},
        headers=cast.mod.headers,
    )
    assert missing.status_code == 404


async def test_parallel_messages_all_count(client: httpx.AsyncClient, cast: Cast) -> None:
    ticket = await open_ticket(client, cast.user)
    sent = await asyncio.gather(*(say(client, cast.user, ticket["id"], f"m{i}") for i in range(5)))
    assert {r.status_code for r in sent} == {201}
    detail = await client.get(f"/api/support/tickets/{ticket['id']}/", headers=cast.user.headers)
    assert detail.json()["message_count"] == len(detail.json()["messages"]) == 6


BOUNDARY = "attachment-boundary"
CHUNK = b"\x00" * 64 * 1024


class Upload:
    """A streamed multipart body of one PNG that goes on for `size` bytes; counts what the
    server pulled of it."""

    def __init__(self, size: int) -> None:
        self.size, self.sent = size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        yield head.encode() + b"Content-Type: image/png\r\n\r\n" + PNG
        while self.sent < self.size:
            self.sent += len(CHUNK)
            yield CHUNK
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_an_attachment_past_the_limit_is_refused_as_it_streams(
    client: httpx.AsyncClient, cast: Cast, settings: Settings, declared: bool
) -> None:
    """Not buffered first: a declared length past the limit is refused before a byte is read,
    and an undeclared one as soon as the limit is crossed."""
    settings.support_max_attachment_bytes = 1024 * 1024
    ticket = await open_ticket(client, cast.user)
    body = Upload(size=64 * 1024 * 1024)
    headers = {**cast.user.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    if declared:
        headers["Content-Length"] = str(body.size + 1024)
    answer = await client.post(
        f"/api/support/tickets/{ticket['id']}/attachments/", content=body, headers=headers
    )
    assert (answer.status_code, answer.json()["code"]) == (413, "file_too_large")
    if declared:
        assert body.sent == 0
    else:
        assert body.sent <= settings.support_max_attachment_bytes + 2 * len(CHUNK)
    assert len(stored_files(settings, ticket["id"])) == 0


def stored_files(settings: Settings, ticket_id: str) -> list[str]:
    """The ticket's attachment files in the local storage backend."""
    root = settings.data_dir / "media" / "support" / ticket_id
    return [str(path) for path in root.rglob("*") if path.is_file()] if root.exists() else []
