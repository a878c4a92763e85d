"""`/ws/notifications/`: pushes of new notifications and read state synced across tabs."""

from __future__ import annotations

import uuid

import httpx

from tests.realtime.conftest import Connect, MakeMember, Member, Server
from watchparty.db import Database
from watchparty.runtime import use_runtime
from watchparty.services.notifications import notify


async def _notify(server: Server, db: Database, member: Member, title: str) -> str:
    # Through the service, as every domain does: pushed by the hub after commit.
    with use_runtime(server.rt):
        async with db.session() as session:
            note = notify(session, user_id=member.user.id, type="system", title=title)
            await session.commit()
            return str(note.id)


async def test_push_and_read_sync_across_tabs(
    ws_connect: Connect,
    member: MakeMember,
    server: Server,
    db: Database,
    http: httpx.AsyncClient,
) -> None:
    ana, bruno = await member(), await member()
    tab1 = await ws_connect("/ws/notifications/", ana.token)
    tab2 = await ws_connect("/ws/notifications/", ana.token, subprotocol=True)
    other = await ws_connect("/ws/notifications/", bruno.token)

    first = await _notify(server, db, ana, "Hello")
    for tab in (tab1, tab2):
        created = await tab.expect("notification.created")
        assert created["payload"]["id"] == first and created["payload"]["read"] is False
    await other.silent("notification.created")

    await tab1.send("notification.read", {"ids": [first]}, id_="n-1")
    for tab in (tab1, tab2):
        read = await tab.expect("notification.read")
        assert read["payload"] == {"ids": [first], "all": False, "unread_count": 0}

    second = await _notify(server, db, ana, "Again")
    await tab2.expect("notification.created")
    marked = await http.patch(f"/api/notifications/{second}/read/", headers=ana.session.headers)
    assert marked.status_code == 200, marked.text
    for tab in (tab1, tab2):
        assert (await tab.expect("notification.read"))["payload"]["ids"] == [second]


async def test_read_of_someone_elses_notification_is_not_found(
    ws_connect: Connect,
    member: MakeMember,
    server: Server,
    db: Database,
) -> None:
    ana, bruno = await member(), await member()
    theirs = await _notify(server, db, bruno, "Private")
    tab = await ws_connect("/ws/notifications/", ana.token)
    for ids in ([theirs], [str(uuid.uuid4())]):
        await tab.send("notification.read", {"ids": ids}, id_="x")
        error = await tab.expect("error")
        assert error["payload"]["code"] == "not_found" and error["payload"]["ref"] == "x"
    await tab.send("notification.read", {"ids": []}, id_="y")
    assert (await tab.expect("error"))["payload"]["code"] == "validation_error"
