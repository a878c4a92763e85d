"""Party invitations over the API (issue 5): invite by email, the host's list, revoke, the
invitee's list, get, accept, decline, and claiming a mailed token, with every access edge
(host / participant / invitee / outsider), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import col, select, update

from tests.utils.factories import Session, login, make_party, make_user
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import Notification, OutboxMail, PartyActivity, PartyInvitation, User

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@dataclass
class Cast:
    """A private party: its host, a joined guest, a registered stranger and an admin."""

    host: Session
    guest: Session
    stranger: Session
    admin: Session
    stranger_user: User
    party: str

    def url(self, suffix: str = "") -> str:
        return f"/api/parties/{self.party}/{suffix}"


@pytest.fixture
async def cast(client: httpx.AsyncClient, db: Database, settings: Settings) -> Cast:
    host, guest_user = await make_user(db, settings), await make_user(db, settings)
    stranger_user = await make_user(db, settings)
    party = str(await make_party(db, host, visibility="public"))
    guest = await login(client, guest_user)
    assert (
        await client.post(f"/api/parties/{party}/join/", headers=guest.headers)
    ).status_code == 200
    host_session = await login(client, host)
    private = await client.patch(
        f"/api/parties/{party}/",
        json={"settings": {"visibility": "private"}},
        headers=host_session.headers,
    )
    assert private.status_code == 200
    return Cast(
        host=host_session,
        guest=guest,
        stranger=await login(client, stranger_user),
        admin=await login(client, await make_user(db, settings, role="admin")),
        stranger_user=stranger_user,
        party=party,
    )


async def invite(
    client: httpx.AsyncClient, cast: Cast, *emails: str, message: str | None = None
) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"emails": list(emails)}
    if message is not None:
        body["message"] = message
    response = await client.post(cast.url("invite/"), json=body, headers=cast.host.headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]  # type: ignore[no-any-return]


async def outbox_token(db: Database, email: str) -> str:
    """The claim token of the last invitation mail kept in the outbox for `email`."""
    async with db.session() as session:
        stmt = (
            select(OutboxMail)
            .where(col(OutboxMail.to) == email)
            .order_by(col(OutboxMail.created_at).desc())
        )
        mail = (await session.exec(stmt)).first()
    assert mail is not None, f"no mail to {email}"
    match = re.search(r"/invitations/claim\?token=([A-Za-z0-9_.-]+)", mail.body)
    assert match, mail.body
    return match.group(1)


# --- invite -----------------------------------------------------------------------------------


async def test_invite_outcomes(client: httpx.AsyncClient, db: Database, cast: Cast) -> None:
    stranger_email = cast.stranger_user.email
    results = await invite(
        client,
        cast,
        stranger_email.upper(),
        "New.Person@Example.org",
        stranger_email,  # a duplicate once lowercased
        cast.guest.user["email"],
        cast.host.user["email"],
        message="Bring snacks",
    )
    assert [(r["email"], r["status"]) for r in results] == [
        (stranger_email, "invited"),
        ("new.person@example.org", "emailed"),
        (cast.guest.user["email"], "already_participant"),
        (cast.host.user["email"], "already_participant"),
    ]
    assert results[2]["invitation_id"] is None
    again = await invite(client, cast, stranger_email, "new.person@example.org")
    assert [r["status"] for r in again] == ["already_invited", "already_invited"]
    assert [r["invitation_id"] for r in again] == [r["invitation_id"] for r in results[:2]]

    async with db.session() as session:
        stmt = select(Notification).where(col(Notification.user_id) == cast.stranger_user.id)
        note = (await session.exec(stmt)).one()
        kinds = (await session.exec(select(PartyActivity.kind))).all()
    assert note.type == "party_invitation" and note.body == "Bring snacks"
    assert note.data == {"party_id": cast.party, "invitation_id": results[0]["invitation_id"]}
    assert sorted(kinds).count("invited") == 2
    token = await outbox_token(db, "new.person@example.org")
    assert len(token) >= 16


@pytest.mark.parametrize(
    "body",
    [
        {"emails": []},
        {"emails": ["not-an-email"]},
        {"emails": [f"u{i}@example.com" for i in range(51)]},
        {"emails": ["a@example.com"], "message": "x" * 501},
    ],
)
async def test_invite_validation(client: httpx.AsyncClient, cast: Cast, body: Any) -> None:
    response = await client.post(cast.url("invite/"), json=body, headers=cast.host.headers)
    assert response.status_code == 400, response.text


async def test_invite_access_and_closed_party(client: httpx.AsyncClient, cast: Cast) -> None:
    body = {"emails": ["x@example.com"]}
    assert (
        await client.post(cast.url("invite/"), json=body, headers=cast.guest.headers)
    ).status_code == 403
    for who in (cast.stranger, cast.admin):
        response = await client.post(cast.url("invite/"), json=body, headers=who.headers)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    await client.delete(cast.url(), headers=cast.host.headers)
    closed = await client.post(cast.url("invite/"), json=body, headers=cast.host.headers)
    assert (closed.status_code, closed.json()["code"]) == (409, "party_closed")


async def test_invite_is_throttled(client: httpx.AsyncClient, cast: Cast) -> None:
    body = {"emails": ["x@example.com"]}
    for _ in range(20):  # the catalog's `invite` scope: 20/hour
        response = await client.post(cast.url("invite/"), json=body, headers=cast.host.headers)
        assert response.status_code == 200
    blocked = await client.post(cast.url("invite/"), json=body, headers=cast.host.headers)
    assert (blocked.status_code, blocked.json()["code"]) == (429, "throttled")
    assert int(blocked.headers["Retry-After"]) > 0


# --- the host's side ------------------------------------------------------------------------------


async def test_list_and_revoke_party_invitations(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    [first] = await invite(client, cast, cast.stranger_user.email)
    [second] = await invite(client, cast, "new@example.org")
    listed = await client.get(cast.url("invitations/"), headers=cast.host.headers)
    assert listed.status_code == 200, listed.text
    rows = listed.json()["results"]
    assert [r["id"] for r in rows] == [second["invitation_id"], first["invitation_id"]]
    assert rows[0]["invitee"] is None and rows[1]["invitee"]["id"] == str(cast.stranger_user.id)
    assert rows[0]["party"]["my_role"] == "host" and rows[0]["invited_by"] is not None
    assert (
        await client.get(cast.url("invitations/"), headers=cast.guest.headers)
    ).status_code == 403
    hidden = await client.get(cast.url("invitations/"), headers=cast.admin.headers)
    assert hidden.status_code == 404

    revoke = cast.url(f"invitations/{second['invitation_id']}/")
    assert (await client.delete(revoke, headers=cast.guest.headers)).status_code == 403
    unknown = await client.delete(
        cast.url(f"invitations/{uuid.uuid4()}/"), headers=cast.host.headers
    )
    assert unknown.status_code == 404
    assert (await client.delete(revoke, headers=cast.host.headers)).status_code == 204
    again = await client.delete(revoke, headers=cast.host.headers)
    assert (again.status_code, again.json()["code"]) == (409, "not_pending")
    revoked = await client.get(cast.url("invitations/?status=revoked"), headers=cast.host.headers)
    assert [r["id"] for r in revoked.json()["results"]] == [second["invitation_id"]]
    pending = await client.get(cast.url("invitations/?status=pending"), headers=cast.host.headers)
    assert [r["id"] for r in pending.json()["results"]] == [first["invitation_id"]]

    # The revoked invitation's mailed token stops working.
    someone = await login(client, await make_user(db, settings))
    token = await outbox_token(db, "new@example.org")
    claim = await client.post(
        "/api/invitations/claim/", json={"token": token}, headers=someone.headers
    )
    assert (claim.status_code, claim.json()["code"]) == (409, "not_pending")


# --- the invitee's side ------------------------------------------------------------------------


async def test_invitee_sees_private_party_and_accepts(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    assert (await client.get(cast.url(), headers=cast.stranger.headers)).status_code == 404
    [outcome] = await invite(client, cast, cast.stranger_user.email)
    invitation_id = outcome["invitation_id"]

    detail = await client.get(cast.url(), headers=cast.stranger.headers)
    assert detail.status_code == 200, detail.text
    assert detail.json()["my_invitation_id"] == invitation_id
    assert detail.json()["my_status"] is None

    mine = await client.get("/api/invitations/", headers=cast.stranger.headers)
    assert [i["id"] for i in mine.json()["results"]] == [invitation_id]
    assert mine.json()["results"][0]["party"]["my_status"] is None
    assert (await client.get("/api/invitations/", headers=cast.guest.headers)).json()[
        "results"
    ] == []
    url = f"/api/invitations/{invitation_id}/"
    got = await client.get(url, headers=cast.stranger.headers)
    assert got.status_code == 200 and got.json()["status"] == "pending"
    for who in (cast.host, cast.guest, cast.admin):
        assert (await client.get(url, headers=who.headers)).status_code == 404
        assert (await client.post(url + "accept/", headers=who.headers)).status_code == 404

    accepted = await client.post(url + "accept/", headers=cast.stranger.headers)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["status"] == "accepted" and body["responded_at"] is not None
    assert (body["party"]["my_status"], body["party"]["participant_count"]) == ("joined", 3)
    async with db.session() as session:
        stmt = select(Notification).where(
            col(Notification.user_id) == uuid.UUID(cast.host.user["id"])
        )
        notes = [(n.type, n.data) for n in (await session.exec(stmt)).all()]
    assert (
        "invitation_accepted",
        {"party_id": cast.party, "invitation_id": invitation_id},
    ) in notes
    again = await client.post(url + "accept/", headers=cast.stranger.headers)
    assert (again.status_code, again.json()["code"]) == (409, "not_pending")
    declined = await client.post(url + "decline/", headers=cast.stranger.headers)
    assert (declined.status_code, declined.json()["code"]) == (409, "not_pending")
    detail = await client.get(cast.url(), headers=cast.stranger.headers)
    assert (detail.json()["my_status"], detail.json()["my_invitation_id"]) == ("joined", None)


async def test_decline(client: httpx.AsyncClient, cast: Cast) -> None:
    [outcome] = await invite(client, cast, cast.stranger_user.email)
    url = f"/api/invitations/{outcome['invitation_id']}/"
    declined = await client.post(url + "decline/", headers=cast.stranger.headers)
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    # A declined invitation no longer opens the private party.
    assert (await client.get(cast.url(), headers=cast.stranger.headers)).status_code == 404
    listed = await client.get("/api/invitations/?status=declined", headers=cast.stranger.headers)
    assert len(listed.json()["results"]) == 1


async def test_kicked_user_may_come_back_when_invited_anew(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    guest_id = cast.guest.user["id"]
    await client.post(cast.url(f"participants/{guest_id}/kick/"), headers=cast.host.headers)
    refused = await client.post(cast.url("join/"), headers=cast.guest.headers)
    assert refused.status_code == 404  # private, and a kicked user is an outsider again
    [outcome] = await invite(client, cast, cast.guest.user["email"])
    assert outcome["status"] == "invited"
    joined = await client.post(cast.url("join/"), headers=cast.guest.headers)  # accepts it
    assert joined.status_code == 200, joined.text
    assert joined.json()["status"] == "joined"
    got = await client.get(
        f"/api/invitations/{outcome['invitation_id']}/", headers=cast.guest.headers
    )
    assert got.json()["status"] == "accepted"


async def test_kick_revokes_earlier_invitations(client: httpx.AsyncClient, cast: Cast) -> None:
    await client.post(cast.url("leave/"), headers=cast.guest.headers)
    [outcome] = await invite(client, cast, cast.guest.user["email"])
    assert outcome["status"] == "invited"
    guest_id = cast.guest.user["id"]
    await client.post(cast.url(f"participants/{guest_id}/kick/"), headers=cast.host.headers)
    assert (await client.post(cast.url("join/"), headers=cast.guest.headers)).status_code == 404
    got = await client.get(
        f"/api/invitations/{outcome['invitation_id']}/", headers=cast.guest.headers
    )
    assert got.json()["status"] == "revoked"


async def test_accept_skips_approval_but_not_capacity(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    await client.patch(
        cast.url(),
        json={"settings": {"require_approval": True, "max_participants": 2}},
        headers=cast.host.headers,
    )
    [outcome] = await invite(client, cast, cast.stranger_user.email)
    url = f"/api/invitations/{outcome['invitation_id']}/accept/"
    full = await client.post(url, headers=cast.stranger.headers)
    assert (full.status_code, full.json()["code"]) == (409, "party_full")
    await client.post(cast.url("leave/"), headers=cast.guest.headers)
    accepted = await client.post(url, headers=cast.stranger.headers)
    assert accepted.status_code == 200 and accepted.json()["party"]["my_status"] == "joined"


async def test_ending_or_cancelling_expires_pending_invitations(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    [outcome] = await invite(client, cast, cast.stranger_user.email)
    await client.post(cast.url("start/"), headers=cast.host.headers)
    await client.post(cast.url("end/"), headers=cast.host.headers)
    url = f"/api/invitations/{outcome['invitation_id']}/"
    assert (await client.get(url, headers=cast.stranger.headers)).json()["status"] == "expired"
    accept = await client.post(url + "accept/", headers=cast.stranger.headers)
    assert (accept.status_code, accept.json()["code"]) == (409, "not_pending")


async def test_invitation_past_its_expiry_reads_as_expired(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    [outcome] = await invite(client, cast, cast.stranger_user.email)
    async with db.session() as session:
        await session.exec(update(PartyInvitation).values(expires_at=utcnow()))
        await session.commit()
    url = f"/api/invitations/{outcome['invitation_id']}/"
    assert (await client.get(url, headers=cast.stranger.headers)).json()["status"] == "expired"
    expired = await client.get("/api/invitations/?status=expired", headers=cast.stranger.headers)
    assert len(expired.json()["results"]) == 1
    pending = await client.get("/api/invitations/?status=pending", headers=cast.stranger.headers)
    assert pending.json()["results"] == []
    assert (await client.get(cast.url(), headers=cast.stranger.headers)).status_code == 404
    again = await invite(client, cast, cast.stranger_user.email)
    assert again[0]["status"] == "invited"  # a fresh invitation replaces the dead one


# --- claiming a mailed token ------------------------------------------------------------------


async def test_claim_mailed_invitation(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    [outcome] = await invite(client, cast, "newcomer@example.org")
    token = await outbox_token(db, "newcomer@example.org")
    newcomer = await login(client, await make_user(db, settings, email="other@example.org"))

    unknown = await client.post(
        "/api/invitations/claim/", json={"token": "x" * 20}, headers=newcomer.headers
    )
    assert unknown.status_code == 400 and "token" in unknown.json()
    claimed = await client.post(
        "/api/invitations/claim/", json={"token": token}, headers=newcomer.headers
    )
    assert claimed.status_code == 200, claimed.text
    body = claimed.json()
    assert body["id"] == outcome["invitation_id"] and body["status"] == "pending"
    assert body["invitee"]["id"] == newcomer.user["id"]
    assert body["email"] == "newcomer@example.org"
    used = await client.post(
        "/api/invitations/claim/", json={"token": token}, headers=cast.stranger.headers
    )
    assert (used.status_code, used.json()["code"]) == (409, "token_used")
    detail = await client.get(cast.url(), headers=newcomer.headers)
    assert detail.json()["my_invitation_id"] == outcome["invitation_id"]
    accepted = await client.post(
        f"/api/invitations/{outcome['invitation_id']}/accept/", headers=newcomer.headers
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


async def test_concurrent_claims_bind_once(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    await invite(client, cast, "newcomer@example.org")
    token = await outbox_token(db, "newcomer@example.org")
    racers = [await login(client, await make_user(db, settings)) for _ in range(4)]
    answers = await asyncio.gather(
        *(
            client.post("/api/invitations/claim/", json={"token": token}, headers=r.headers)
            for r in racers
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
