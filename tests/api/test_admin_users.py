"""Admin user management over the API (issue 6): list with filters and cursors, detail, role
and status changes (audited, sessions revoked, tokens refused), and the last-admin rule, race
included, on SQLite and PostgreSQL. Every response is validated against the spec by the app.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from tests.utils.factories import Session, login, make_party, make_user
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import AuditEntry, User

USERS = "/api/admin/users/"


def url(user: User | str) -> str:
    return f"{USERS}{user if isinstance(user, str) else user.id}/"


async def audit_entries(db: Database, target: User) -> list[AuditEntry]:
    async with db.session() as session:
        stmt = (
            select(AuditEntry)
            .where(col(AuditEntry.target_id) == target.id)
            .order_by(col(AuditEntry.created_at))
        )
        return list((await session.exec(stmt)).all())


@pytest.fixture
async def admin(client: httpx.AsyncClient, db: Database, settings: Settings) -> Session:
    return await login(client, await make_user(db, settings, role="admin"))


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["user", "moderator"])
async def test_only_admins(
    client: httpx.AsyncClient, db: Database, settings: Settings, role: str
) -> None:
    other = await make_user(db, settings)
    me = await login(client, await make_user(db, settings, role=role))
    calls = [
        client.get(USERS, headers=me.headers),
        client.get(url(other), headers=me.headers),
        client.patch(url(other), json={"role": "admin"}, headers=me.headers),
    ]
    for response in await asyncio.gather(*calls):
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "permission_denied"
    async with db.session() as session:
        assert (await session.get(User, other.id)).role == "user"  # type: ignore[union-attr]


async def test_anonymous(client: httpx.AsyncClient, db: Database, settings: Settings) -> None:
    other = await make_user(db, settings)
    for response in (
        await client.get(USERS),
        await client.get(url(other)),
        await client.patch(url(other), json={"role": "admin"}),
    ):
        assert response.status_code == 401, response.text


# --- list ----------------------------------------------------------------------------------


async def _ids(client: httpx.AsyncClient, admin: Session, query: str) -> list[str]:
    response = await client.get(f"{USERS}?{query}", headers=admin.headers)
    assert response.status_code == 200, response.text
    return [row["username"] for row in response.json()["results"]]


async def test_list_filters_and_search(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    now = utcnow()
    ana = await make_user(db, settings, username="Ana_Lima", display_name="Ana")
    await make_user(db, settings, username="bruno", display_name="Bruno ANALYST")
    await make_user(db, settings, username="carla", email="carla@anamail.example")
    await make_user(db, settings, username="mod_rui", role="moderator")
    gone = now - dt.timedelta(hours=1)
    await make_user(db, settings, username="was_out", status="suspended", suspended_until=gone)
    await make_user(
        db,
        settings,
        username="still_out",
        status="suspended",
        suspended_until=now + dt.timedelta(days=1),
    )
    await make_user(db, settings, username="banned1", status="banned")

    # One match each in username, display name and email, whatever the case.
    assert set(await _ids(client, admin, "search=ANA")) == {"Ana_Lima", "bruno", "carla"}
    # LIKE wildcards in the term are literal characters.
    assert await _ids(client, admin, "search=a_l") == ["Ana_Lima"]
    assert await _ids(client, admin, "search=%25") == []
    assert await _ids(client, admin, "role=moderator") == ["mod_rui"]
    # A suspension that ran out counts as active, in the filter and in the row alike.
    assert await _ids(client, admin, "status=suspended") == ["still_out"]
    assert await _ids(client, admin, "status=banned") == ["banned1"]
    assert "was_out" in await _ids(client, admin, "status=active&page_size=100")
    rows = (await client.get(f"{USERS}?search=out", headers=admin.headers)).json()["results"]
    by_name = {row["username"]: row for row in rows}
    assert by_name["was_out"]["status"] == "active"
    assert by_name["was_out"]["suspended_until"] is None
    assert by_name["still_out"]["status"] == "suspended"
    assert by_name["still_out"]["suspended_until"] is not None
    row = (await client.get(f"{USERS}?search=ana_lima", headers=admin.headers)).json()["results"]
    assert row[0]["id"] == str(ana.id) and row[0]["email"] == ana.email
    assert row[0]["role"] == "user" and row[0]["plan"] == "free"


async def test_list_pages_newest_first_with_cursors(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    names = [(await make_user(db, settings, username=f"pager{i}")).username for i in range(5)]
    page = (await client.get(f"{USERS}?search=pager&page_size=2", headers=admin.headers)).json()
    seen = [row["username"] for row in page["results"]]
    while page["next"]:
        page = (await client.get(page["next"], headers=admin.headers)).json()
        seen += [row["username"] for row in page["results"]]
    assert seen == names[::-1]
    bad = await client.get(f"{USERS}?cursor=garbage", headers=admin.headers)
    assert bad.status_code == 400 and "cursor" in bad.json()


# --- detail --------------------------------------------------------------------------------


async def test_detail_with_counters(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    host = await make_user(db, settings, bio="Horror on Fridays.")
    await make_party(db, host)
    await make_party(db, host)
    response = await client.get(url(host), headers=admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["bio"] == "Horror on Fridays."
    assert (body["parties_hosted"], body["reports_received"], body["warning_count"]) == (2, 0, 0)
    assert body["last_login"] is None and body["suspended_until"] is None


async def test_detail_of_unknown_user(client: httpx.AsyncClient, admin: Session) -> None:
    missing = await client.get(url("5f0a7c1e-0000-4000-8000-000000000000"), headers=admin.headers)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


# --- update --------------------------------------------------------------------------------


async def _patch(
    client: httpx.AsyncClient, admin: Session, user: User, body: dict[str, Any]
) -> httpx.Response:
    return await client.patch(url(user), json=body, headers=admin.headers)


async def test_suspension_refuses_live_tokens_and_is_audited(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    target = await make_user(db, settings)
    victim = await login(client, target)
    assert (await client.get("/api/auth/me/", headers=victim.headers)).status_code == 200

    response = await _patch(
        client, admin, target, {"status": "suspended", "suspension_days": 7, "reason": "Spam"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "suspended"
    until = dt.datetime.fromisoformat(body["suspended_until"])
    assert abs(until - (utcnow() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)

    # The access token is still within its lifetime, but its session was revoked.
    me = await client.get("/api/auth/me/", headers=victim.headers)
    assert me.status_code == 401, me.text
    refreshed = await client.post("/api/auth/refresh/", json={"refresh": victim.refresh})
    assert refreshed.status_code == 401
    (entry,) = await audit_entries(db, target)
    assert (entry.action, entry.target_type) == ("user.update", "user")
    assert entry.data["before"] == {"role": "user", "status": "active"}
    assert entry.data["after"] == {"role": "user", "status": "suspended"}
    assert entry.data["reason"] == "Spam"
    assert entry.actor_id is not None and str(entry.actor_id) == admin.user["id"]

    # Reactivated: logging in works again; the revoked session stays dead.
    back = await _patch(client, admin, target, {"status": "active"})
    assert back.json()["status"] == "active" and back.json()["suspended_until"] is None
    assert (await client.get("/api/auth/me/", headers=victim.headers)).status_code == 401
    again = await login(client, target)
    assert (await client.get("/api/auth/me/", headers=again.headers)).status_code == 200
    assert len(await audit_entries(db, target)) == 2


async def test_suspension_without_days_lasts_until_reactivated(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    target = await make_user(db, settings)
    response = await _patch(client, admin, target, {"status": "suspended"})
    assert response.json()["status"] == "suspended"
    assert response.json()["suspended_until"] is None
    refused = await client.post(
        "/api/auth/login/", json={"email": target.email, "password": "correct-horse-battery"}
    )
    assert refused.status_code == 401 and refused.json()["code"] == "account_suspended"


async def test_ban(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    target = await make_user(db, settings)
    victim = await login(client, target)
    response = await _patch(client, admin, target, {"status": "banned"})
    assert response.status_code == 200 and response.json()["status"] == "banned"
    assert (await client.get("/api/auth/me/", headers=victim.headers)).status_code == 401
    refused = await client.post(
        "/api/auth/login/", json={"email": target.email, "password": "correct-horse-battery"}
    )
    assert refused.status_code == 401 and refused.json()["code"] == "account_banned"


async def test_status_is_checked_on_every_request(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    """The second lock: even with its session alive, a restricted account's token is refused."""
    target = await make_user(db, settings)
    victim = await login(client, target)
    for status, code in (("suspended", "account_suspended"), ("banned", "account_banned")):
        async with db.session() as session:
            row = await session.get(User, target.id)
            assert row is not None
            row.status = status
            session.add(row)
            await session.commit()
        me = await client.get("/api/auth/me/", headers=victim.headers)
        assert me.status_code == 401 and me.json()["code"] == code


