"""Party analytics over the API (issue 5): who may read them, and every figure computed from
recorded `party_activity` facts only (docs/analytics.md), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
from sqlmodel import col, update

from tests.utils.factories import login, make_party, make_user
from watchparty.db import Database
from watchparty.services.activity import record_activity
from watchparty.settings import Settings
from watchparty.tables import Party, User

# The party starts tomorrow at HH:01:30, after the facts the factories record now.
T0 = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(minute=1, second=30, microsecond=0)


def minute(n: int) -> str:
    """Minute `n` of T0's hour, as the timeline names it."""
    return T0.replace(minute=n, second=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def url(party: uuid.UUID) -> str:
    return f"/api/analytics/parties/{party}/"


async def record(
    db: Database, party: uuid.UUID, *facts: tuple[float, str, User | None, dict[str, Any]]
) -> None:
    """Facts as (seconds after T0, kind, user, data)."""
    async with db.session() as session:
        for seconds, kind, user, data in facts:
            fact = record_activity(
                session, party_id=party, kind=kind, user_id=user.id if user else None, data=data
            )
            fact.at = T0 + dt.timedelta(seconds=seconds)
        await session.commit()


async def set_times(db: Database, party: uuid.UUID, **times: dt.datetime) -> None:
    async with db.session() as session:
        await session.exec(update(Party).where(col(Party.id) == party).values(**times))
        await session.commit()


async def test_access(client: httpx.AsyncClient, db: Database, settings: Settings) -> None:
    host, guest = await make_user(db, settings), await make_user(db, settings)
    party = await make_party(db, host, visibility="public")
    guest_session = await login(client, guest)
    await client.post(f"/api/parties/{party}/join/", headers=guest_session.headers)
    outsider = await login(client, await make_user(db, settings))
    moderator = await login(client, await make_user(db, settings, role="moderator"))
    admin = await login(client, await make_user(db, settings, role="admin"))
    assert (await client.get(url(party), headers=guest_session.headers)).status_code == 403
    for who in (outsider, moderator):
        response = await client.get(url(party), headers=who.headers)
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert (await client.get(url(uuid.uuid4()), headers=admin.headers)).status_code == 404
    for who in (await login(client, host), admin):
        response = await client.get(url(party), headers=who.headers)
        assert response.status_code == 200, response.text
    assert (await client.get(url(party))).status_code == 401


async def test_party_that_never_went_live(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host = await make_user(db, settings)
    me = await login(client, host)
    party = await make_party(db, host)
    await client.post(
        f"/api/parties/{party}/invite/", json={"emails": ["a@example.org"]}, headers=me.headers
    )
    body = (await client.get(url(party), headers=me.headers)).json()
    assert (body["invited"], body["joined"]) == (1, 1)  # the invitation, and the host
    assert body["timeline"] == [] and body["started_at"] is None
    assert (body["peak_concurrent_viewers"], body["peak_at"]) == (0, None)
    assert body["total_watch_seconds"] == 0 and body["chat_messages"] == 0
    assert body["reaction_breakdown"] == {}


async def test_figures_from_facts(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    host, ben, cleo = [await make_user(db, settings) for _ in range(3)]
    me = await login(client, host)
    party = await make_party(db, host)  # records the host's `joined`
    ended = T0 + dt.timedelta(seconds=150)
    await set_times(db, party, started_at=T0, ended_at=ended)
    await record(
        db,
        party,
        (-600, "invited", ben, {"invitation_id": str(uuid.uuid4())}),
        (-500, "joined", ben, {}),
        (0, "connected", host, {"connection_id": "h1"}),
        (20, "connected", ben, {"connection_id": "b1"}),
        (25, "chat_message", ben, {}),
        (30, "reaction", ben, {"emoji": "😱"}),
        (31, "reaction", host, {"emoji": "😱"}),
        (40, "poll_created", host, {"poll_id": "p1"}),
        (45, "poll_vote", ben, {"poll_id": "p1"}),
        (60, "disconnected", ben, {"connection_id": "b1"}),
        # Ben reconnects at the very instant Cleo joins: never counted as three viewers.
        (90, "connected", ben, {"connection_id": "b2"}),
        (90, "joined", cleo, {}),
        (90, "connected", cleo, {"connection_id": "c1"}),
        (100, "disconnected", cleo, {"connection_id": "c1"}),
        (100, "left", cleo, {"reason": "left"}),
        (110, "reaction", cleo, {"emoji": "😂"}),
        (230, "disconnected", ben, {"connection_id": "unknown"}),  # no matching connect
    )
    body = (await client.get(url(party), headers=me.headers)).json()
    assert body["invited"] == 1
    assert body["joined"] == 3  # host, ben and cleo, each once
    assert body["peak_concurrent_viewers"] == 3
    assert body["peak_at"] == minute(3)
    # host 0..150 (still open at the end), ben 20..60 and 90..150, cleo 90..100.
    assert body["total_watch_seconds"] == 150 + 40 + 60 + 10
    assert body["average_watch_seconds"] == round(260 / 3, 3)
    counts = ("chat_messages", "reactions", "polls", "poll_votes")
    assert [body[name] for name in counts] == [1, 3, 1, 1]
    assert body["reaction_breakdown"] == {"😱": 2, "😂": 1}
    # Minutes run from the first fact after the start to the last; minute 4 had no fact but
    # two viewers stayed connected through it.
    quiet = {"joins": 0, "leaves": 0, "chat_messages": 0, "reactions": 0, "poll_votes": 0}
    assert body["timeline"] == [
        {**quiet, "minute": minute(1), "viewers": 2, "chat_messages": 1},
        {**quiet, "minute": minute(2), "viewers": 2, "reactions": 2, "poll_votes": 1},
        {**quiet, "minute": minute(3), "viewers": 3, "joins": 1, "leaves": 1} | {"reactions": 1},
        {**quiet, "minute": minute(4), "viewers": 2},
        {**quiet, "minute": minute(5), "viewers": 2},
    ]
