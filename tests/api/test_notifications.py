"""Notifications over the API (issue 5) and the store-then-publish contract of `notify`."""

from __future__ import annotations

from typing import Any

import httpx

from tests.utils.factories import login, make_user
from watchparty.db import Database
from watchparty.realtime.hub import Event, Hub
from watchparty.runtime import Runtime, use_runtime
from watchparty.services.notifications import notify
from watchparty.settings import Settings
from watchparty.tables import User


class RecordingHub(Hub):
    """The hub of one process, also recording what it fans out: (topic, frame without `ts`)."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[tuple[str, dict[str, Any]]] = []

    def _fan_out(self, event: Event) -> None:
        self.frames.append((event.topic, {k: v for k, v in event.frame.items() if k != "ts"}))
        super()._fan_out(event)


async def _notify(db: Database, user: User, n: int, **extra: Any) -> None:
    async with db.session() as session:
        for i in range(n):
            notify(session, user_id=user.id, type="system", title=f"Note {i}", **extra)
        await session.commit()


async def test_list_count_read_and_read_all(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    user = await make_user(db, settings)
    me = await login(client, user)
    await _notify(db, user, 3, data={"party_id": "p1"})

    count = await client.get("/api/notifications/unread-count/", headers=me.headers)
    assert count.json() == {"unread": 3}
    listed = await client.get("/api/notifications/?page_size=2", headers=me.headers)
    assert listed.status_code == 200, listed.text
    first = listed.json()
    assert [n["title"] for n in first["results"]] == ["Note 2", "Note 1"]  # newest first
    assert first["results"][0]["data"] == {"party_id": "p1"}
    rest = await client.get(first["next"], headers=me.headers)
    assert [n["title"] for n in rest.json()["results"]] == ["Note 0"]

    note_id = first["results"][0]["id"]
    read = await client.patch(f"/api/notifications/{note_id}/read/", headers=me.headers)
    assert read.status_code == 200 and read.json()["read"] is True
    again = await client.patch(f"/api/notifications/{note_id}/read/", headers=me.headers)
    assert again.json() == read.json()  # idempotent
    unread = await client.get("/api/notifications/?unread=true", headers=me.headers)
    assert {n["title"] for n in unread.json()["results"]} == {"Note 0", "Note 1"}

    everything = await client.post("/api/notifications/read-all/", headers=me.headers)
    assert everything.json() == {"updated": 2}
    count = await client.get("/api/notifications/unread-count/", headers=me.headers)
    assert count.json() == {"unread": 0}
    assert (await client.post("/api/notifications/read-all/", headers=me.headers)).json() == {
        "updated": 0
    }


async def test_type_filter(client: httpx.AsyncClient, db: Database, settings: Settings) -> None:
    user = await make_user(db, settings)
    me = await login(client, user)
    async with db.session() as session:
        notify(session, user_id=user.id, type="system", title="a")
        notify(session, user_id=user.id, type="video_ready", title="b")
        await session.commit()
    listed = await client.get("/api/notifications/?type=video_ready", headers=me.headers)
    assert [n["title"] for n in listed.json()["results"]] == ["b"]


async def test_other_users_notifications_are_not_found(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    owner, other = await make_user(db, settings), await make_user(db, settings)
    await _notify(db, owner, 1)
    mine = await login(client, owner)
    note_id = (await client.get("/api/notifications/", headers=mine.headers)).json()["results"][0][
        "id"
    ]
    theirs = await login(client, other)
    response = await client.patch(f"/api/notifications/{note_id}/read/", headers=theirs.headers)
    assert response.status_code == 404
    assert (await client.get("/api/notifications/", headers=theirs.headers)).json()["results"] == []
    bad = await client.patch("/api/notifications/not-a-uuid/read/", headers=theirs.headers)
    assert bad.status_code in (400, 404)


async def test_frames_go_out_after_commit_only(
    rt: Runtime, client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    hub = RecordingHub()
    rt.hub = hub
    user = await make_user(db, settings)
    async with db.session() as session:
        notify(session, user_id=user.id, type="system", title="lost")
        await session.rollback()
    assert hub.frames == []  # a rolled-back notification was never announced

    with use_runtime(rt):
        async with db.session() as session:
            note = notify(session, user_id=user.id, type="system", title="kept")
            assert hub.frames == []  # nothing before the commit
            await session.commit()
    assert [(topic, frame["type"]) for topic, frame in hub.frames] == [
        (f"user:{user.id}", "notification.created")
    ]
    assert hub.frames[0][1]["payload"]["id"] == str(note.id)
    hub.frames.clear()

    me = await login(client, user)
    listed = (await client.get("/api/notifications/", headers=me.headers)).json()["results"]
    assert [n["title"] for n in listed] == ["kept"]
    await client.post("/api/notifications/read-all/", headers=me.headers)
    assert hub.frames == [
        (
            f"user:{user.id}",
            {"type": "notification.read", "payload": {"ids": [], "all": True, "unread_count": 0}},
        )
    ]
