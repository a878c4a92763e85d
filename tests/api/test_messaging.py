"""Direct messaging over the API (issue 6): conversations (1:1 unique per pair, also under
concurrent creates; groups), members-only access, messages with client_id idempotency,
unread counts and read marks, `message_received` notifications, and user blocks, on SQLite
and PostgreSQL. Responses are validated against the spec by the app.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from tests.utils.factories import DEFAULT_PASSWORD, Session, login, make_user
from watchparty.db import Database
from watchparty.services import messaging
from watchparty.settings import Settings
from watchparty.tables import Conversation, DirectMessage, Notification, User

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
CONVERSATIONS = "/api/messaging/conversations/"
BLOCKS = "/api/messaging/blocks/"


@dataclass
class Person:
    user: User
    session: Session

    @property
    def headers(self) -> dict[str, str]:
        return self.session.headers

    @property
    def id(self) -> str:
        return str(self.user.id)


@pytest.fixture
async def people(client: httpx.AsyncClient, db: Database, settings: Settings) -> list[Person]:
    """Four logged-in users: ana, bruno, carla, dan (by index)."""
    users = [await make_user(db, settings) for _ in range(4)]
    return [Person(user, await login(client, user)) for user in users]


async def start(
    client: httpx.AsyncClient, who: Person, *others: Person, **body: Any
) -> httpx.Response:
    body.setdefault("participant_ids", [other.id for other in others])
    return await client.post(CONVERSATIONS, json=body, headers=who.headers)


async def say(
    client: httpx.AsyncClient, who: Person, conversation: str, content: str = "hi", **extra: Any
) -> httpx.Response:
    return await client.post(
        f"{CONVERSATIONS}{conversation}/messages/",
        json={"content": content, **extra},
        headers=who.headers,
    )


async def block(client: httpx.AsyncClient, who: Person, target: Person) -> httpx.Response:
    return await client.post(BLOCKS, json={"user_id": target.id}, headers=who.headers)


# --- conversations ----------------------------------------------------------------------------


async def test_one_to_one_is_unique_per_pair(
    client: httpx.AsyncClient, people: list[Person]
) -> None:
    ana, bruno, *_ = people
    created = await client.post(
        CONVERSATIONS,
        json={"usernames": [bruno.user.username.upper()], "title": "ignored"},
        headers=ana.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["is_group"], body["title"], body["last_message"], body["unread_count"]) == (
        False,
        None,
        None,
        0,
    )
    assert {p["id"] for p in body["participants"]} == {ana.id, bruno.id}
    assert body["last_activity_at"] == body["created_at"]
    # Asked again, from either side, by id or name (the caller listed too): the same one.
    again = await start(client, bruno, ana)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    both = await client.post(
        CONVERSATIONS, json={"participant_ids": [ana.id, bruno.id]}, headers=ana.headers
    )
    assert (both.status_code, both.json()["id"]) == (200, body["id"])


async def test_concurrent_creates_for_one_pair_make_one_conversation(
    client: httpx.AsyncClient, db: Database, people: list[Person]
) -> None:
    ana, bruno, *_ = people
    responses = await asyncio.gather(
        *(start(client, ana, bruno) for _ in range(3)),
        *(start(client, bruno, ana) for _ in range(3)),
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    async with db.session() as session:
        count = (await session.exec(select(sa.func.count()).select_from(Conversation))).one()
    assert count == 1


async def test_group_conversation(client: httpx.AsyncClient, people: list[Person]) -> None:
    ana, bruno, carla, _ = people
    created = await client.post(
        CONVERSATIONS,
        json={"participant_ids": [bruno.id], "usernames": [carla.user.username], "title": " Trip "},
        headers=ana.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["is_group"], body["title"]) == (True, "Trip")
    assert [p["id"] for p in body["participants"]] == [ana.id, bruno.id, carla.id]
    # Groups are not unique: the same members can start another one.
    another = await start(client, ana, bruno, carla)
    assert another.status_code == 201 and another.json()["id"] != body["id"]


async def test_create_validation(client: httpx.AsyncClient, people: list[Person]) -> None:
    ana, bruno, *_ = people
    unknown = await start(client, ana, participant_ids=[str(uuid.uuid4())])
    assert unknown.status_code == 400 and "participant_ids" in unknown.json()
    nobody = await client.post(
        CONVERSATIONS, json={"usernames": ["no_such_user"]}, headers=ana.headers
    )
    assert nobody.status_code == 400 and "usernames" in nobody.json()
    alone = await start(client, ana, participant_ids=[ana.id])
    assert alone.status_code == 400 and "participant_ids" in alone.json()
    empty = await client.post(CONVERSATIONS, json={"title": "x"}, headers=ana.headers)
    assert empty.status_code == 400
    assert (await client.post(CONVERSATIONS, json={"usernames": ["x12"]})).status_code == 401


async def test_members_only(client: httpx.AsyncClient, people: list[Person]) -> None:
    ana, bruno, carla, _ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    base = f"{CONVERSATIONS}{conversation}/"
    for method, suffix, body in (
        ("GET", "", None),
        ("GET", "messages/", None),
        ("POST", "messages/", {"content": "hello?"}),
        ("POST", "read/", None),
    ):
        response = await client.request(method, base + suffix, json=body, headers=carla.headers)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (method, suffix)
    missing = await client.get(f"{CONVERSATIONS}{uuid.uuid4()}/", headers=ana.headers)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    listed = await client.get(CONVERSATIONS, headers=carla.headers)
    assert listed.json()["results"] == []


# --- messages ---------------------------------------------------------------------------------


async def test_send_notifies_and_counts_unread(
    client: httpx.AsyncClient, db: Database, people: list[Person]
) -> None:
    ana, bruno, *_ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    sent = await say(client, ana, conversation, "  Are you in\x07 for Friday?  ", client_id="d-3")
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert (message["content"], message["client_id"], message["deleted"]) == (
        "Are you in for Friday?",
        "d-3",
        False,
    )
    assert message["sender"]["id"] == ana.id

    seen_by_bruno = (
        await client.get(f"{CONVERSATIONS}{conversation}/", headers=bruno.headers)
    ).json()
    assert seen_by_bruno["unread_count"] == 1
    assert seen_by_bruno["last_message"] == message
    assert seen_by_bruno["last_activity_at"] == message["created_at"]
    seen_by_ana = (await client.get(f"{CONVERSATIONS}{conversation}/", headers=ana.headers)).json()
    assert seen_by_ana["unread_count"] == 0  # own messages are never unread

    async with db.session() as session:
        notes = (
            await session.exec(
                select(Notification).where(col(Notification.type) == "message_received")
            )
        ).all()
    assert [(n.user_id, n.data) for n in notes] == [
        (bruno.user.id, {"conversation_id": conversation, "message_id": message["id"]})
    ]

    read = await client.post(f"{CONVERSATIONS}{conversation}/read/", headers=bruno.headers)
    assert read.status_code == 200 and read.json()["unread_count"] == 0
    await say(client, ana, conversation, "and Saturday?")
    after = (await client.get(f"{CONVERSATIONS}{conversation}/", headers=bruno.headers)).json()
    assert after["unread_count"] == 1


async def test_send_retry_is_stored_once(
    client: httpx.AsyncClient, db: Database, people: list[Person]
) -> None:
    ana, bruno, *_ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    responses = await asyncio.gather(
        *(say(client, ana, conversation, "once", client_id="k-1") for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    later = await say(client, ana, conversation, "once, edited", client_id="k-1")
    assert (later.status_code, later.json()) == (200, responses[0].json())
    async with db.session() as session:
        stored = (await session.exec(select(DirectMessage))).all()
        notes = (await session.exec(select(Notification))).all()
    assert len(stored) == 1 and len(notes) == 1  # one message, one notification


async def test_send_validation(client: httpx.AsyncClient, people: list[Person]) -> None:
    ana, bruno, *_ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    for content in (" \n ", "x" * 2001):
        response = await say(client, ana, conversation, content)
        assert response.status_code == 400 and "content" in response.json()
    assert (await say(client, ana, conversation, "x" * 2000)).status_code == 201


async def test_list_messages_before_and_since(
    client: httpx.AsyncClient, people: list[Person]
) -> None:
    ana, bruno, *_ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    ids = [
        (await say(client, ana if i % 2 else bruno, conversation, f"m{i}")).json()["id"]
        for i in range(5)
    ]
    url = f"{CONVERSATIONS}{conversation}/messages/"
    page = await client.get(f"{url}?page_size=3", headers=ana.headers)
    assert [m["id"] for m in page.json()["results"]] == ids[:1:-1]  # newest first
    rest = await client.get(page.json()["next"], headers=ana.headers)
    assert [m["id"] for m in rest.json()["results"]] == [ids[1], ids[0]]
    before = await client.get(f"{url}?before={ids[2]}", headers=ana.headers)
    assert [m["id"] for m in before.json()["results"]] == [ids[1], ids[0]]
    since = await client.get(f"{url}?since={ids[2]}", headers=ana.headers)
    assert [m["id"] for m in since.json()["results"]] == [ids[4], ids[3]]

    other = (await start(client, ana, people[2])).json()["id"]
    foreign = (await say(client, ana, other, "elsewhere")).json()["id"]
    for anchor in (foreign, str(uuid.uuid4())):
        response = await client.get(f"{url}?since={anchor}", headers=ana.headers)
        assert response.status_code == 400 and "since" in response.json()


async def test_list_conversations_by_last_activity(
    client: httpx.AsyncClient, people: list[Person]
) -> None:
    ana, bruno, carla, dan = people
    with_bruno = (await start(client, ana, bruno)).json()["id"]
    with_carla = (await start(client, ana, carla)).json()["id"]
    group = (await start(client, dan, ana, bruno)).json()["id"]
    await say(client, bruno, with_bruno, "bump")  # now the most recent

    first = await client.get(f"{CONVERSATIONS}?page_size=2", headers=ana.headers)
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [c["id"] for c in results] == [with_bruno, group]
    assert results[0]["unread_count"] == 1 and results[0]["last_message"]["content"] == "bump"
    assert {p["id"] for p in results[1]["participants"]} == {dan.id, ana.id, bruno.id}
    rest = await client.get(first.json()["next"], headers=ana.headers)
    assert [c["id"] for c in rest.json()["results"]] == [with_carla]
    assert rest.json()["next"] is None
    assert (await client.get(CONVERSATIONS)).status_code == 401


# --- blocks -----------------------------------------------------------------------------------


async def test_block_list_and_unblock(client: httpx.AsyncClient, people: list[Person]) -> None:
    ana, bruno, carla, _ = people
    first = await block(client, ana, bruno)
    assert first.status_code == 201, first.text
    assert (first.json()["id"], first.json()["username"]) == (bruno.id, bruno.user.username)
    again = await block(client, ana, bruno)
    assert (again.status_code, again.json()) == (200, first.json())
    await block(client, ana, carla)
    listed = await client.get(BLOCKS, headers=ana.headers)
    assert [b["id"] for b in listed.json()["results"]] == [carla.id, bruno.id]  # newest first
    assert (await client.get(BLOCKS, headers=bruno.headers)).json()["results"] == []

    assert (await client.delete(f"{BLOCKS}{bruno.id}/", headers=ana.headers)).status_code == 204
    gone = await client.delete(f"{BLOCKS}{bruno.id}/", headers=ana.headers)
    assert (gone.status_code, gone.json()) == (404, NOT_FOUND)
    # Only the blocker can lift a block.
    assert (await client.delete(f"{BLOCKS}{ana.id}/", headers=carla.headers)).status_code == 404
    listed = await client.get(BLOCKS, headers=ana.headers)
    assert [b["id"] for b in listed.json()["results"]] == [carla.id]


async def test_block_validation(client: httpx.AsyncClient, people: list[Person]) -> None:
    ana, *_ = people
    for target in (ana.id, str(uuid.uuid4())):
        response = await client.post(BLOCKS, json={"user_id": target}, headers=ana.headers)
        assert response.status_code == 400 and "user_id" in response.json()


async def test_blocks_stop_new_conversations_both_ways(
    client: httpx.AsyncClient, people: list[Person]
) -> None:
    ana, bruno, carla, _ = people
    await block(client, bruno, ana)
    for who, other in ((ana, bruno), (bruno, ana)):
        response = await start(client, who, other)
        assert (response.status_code, response.json()["code"]) == (403, "blocked")
    group = await start(client, ana, bruno, carla)
    assert (group.status_code, group.json()["code"]) == (403, "blocked")
    assert (await start(client, ana, carla)).status_code == 201


async def test_block_stops_one_to_one_messages_both_ways(
    client: httpx.AsyncClient, people: list[Person]
) -> None:
    ana, bruno, *_ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    await block(client, ana, bruno)
    for who in (ana, bruno):
        response = await say(client, who, conversation)
        assert (response.status_code, response.json()["code"]) == (403, "blocked")
    # Reading stays possible; unblocking lets them talk again.
    assert (
        await client.get(f"{CONVERSATIONS}{conversation}/messages/", headers=bruno.headers)
    ).status_code == 200
    await client.delete(f"{BLOCKS}{bruno.id}/", headers=ana.headers)
    assert (await say(client, bruno, conversation)).status_code == 201


async def test_group_messages_skip_notifying_blockers(
    client: httpx.AsyncClient, db: Database, people: list[Person]
) -> None:
    ana, bruno, carla, _ = people
    group = (await start(client, ana, bruno, carla)).json()["id"]
    await block(client, carla, bruno)
    sent = await say(client, bruno, group, "hello all")
    assert sent.status_code == 201  # groups are not closed by one member's block
    async with db.session() as session:
        notified = (await session.exec(select(Notification.user_id))).all()
    assert notified == [ana.user.id]


# --- moderation helpers -----------------------------------------------------------------------


async def test_visible_and_removed_direct_message(
    client: httpx.AsyncClient, db: Database, settings: Settings, people: list[Person]
) -> None:
    ana, bruno, carla, _ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    message_id = (await say(client, ana, conversation, "rude")).json()["id"]
    admin = await make_user(db, settings, role="admin")
    async with db.session() as session:
        for who, visible in ((bruno.user, True), (carla.user, False), (admin, True)):
            found = await messaging.visible_direct_message(
                session=session, user=who, message_id=message_id
            )
            assert (found is not None) is visible
        message = await messaging.get_direct_message(session=session, message_id=message_id)
        assert message is not None
        assert messaging.do_remove_direct_message(session, message=message) is True
        assert messaging.do_remove_direct_message(session, message=message) is False
        await session.commit()
    shown = (await client.get(f"{CONVERSATIONS}{conversation}/", headers=bruno.headers)).json()
    assert shown["last_message"]["deleted"] is True and shown["last_message"]["content"] == ""
    assert shown["unread_count"] == 0  # removed messages are not unread


async def test_deleted_account_shows_as_null_sender_and_cannot_be_added(
    client: httpx.AsyncClient, people: list[Person]
) -> None:
    ana, bruno, carla, _ = people
    conversation = (await start(client, ana, bruno)).json()["id"]
    await say(client, ana, conversation, "bye")
    gone = await client.post(
        "/api/auth/me/delete/", json={"password": DEFAULT_PASSWORD}, headers=ana.headers
    )
    assert gone.status_code == 204, gone.text
    listed = await client.get(f"{CONVERSATIONS}{conversation}/messages/", headers=bruno.headers)
    assert listed.json()["results"][0]["sender"] is None
    assert (await start(client, carla, ana)).status_code == 400
    assert (await block(client, carla, ana)).status_code == 400
