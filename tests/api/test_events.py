"""The calendar over the API (issue 5): party events kept in step with their party, personal
events, the from/to/type filters and who sees what, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from tests.utils.factories import Session, login, make_party, make_user
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import Video

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


# One instant for the module: two `at(2)` written apart name the same second (a window's
# `to=at(2)` taken a second after an event's `starts_at=at(2)` let the event in).
_NOW = utcnow().replace(microsecond=0)


def at(days: float, hours: float = 0) -> str:
    when = _NOW + dt.timedelta(days=days, hours=hours)
    return when.isoformat().replace("+00:00", "Z")


async def create_event(client: httpx.AsyncClient, me: Session, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/events/", json=body, headers=me.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def calendar(client: httpx.AsyncClient, me: Session, query: str = "") -> list[str]:
    response = await client.get(f"/api/events/{query}", headers=me.headers)
    assert response.status_code == 200, response.text
    return [e["title"] for e in response.json()["results"]]


async def test_party_event_follows_the_party(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host_user = await make_user(db, settings)
    host, guest = await login(client, host_user), await login(client, await make_user(db, settings))
    outsider = await login(client, await make_user(db, settings))
    created = await client.post(
        "/api/parties/",
        json={"title": "Zombies", "scheduled_for": at(2), "settings": {"visibility": "public"}},
        headers=host.headers,
    )
    party = created.json()
    event_url = f"/api/events/{party['event_id']}/"
    event = (await client.get(event_url, headers=host.headers)).json()
    assert (event["type"], event["title"], event["party_id"]) == ("party", "Zombies", party["id"])
    assert (event["party_status"], event["owner"]["id"]) == ("scheduled", host.user["id"])
    assert event["starts_at"] == party["scheduled_for"] and event["ends_at"] is None

    # Seen by participants only: not by an outsider, even of a public party.
    assert (await client.get(event_url, headers=outsider.headers)).json() == NOT_FOUND
    assert await calendar(client, guest) == []
    await client.post(f"/api/parties/{party['id']}/join/", headers=guest.headers)
    assert await calendar(client, guest) == ["Zombies"]

    moved = await client.patch(
        f"/api/parties/{party['id']}/",
        json={"scheduled_for": at(5), "title": "Zombies II"},
        headers=host.headers,
    )
    event = (await client.get(event_url, headers=guest.headers)).json()
    assert (event["title"], event["starts_at"]) == ("Zombies II", moved.json()["scheduled_for"])

    await client.post(
        f"/api/parties/{party['id']}/transfer-host/",
        json={"user_id": guest.user["id"]},
        headers=host.headers,
    )
    assert (await client.get(event_url, headers=host.headers)).json()["owner"]["id"] == guest.user[
        "id"
    ]
    await client.post(f"/api/parties/{party['id']}/start/", headers=guest.headers)
    assert (await client.get(event_url, headers=host.headers)).json()["party_status"] == "live"

    # Party events are edited through their party.
    for method, body in [("PATCH", {"title": "x"}), ("DELETE", None)]:
        response = await client.request(method, event_url, json=body, headers=guest.headers)
        assert (response.status_code, response.json()["code"]) == (409, "party_event")
        not_owner = await client.request(method, event_url, json=body, headers=host.headers)
        assert not_owner.status_code == 404

    await client.post(f"/api/parties/{party['id']}/end/", headers=guest.headers)
    assert (await client.get(event_url, headers=host.headers)).json()["party_status"] == "ended"


async def test_cancelling_removes_the_event(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host_user = await make_user(db, settings)
    host = await login(client, host_user)
    party = await make_party(db, host_user, title="Doomed")
    detail = (await client.get(f"/api/parties/{party}/", headers=host.headers)).json()
    assert await calendar(client, host) == ["Doomed"]
    await client.delete(f"/api/parties/{party}/", headers=host.headers)
    assert await calendar(client, host) == []
    gone = await client.get(f"/api/events/{detail['event_id']}/", headers=host.headers)
    assert gone.status_code == 404
    after = (await client.get(f"/api/parties/{party}/", headers=host.headers)).json()
    assert after["event_id"] is None


async def test_personal_events_crud_and_privacy(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    me = await login(client, await make_user(db, settings))
    other = await login(client, await make_user(db, settings, role="admin"))  # no staff bypass
    event = await create_event(
        client, me, title="  Pick films ", starts_at=at(1), ends_at=at(1, 1), description="d"
    )
    assert (event["type"], event["title"], event["party_id"], event["party_status"]) == (
        "personal",
        "Pick films",
        None,
        None,
    )
    url = f"/api/events/{event['id']}/"
    assert (await client.get(url, headers=me.headers)).json() == event
    for method, body in [("GET", None), ("PATCH", {"title": "mine"}), ("DELETE", None)]:
        response = await client.request(method, url, json=body, headers=other.headers)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), method
    assert await calendar(client, other) == []

    changed = await client.patch(url, json={"ends_at": None, "title": "Films"}, headers=me.headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["ends_at"]) == ("Films", None)
    backwards = await client.patch(
        url, json={"starts_at": at(3), "ends_at": at(2)}, headers=me.headers
    )
    assert backwards.status_code == 400 and "ends_at" in backwards.json()
    assert (await client.delete(url, headers=me.headers)).status_code == 204
    assert (await client.get(url, headers=me.headers)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": " ", "starts_at": at(1)}, "title"),
        ({"title": "x", "starts_at": "2026-11-30T18:00:00"}, "starts_at"),  # no offset
        ({"title": "x", "starts_at": at(2), "ends_at": at(1)}, "ends_at"),
        ({"title": "x"}, "starts_at"),
    ],
)
async def test_create_event_validation(
    client: httpx.AsyncClient, db: Database, settings: Settings, body: Any, field: str
) -> None:
    me = await login(client, await make_user(db, settings))
    response = await client.post("/api/events/", json=body, headers=me.headers)
    assert response.status_code == 400, response.text
    assert field in response.json()


async def test_calendar_window_type_and_order(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host_user = await make_user(db, settings)
    me = await login(client, host_user)
    await make_party(db, host_user, title="party-3d", scheduled_in=dt.timedelta(days=3))
    await create_event(client, me, title="long", starts_at=at(1), ends_at=at(2, 12))
    await create_event(client, me, title="day-2", starts_at=at(2))
    await create_event(client, me, title="day-5", starts_at=at(5))
    assert await calendar(client, me) == ["long", "day-2", "party-3d", "day-5"]
    # [from, to): `long` overlaps day 2 by its end; day-5 starts after `to`.
    window = f"?from={at(2).replace('Z', '%2B00:00')}&to={at(4)}"
    assert await calendar(client, me, window) == ["long", "day-2", "party-3d"]
    assert await calendar(client, me, f"?from={at(2, 13)}") == ["party-3d", "day-5"]
    assert await calendar(client, me, f"?to={at(2)}") == ["long"]
    assert await calendar(client, me, "?type=party") == ["party-3d"]
    assert await calendar(client, me, "?type=personal&page_size=1") == ["long"]

    backwards = await client.get(f"/api/events/?from={at(3)}&to={at(2)}", headers=me.headers)
    assert backwards.status_code == 400 and "to" in backwards.json()
    for bad in ("?from=yesterday", "?type=holiday", "?to=2026-01-01T00:00:00"):
        assert (await client.get(f"/api/events/{bad}", headers=me.headers)).status_code == 400, bad


async def test_calendar_pages_without_gaps(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    me = await login(client, await make_user(db, settings))
    same_time = at(1)
    titles = {f"e{i}" for i in range(5)}
    for title in titles:
        await create_event(client, me, title=title, starts_at=same_time)
    seen: list[str] = []
    url: str | None = "/api/events/?page_size=2"
    while url:
        page = (await client.get(url, headers=me.headers)).json()
        seen += [e["title"] for e in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(titles) and len(seen) == 5


async def test_events_need_login(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/events/")).status_code == 401
    assert (await client.get(f"/api/events/{uuid.uuid4()}/")).status_code == 401


async def test_party_event_ends_after_the_video(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host_user = await make_user(db, settings)
    host = await login(client, host_user)
    video = Video(
        owner_id=host_user.id,
        title="Feature",
        original_key="originals/feature.mp4",
        processing_state="ready",
        duration_seconds=5400.5,
    )
    async with db.session() as session:
        session.add(video)
        await session.commit()
    start = at(2)
    party = await client.post(
        "/api/parties/",
        json={"title": "Feature night", "scheduled_for": start, "video": str(video.id)},
        headers=host.headers,
    )
    assert party.status_code == 201, party.text
    event_url = f"/api/events/{party.json()['event_id']}/"
    event = (await client.get(event_url, headers=host.headers)).json()
    ends = dt.datetime.fromisoformat(start) + dt.timedelta(seconds=5400.5)
    assert dt.datetime.fromisoformat(event["ends_at"]) == ends
    await client.patch(
        f"/api/parties/{party.json()['id']}/", json={"video": None}, headers=host.headers
    )
    assert (await client.get(event_url, headers=host.headers)).json()["ends_at"] is None
