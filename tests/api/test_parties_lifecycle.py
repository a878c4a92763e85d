"""Parties over the API (issue 5), part two: start/end, approve, participant roles, the
notifications and activity facts party changes write, the race-free capacity check and stable
list pagination, on SQLite and PostgreSQL. Every response is validated against the spec.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from tests.utils.factories import Session, login, make_party, make_user
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import Notification, PartyActivity, Poll, User


@dataclass
class Cast:
    """A host, a joined guest, an outsider and an admin (all logged in) around a public party."""

    host: Session
    guest: Session
    outsider: Session
    admin: Session
    guest_user: User
    party: str

    def url(self, suffix: str = "") -> str:
        return f"/api/parties/{self.party}/{suffix}"


@pytest.fixture
async def cast(client: httpx.AsyncClient, db: Database, settings: Settings) -> Cast:
    host, guest_user = await make_user(db, settings), await make_user(db, settings)
    party = str(await make_party(db, host, visibility="public"))
    guest = await login(client, guest_user)
    assert (
        await client.post(f"/api/parties/{party}/join/", headers=guest.headers)
    ).status_code == 200
    return Cast(
        host=await login(client, host),
        guest=guest,
        outsider=await login(client, await make_user(db, settings)),
        admin=await login(client, await make_user(db, settings, role="admin")),
        guest_user=guest_user,
        party=party,
    )


async def notes(db: Database, user_id: str | uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of a user's notifications, oldest first."""
    async with db.session() as session:
        stmt = (
            select(Notification)
            .where(col(Notification.user_id) == uuid.UUID(str(user_id)))
            .order_by(col(Notification.created_at))
        )
        return [(n.type, n.data) for n in (await session.exec(stmt)).all()]


