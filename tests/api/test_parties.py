"""Parties over the API (issue 5): create, detail, update, cancel, join, leave, participants,
kick and transfer-host, with the catalog's access rules (host / participant / outsider, private
vs public) on SQLite and PostgreSQL. Every response is validated against the spec by the app.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.utils.factories import Session, login, make_party, make_user
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import User

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


def future(**delta: float) -> str:
    return (utcnow() + dt.timedelta(**(delta or {"days": 1}))).isoformat().replace("+00:00", "Z")


@dataclass
class Cast:
    """A host, a joined participant and an outsider, each logged in, and a public party."""

    host: Session
    guest: Session
    outsider: Session
    guest_user: User
    party: str

    def url(self, suffix: str = "") -> str:
        return f"/api/parties/{self.party}/{suffix}"


async def _session(client: httpx.AsyncClient, db: Database, settings: Settings) -> Session:
    return await login(client, await make_user(db, settings))


@pytest.fixture
async def cast(client: httpx.AsyncClient, db: Database, settings: Settings) -> Cast:
    host, guest_user = await make_user(db, settings), await make_user(db, settings)
    host_session = await login(client, host)
    guest = await login(client, guest_user)
    party = str(await make_party(db, host, visibility="public"))
    response = await client.post(f"/api/parties/{party}/join/", headers=guest.headers)
    assert response.status_code == 200, response.text
    return Cast(
        host=host_session,
        guest=guest,
        outsider=await _session(client, db, settings),
        guest_user=guest_user,
        party=party,
    )


async def _make_private(client: httpx.AsyncClient, cast: Cast) -> None:
    response = await client.patch(
        cast.url(), json={"settings": {"visibility": "private"}}, headers=cast.host.headers
    )
    assert response.status_code == 200, response.text


# --- create -------------------------------------------------------------------------------


async def test_create_party(client: httpx.AsyncClient, db: Database, settings: Settings) -> None:
    me = await _session(client, db, settings)
    when = future(days=3)
    response = await client.post(
        "/api/parties/",
        json={"title": "  Horror night ", "scheduled_for": when, "video": None},
        headers=me.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["title"] == "Horror night"
    assert body["status"] == "scheduled"
    assert body["host"]["id"] == me.user["id"]
    assert body["settings"] == {
        "visibility": "private",
        "max_participants": 10,  # the free plan's cap
        "allow_guest_control": False,
        "chat_enabled": True,
        "reactions_enabled": True,
        "require_approval": False,
    }
    assert body["my_role"] == "host" and body["my_status"] == "joined"
    assert body["participant_count"] == 1
    assert [(p["user"]["id"], p["role"]) for p in body["participants"]] == [(me.user["id"], "host")]
    assert body["video"] is None and body["event_id"] is not None
    assert body["my_invitation_id"] is None
    assert body["chat_summary"] == {"message_count": 0, "last_messages": []}
    assert body["polls"] == []
    assert body["playback"]["status"] == "paused" and body["playback"]["position"] == 0
    assert dt.datetime.fromisoformat(body["scheduled_for"]) == dt.datetime.fromisoformat(when)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scheduled_for": "2020-01-01T00:00:00Z"}, "scheduled_for"),
        ({"scheduled_for": "2999-01-01T00:00:00"}, "scheduled_for"),  # no UTC offset
        ({"title": "   "}, "title"),
        ({"video": str(uuid.uuid4())}, "video"),
        ({"settings": {"max_participants": 11}}, "settings.max_participants"),
        ({"settings": {"max_participants": 1001}}, "settings.max_participants"),
        ({"settings": {"visibility": "secret"}}, "settings.visibility"),
    ],
)
async def test_create_party_validation(
    client: httpx.AsyncClient, db: Database, settings: Settings, change: Any, field: str
) -> None:
    me = await _session(client, db, settings)
    body = {"title": "Night", "scheduled_for": future(), **change}
    response = await client.post("/api/parties/", json=body, headers=me.headers)
    assert response.status_code == 400, response.text
    assert field in response.json(), response.json()


async def test_create_party_needs_login(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/parties/", json={"title": "x", "scheduled_for": future()})
    assert response.status_code == 401


# --- detail and access ----------------------------------------------------------------------


async def test_get_party_public_and_unlisted_are_readable_by_anyone(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    for visibility in ("public", "unlisted"):
        await client.patch(
            cast.url(), json={"settings": {"visibility": visibility}}, headers=cast.host.headers
        )
        response = await client.get(cast.url(), headers=cast.outsider.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["my_role"] is None and body["my_status"] is None
        assert body["participant_count"] == 2
        assert [p["role"] for p in body["participants"]] == ["host", "participant"]


async def test_private_party_is_hidden_from_outsiders(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    await _make_private(client, cast)
    for who in (cast.host, cast.guest):
        assert (await client.get(cast.url(), headers=who.headers)).status_code == 200
    hidden = await client.get(cast.url(), headers=cast.outsider.headers)
    missing = await client.get(f"/api/parties/{uuid.uuid4()}/", headers=cast.outsider.headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == NOT_FOUND
    # Every party operation answers the outsider the same way: no existence leak.
    for method, suffix, body in [
        ("PATCH", "", {"title": "x"}),
        ("DELETE", "", None),
        ("POST", "join/", None),
        ("POST", "leave/", None),
        ("GET", "participants/", None),
        ("POST", f"participants/{cast.guest_user.id}/kick/", None),
        ("POST", "transfer-host/", {"user_id": str(cast.guest_user.id)}),
    ]:
        response = await client.request(
            method, cast.url(suffix), json=body, headers=cast.outsider.headers
        )
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (method, suffix)


# --- update and cancel ------------------------------------------------------------------------


async def test_update_party_host_only(client: httpx.AsyncClient, cast: Cast) -> None:
    change = {"title": "New title", "description": "Bring snacks", "scheduled_for": future(days=9)}
    guest = await client.patch(cast.url(), json=change, headers=cast.guest.headers)
    assert guest.status_code == 403
    outsider = await client.patch(cast.url(), json=change, headers=cast.outsider.headers)
    assert outsider.status_code == 404  # the catalog's `host` rule: outsiders get 404
    response = await client.patch(
        cast.url(),
        json={**change, "settings": {"chat_enabled": False}},
        headers=cast.host.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["description"]) == ("New title", "Bring snacks")
    assert body["settings"]["chat_enabled"] is False
    assert body["settings"]["visibility"] == "public"  # missing settings keep their value


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scheduled_for": "2001-01-01T00:00:00+02:00"}, "scheduled_for"),
        ({"settings": {"max_participants": 50}}, "settings.max_participants"),
        ({"video": str(uuid.uuid4())}, "video"),
    ],
)
async def test_update_party_validation(
    client: httpx.AsyncClient, cast: Cast, change: Any, field: str
) -> None:
    response = await client.patch(cast.url(), json=change, headers=cast.host.headers)
    assert response.status_code == 400, response.text
    assert field in response.json()


async def test_update_party_cap_not_below_joined(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    third = await _session(client, db, settings)
    assert (await client.post(cast.url("join/"), headers=third.headers)).status_code == 200
    response = await client.patch(
        cast.url(), json={"settings": {"max_participants": 2}}, headers=cast.host.headers
    )
    assert response.status_code == 400
    assert "settings.max_participants" in response.json()


async def test_cancel_party(client: httpx.AsyncClient, cast: Cast) -> None:
    assert (await client.delete(cast.url(), headers=cast.guest.headers)).status_code == 403
    assert (await client.delete(cast.url(), headers=cast.outsider.headers)).status_code == 404
    assert (await client.delete(cast.url(), headers=cast.host.headers)).status_code == 204
    detail = await client.get(cast.url(), headers=cast.guest.headers)
    assert detail.json()["status"] == "cancelled"
    for method, body in [("DELETE", None), ("PATCH", {"title": "again"})]:
        again = await client.request(method, cast.url(), json=body, headers=cast.host.headers)
        assert again.status_code == 409
        assert again.json()["code"] == "party_closed"
    join = await client.post(cast.url("join/"), headers=cast.outsider.headers)
    assert (join.status_code, join.json()["code"]) == (409, "party_closed")


# --- join, leave, participants -----------------------------------------------------------------


async def test_join_is_idempotent_and_counts(client: httpx.AsyncClient, cast: Cast) -> None:
    again = await client.post(cast.url("join/"), headers=cast.guest.headers)
    assert again.status_code == 200
    assert again.json()["status"] == "joined" and again.json()["role"] == "participant"
    detail = (await client.get(cast.url(), headers=cast.guest.headers)).json()
    assert detail["participant_count"] == 2
    assert detail["my_status"] == "joined"


async def test_join_requires_approval_gives_pending(client: httpx.AsyncClient, cast: Cast) -> None:
    await client.patch(
        cast.url(), json={"settings": {"require_approval": True}}, headers=cast.host.headers
    )
    response = await client.post(cast.url("join/"), headers=cast.outsider.headers)
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["joined_at"] is None


async def test_join_full_party(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    await client.patch(
        cast.url(), json={"settings": {"max_participants": 2}}, headers=cast.host.headers
    )
    response = await client.post(cast.url("join/"), headers=cast.outsider.headers)
    assert (response.status_code, response.json()["code"]) == (409, "party_full")


async def test_leave_and_rejoin(client: httpx.AsyncClient, cast: Cast) -> None:
    host_leaves = await client.post(cast.url("leave/"), headers=cast.host.headers)
    assert (host_leaves.status_code, host_leaves.json()["code"]) == (409, "host_cannot_leave")
    assert (await client.post(cast.url("leave/"), headers=cast.outsider.headers)).status_code == 404
    assert (await client.post(cast.url("leave/"), headers=cast.guest.headers)).status_code == 204
    listed = await client.get("/api/parties/", headers=cast.guest.headers)
    assert [p["my_status"] for p in listed.json()["results"]] == ["left"]
    rejoined = await client.post(cast.url("join/"), headers=cast.guest.headers)
    assert rejoined.json()["status"] == "joined" and rejoined.json()["left_at"] is None


async def test_list_participants_pages_host_first(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    await client.patch(
        cast.url(), json={"settings": {"max_participants": 10}}, headers=cast.host.headers
    )
    for _ in range(3):
        other = await _session(client, db, settings)
        assert (await client.post(cast.url("join/"), headers=other.headers)).status_code == 200
    # Transfer first so the host is not the oldest row: the list still shows the host first.
    await client.post(
        cast.url("transfer-host/"),
        json={"user_id": str(cast.guest_user.id)},
        headers=cast.host.headers,
    )
    seen: list[tuple[str, str]] = []
    url: str | None = cast.url("participants/?page_size=2")
    while url:
        page = (await client.get(url, headers=cast.outsider.headers)).json()
        seen += [(p["user"]["id"], p["role"]) for p in page["results"]]
        url = page["next"]
    assert len(seen) == len({uid for uid, _ in seen}) == 5
    assert seen[0] == (str(cast.guest_user.id), "host")
    assert seen[1] == (cast.host.user["id"], "moderator")
    joined = await client.get(cast.url("participants/?status=left"), headers=cast.guest.headers)
    assert joined.json()["results"] == []
    bad = await client.get(cast.url("participants/?status=gone"), headers=cast.guest.headers)
    assert bad.status_code == 400


# --- kick and transfer ---------------------------------------------------------------------------


async def test_kick_participant(client: httpx.AsyncClient, cast: Cast) -> None:
    guest_id = str(cast.guest_user.id)
    kick = cast.url(f"participants/{guest_id}/kick/")
    assert (await client.post(kick, headers=cast.guest.headers)).status_code == 403
    unknown = await client.post(
        cast.url(f"participants/{uuid.uuid4()}/kick/"), headers=cast.host.headers
    )
    assert unknown.status_code == 404
    self_kick = await client.post(
        cast.url(f"participants/{cast.host.user['id']}/kick/"), headers=cast.host.headers
    )
    assert (self_kick.status_code, self_kick.json()["code"]) == (409, "is_host")
    assert (await client.post(kick, headers=cast.host.headers)).status_code == 204
    rejoin = await client.post(cast.url("join/"), headers=cast.guest.headers)
    assert (rejoin.status_code, rejoin.json()["code"]) == (409, "kicked")
    listed = await client.get("/api/parties/", headers=cast.guest.headers)
    assert listed.json()["results"] == []
    await _make_private(client, cast)
    assert (await client.get(cast.url(), headers=cast.guest.headers)).status_code == 404


async def test_transfer_host(client: httpx.AsyncClient, cast: Cast) -> None:
    target = {"user_id": str(cast.guest_user.id)}
    url = cast.url("transfer-host/")
    assert (await client.post(url, json=target, headers=cast.guest.headers)).status_code == 403
    for bad in (str(uuid.uuid4()), cast.host.user["id"], cast.outsider.user["id"]):
        response = await client.post(url, json={"user_id": bad}, headers=cast.host.headers)
        assert response.status_code == 400 and "user_id" in response.json()
    response = await client.post(url, json=target, headers=cast.host.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["host"]["id"] == target["user_id"]
    assert (body["my_role"], body["my_status"]) == ("moderator", "joined")
    assert [p["role"] for p in body["participants"]] == ["host", "moderator"]
    # The old host is now a participant: host-only operations refuse them with 403.
    assert (await client.post(url, json=target, headers=cast.host.headers)).status_code == 403
    new_host = await client.patch(cast.url(), json={"title": "Mine"}, headers=cast.guest.headers)
    assert new_host.status_code == 200


# --- list ----------------------------------------------------------------------------------------


async def test_list_parties_filter_order_and_pages(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host = await make_user(db, settings)
    me = await login(client, host)
    ids = [
        str(await make_party(db, host, title=f"p{i}", scheduled_in=dt.timedelta(days=i + 1)))
        for i in range(5)
    ]
    other = await make_user(db, settings)
    await make_party(db, other, visibility="public")  # not mine: never listed
    await client.delete(f"/api/parties/{ids[0]}/", headers=me.headers)

    seen: list[str] = []
    url: str | None = "/api/parties/?page_size=2"
    while url:
        page = (await client.get(url, headers=me.headers)).json()
        seen += [p["id"] for p in page["results"]]
        if page["next"] and len(seen) == 2:
            # A party inserted between two pages neither repeats nor hides another.
            await make_party(db, host, scheduled_in=dt.timedelta(days=30))
        url = page["next"]
    assert seen == ids[::-1]  # newest scheduled_for first

    cancelled = await client.get("/api/parties/?status=cancelled", headers=me.headers)
    assert [p["id"] for p in cancelled.json()["results"]] == [ids[0]]
    summary = cancelled.json()["results"][0]
    assert (summary["my_role"], summary["participant_count"]) == ("host", 1)
    bad = await client.get("/api/parties/?status=finished", headers=me.headers)
    assert bad.status_code == 400


async def test_list_parties_query_count(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host = await make_user(db, settings)
    me = await login(client, host)
    for _ in range(6):
        await make_party(db, host)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    sa.event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        response = await client.get("/api/parties/", headers=me.headers)
    finally:
        sa.event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert len(response.json()["results"]) == 6
    # The caller (user + session) and one page query, whatever the page size: no N+1.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