async def test_role_change_takes_effect_on_the_next_request(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    target = await make_user(db, settings)
    theirs = await login(client, target)
    assert (await client.get(USERS, headers=theirs.headers)).status_code == 403
    response = await _patch(client, admin, target, {"role": "admin"})
    assert response.status_code == 200 and response.json()["role"] == "admin"
    # The token's `role` claim is stale; the account row decides.
    assert (await client.get(USERS, headers=theirs.headers)).status_code == 200
    (entry,) = await audit_entries(db, target)
    assert entry.data["after"]["role"] == "admin"


async def test_bad_updates(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    target = await make_user(db, settings)
    days_alone = await _patch(client, admin, target, {"suspension_days": 3})
    assert days_alone.status_code == 400 and "suspension_days" in days_alone.json()
    deleted = await _patch(client, admin, target, {"status": "deleted"})
    assert deleted.status_code == 400 and "status" in deleted.json()
    assert (await _patch(client, admin, target, {"role": "root"})).status_code == 400
    # An empty update changes nothing and audits nothing.
    assert (await _patch(client, admin, target, {})).status_code == 200
    assert await audit_entries(db, target) == []
    missing = await client.patch(
        url("5f0a7c1e-0000-4000-8000-000000000000"), json={"role": "user"}, headers=admin.headers
    )
    assert missing.status_code == 404


async def test_deleted_accounts_cannot_be_changed(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    target = await make_user(db, settings, status="deleted")
    response = await _patch(client, admin, target, {"status": "active"})
    assert response.status_code == 409 and response.json()["code"] == "account_deleted"


# --- the last admin ------------------------------------------------------------------------


async def test_last_admin_cannot_leave_office(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    me = await _me(db, admin)
    for change in ({"role": "moderator"}, {"status": "suspended"}, {"status": "banned"}):
        response = await _patch(client, admin, me, change)
        assert response.status_code == 409, change
        assert response.json()["code"] == "last_admin"
    assert await audit_entries(db, me) == []
    # A suspended admin does not count as another active one.
    await make_user(db, settings, role="admin", status="suspended")
    assert (await _patch(client, admin, me, {"role": "user"})).status_code == 409
    # With a second active admin, the first may step down; then the second is the last.
    second = await make_user(db, settings, role="admin")
    assert (await _patch(client, admin, me, {"status": "active"})).status_code == 200
    second_session = await login(client, second)
    assert (await _patch(client, second_session, me, {"role": "user"})).status_code == 200
    last = await _patch(client, second_session, second, {"role": "user"})
    assert last.status_code == 409 and last.json()["code"] == "last_admin"


async def test_two_admins_demoting_each_other_at_once(
    client: httpx.AsyncClient, db: Database, settings: Settings, admin: Session
) -> None:
    me = await _me(db, admin)
    other_user = await make_user(db, settings, role="admin")
    other = await login(client, other_user)
    first, second = await asyncio.gather(
        _patch(client, admin, other_user, {"role": "user"}),
        _patch(client, other, me, {"role": "user"}),
    )
    # The loser is refused as the last admin, or (if the winner committed before the loser's
    # request began) as no admin at all any more.
    codes = sorted([first.status_code, second.status_code])
    assert codes in ([200, 403], [200, 409]), (first.text, second.text)
    async with db.session() as session:
        admins = (await session.exec(select(User).where(col(User.role) == "admin"))).all()
    assert len(admins) == 1


async def _me(db: Database, session: Session) -> User:
    async with db.session() as db_session:
        user = await db_session.get(User, uuid.UUID(session.user["id"]))
    assert user is not None
    return user