async def facts(db: Database, party: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(kind, user_id, data) of a party's activity facts, oldest first."""
    async with db.session() as session:
        stmt = (
            select(PartyActivity)
            .where(col(PartyActivity.party_id) == uuid.UUID(party))
            .order_by(col(PartyActivity.at))
        )
        rows = (await session.exec(stmt)).all()
        return [(f.kind, str(f.user_id) if f.user_id else None, f.data) for f in rows]


# --- the host rule, everywhere -----------------------------------------------------------------


async def test_host_only_operations_refuse_everyone_else(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    """The catalog's `host` rule on every host-only operation: a participant gets 403, an
    outsider or an admin who does not take part 404 (an admin has no host powers)."""
    guest_id, someone = cast.guest_user.id, uuid.uuid4()
    operations: list[tuple[str, str, Any]] = [
        ("PATCH", "", {"title": "x"}),
        ("DELETE", "", None),
        ("POST", "start/", None),
        ("POST", "end/", None),
        ("POST", f"participants/{guest_id}/approve/", None),
        ("PATCH", f"participants/{guest_id}/", {"role": "moderator"}),
        ("POST", f"participants/{guest_id}/kick/", None),
        ("POST", "transfer-host/", {"user_id": str(guest_id)}),
        ("POST", "invite/", {"emails": ["x@example.com"]}),
        ("GET", "invitations/", None),
        ("DELETE", f"invitations/{someone}/", None),
    ]
    for method, suffix, body in operations:
        for who, status in [(cast.guest, 403), (cast.outsider, 404), (cast.admin, 404)]:
            response = await client.request(
                method, cast.url(suffix), json=body, headers=who.headers
            )
            assert response.status_code == status, (method, suffix, response.text)
    detail = await client.get(cast.url(), headers=cast.host.headers)
    assert detail.json()["title"] != "x" and detail.json()["status"] == "scheduled"


# --- start and end ---------------------------------------------------------------------------


async def test_start_and_end(client: httpx.AsyncClient, db: Database, cast: Cast) -> None:
    for who, status in [(cast.guest, 403), (cast.outsider, 404), (cast.admin, 404)]:
        assert (await client.post(cast.url("start/"), headers=who.headers)).status_code == status
    early_end = await client.post(cast.url("end/"), headers=cast.host.headers)
    assert (early_end.status_code, early_end.json()["code"]) == (409, "party_not_live")

    started = await client.post(cast.url("start/"), headers=cast.host.headers)
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "live" and started.json()["started_at"] is not None
    assert ("party_starting", {"party_id": cast.party}) in await notes(db, cast.guest_user.id)
    assert await notes(db, cast.host.user["id"]) == []  # the host is not told of their own act
    again = await client.post(cast.url("start/"), headers=cast.host.headers)
    assert (again.status_code, again.json()["code"]) == (409, "party_not_scheduled")
    moved = await client.patch(
        cast.url(), json={"scheduled_for": "2999-01-01T00:00:00Z"}, headers=cast.host.headers
    )
    assert (moved.status_code, moved.json()["code"]) == (409, "party_live")

    assert (await client.post(cast.url("end/"), headers=cast.guest.headers)).status_code == 403
    ended = await client.post(cast.url("end/"), headers=cast.host.headers)
    assert ended.status_code == 200, ended.text
    assert ended.json()["status"] == "ended" and ended.json()["ended_at"] is not None
    for suffix in ("start/", "end/"):
        closed = await client.post(cast.url(suffix), headers=cast.host.headers)
        assert closed.status_code == 409
    join = await client.post(cast.url("join/"), headers=cast.outsider.headers)
    assert (join.status_code, join.json()["code"]) == (409, "party_closed")


# --- approve and roles -----------------------------------------------------------------------


async def test_join_request_and_approval(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    await client.patch(
        cast.url(), json={"settings": {"require_approval": True}}, headers=cast.host.headers
    )
    asked = await client.post(cast.url("join/"), headers=cast.outsider.headers)
    assert asked.json()["status"] == "pending"
    outsider_id = cast.outsider.user["id"]
    assert ("join_requested", {"party_id": cast.party, "user_id": outsider_id}) in await notes(
        db, cast.host.user["id"]
    )
    approve = cast.url(f"participants/{outsider_id}/approve/")
    assert (await client.post(approve, headers=cast.guest.headers)).status_code == 403
    unknown = cast.url(f"participants/{uuid.uuid4()}/approve/")
    assert (await client.post(unknown, headers=cast.host.headers)).status_code == 404
    not_pending = await client.post(
        cast.url(f"participants/{cast.guest_user.id}/approve/"), headers=cast.host.headers
    )
    assert (not_pending.status_code, not_pending.json()["code"]) == (409, "not_pending")

    approved = await client.post(approve, headers=cast.host.headers)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "joined" and approved.json()["joined_at"] is not None
    assert ("join_approved", {"party_id": cast.party}) in await notes(db, outsider_id)
    assert [kind for kind, user, _ in await facts(db, cast.party) if user == outsider_id] == [
        "joined"
    ]


async def test_approve_respects_capacity(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    await client.patch(
        cast.url(),
        json={"settings": {"require_approval": True, "max_participants": 2}},
        headers=cast.host.headers,
    )
    await client.post(cast.url("join/"), headers=cast.outsider.headers)
    full = await client.post(
        cast.url(f"participants/{cast.outsider.user['id']}/approve/"), headers=cast.host.headers
    )
    assert (full.status_code, full.json()["code"]) == (409, "party_full")


async def test_update_participant_role(client: httpx.AsyncClient, cast: Cast) -> None:
    url = cast.url(f"participants/{cast.guest_user.id}/")
    body = {"role": "moderator"}
    assert (await client.patch(url, json=body, headers=cast.guest.headers)).status_code == 403
    assert (await client.patch(url, json=body, headers=cast.outsider.headers)).status_code == 404
    assert (
        await client.patch(
            cast.url(f"participants/{uuid.uuid4()}/"), json=body, headers=cast.host.headers
        )
    ).status_code == 404
    host_itself = await client.patch(
        cast.url(f"participants/{cast.host.user['id']}/"), json=body, headers=cast.host.headers
    )
    assert (host_itself.status_code, host_itself.json()["code"]) == (409, "is_host")
    bad_role = await client.patch(url, json={"role": "host"}, headers=cast.host.headers)
    assert bad_role.status_code == 400 and "role" in bad_role.json()

    changed = await client.patch(url, json=body, headers=cast.host.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "moderator"
    assert changed.json()["user"]["id"] == str(cast.guest_user.id)

    await client.post(cast.url("leave/"), headers=cast.guest.headers)
    gone = await client.patch(url, json=body, headers=cast.host.headers)
    assert (gone.status_code, gone.json()["code"]) == (409, "not_joined")


# --- notifications and facts of party changes ----------------------------------------------


async def test_party_changes_notify_and_record_facts(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    guest_id, host_id = str(cast.guest_user.id), cast.host.user["id"]
    await client.patch(cast.url(), json={"title": "Renamed"}, headers=cast.host.headers)
    assert await notes(db, guest_id) == []  # only a new time is news
    await client.patch(
        cast.url(), json={"scheduled_for": "2999-01-01T20:00:00Z"}, headers=cast.host.headers
    )
    assert await notes(db, guest_id) == [("party_updated", {"party_id": cast.party})]

    third = await login(client, await make_user(db, settings))
    await client.post(cast.url("join/"), headers=third.headers)
    await client.post(cast.url("leave/"), headers=third.headers)
    await client.post(
        cast.url("transfer-host/"), json={"user_id": guest_id}, headers=cast.host.headers
    )
    assert ("host_transferred", {"party_id": cast.party}) in await notes(db, guest_id)
    kick = await client.post(cast.url(f"participants/{host_id}/kick/"), headers=cast.guest.headers)
    assert kick.status_code == 204
    assert ("party_kicked", {"party_id": cast.party}) in await notes(db, host_id)
    assert await facts(db, cast.party) == [
        ("joined", host_id, {}),
        ("joined", guest_id, {}),
        ("joined", third.user["id"], {}),
        ("left", third.user["id"], {"reason": "left"}),
        ("left", host_id, {"reason": "kicked"}),
    ]


async def test_cancel_notifies_participants(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    await client.patch(
        cast.url(), json={"settings": {"require_approval": True}}, headers=cast.host.headers
    )
    await client.post(cast.url("join/"), headers=cast.outsider.headers)  # pending
    assert (await client.delete(cast.url(), headers=cast.host.headers)).status_code == 204
    cancelled = ("party_cancelled", {"party_id": cast.party})
    assert cancelled in await notes(db, cast.guest_user.id)
    assert cancelled in await notes(db, cast.outsider.user["id"])
    assert cancelled not in await notes(db, cast.host.user["id"])


# --- race-free capacity -----------------------------------------------------------------------


async def test_concurrent_joins_fill_the_last_seat_once(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    """Eight users join a party with one free seat at the same time, each request on its own
    database connection: exactly one gets in (the party row lock serializes the check)."""
    host = await make_user(db, settings)
    party = await make_party(db, host, visibility="public", max_participants=2)
    racers = [await login(client, await make_user(db, settings)) for _ in range(8)]
    answers = await asyncio.gather(
        *(client.post(f"/api/parties/{party}/join/", headers=r.headers) for r in racers)
    )
    codes = sorted(
        (a.status_code, a.json().get("code") if a.status_code != 200 else None) for a in answers
    )
    assert codes == [(200, None)] + [(409, "party_full")] * 7, codes
    detail = await client.get(f"/api/parties/{party}/", headers=racers[0].headers)
    assert detail.json()["participant_count"] == 2


# --- list pagination --------------------------------------------------------------------------


async def test_list_pagination_is_stable_while_parties_are_inserted(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    """Walking the list with cursors while new parties land before, between and after the
    rows already seen neither repeats nor skips any of the rows that existed at the start."""
    host = await make_user(db, settings)
    me = await login(client, host)
    days = [10, 20, 30, 40, 50, 60, 70]
    first = {str(await make_party(db, host, scheduled_in=dt.timedelta(days=d))) for d in days}
    seen: list[str] = []
    order: list[tuple[dt.datetime, str]] = []
    url: str | None = "/api/parties/?page_size=2"
    inserted: set[str] = set()
    while url:
        page = (await client.get(url, headers=me.headers)).json()
        seen += [p["id"] for p in page["results"]]
        order += [(dt.datetime.fromisoformat(p["scheduled_for"]), p["id"]) for p in page["results"]]
        # Newest scheduled first: 80 days lands ahead of the walk, 5 days behind it (still to
        # come), and 45 days between rows already handed out and rows to come.
        for extra in (80, 5, 45):
            party = await make_party(
                db, host, scheduled_in=dt.timedelta(days=extra, hours=len(seen))
            )
            inserted.add(str(party))
        url = page["next"]
    assert len(seen) == len(set(seen)), "a party was listed twice"
    assert first <= set(seen), "a party that existed before the walk was skipped"
    # Every page continued strictly after the previous one, and rows inserted behind the
    # cursor (5 and 45 days) were picked up on later pages.
    assert order == sorted(order, reverse=True)
    assert set(seen) & inserted


async def test_end_closes_open_polls(client: httpx.AsyncClient, db: Database, cast: Cast) -> None:
    host_id = uuid.UUID(cast.host.user["id"])
    later = utcnow() + dt.timedelta(hours=1)
    async with db.session() as session:
        polls = [Poll(party_id=uuid.UUID(cast.party), question=q, created_by=host_id) for q in "ab"]
        polls[1].closes_at = later
        session.add_all(polls)
        await session.commit()
    await client.post(cast.url("start/"), headers=cast.host.headers)
    ended = await client.post(cast.url("end/"), headers=cast.host.headers)
    async with db.session() as session:
        closed = (await session.exec(select(Poll.closed_at))).all()
    assert set(closed) == {dt.datetime.fromisoformat(ended.json()["ended_at"])}
