"""Moderation over the API (issue 6): filing reports on users, parties and chat messages, the
staff queue, and resolutions whose actions are really applied (message removed, party
cancelled, profile cleared, account suspended or banned with its tokens refused), audited
and notified, with the user / moderator / admin / anonymous edges, on SQLite and PostgreSQL.
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
from watchparty.tables import AuditEntry, Notification, Party, User, Video

REPORTS = "/api/moderation/reports/"
MISSING = "5f0a7c1e-0000-4000-8000-000000000000"


def resolve_url(report_id: str) -> str:
    return f"/api/moderation/admin/reports/{report_id}/resolve/"


@dataclass
class Cast:
    """A reporter, a reported author, a moderator and an admin, each logged in."""

    reporter: Session
    author: Session
    author_user: User
    moderator: Session
    admin: Session


@pytest.fixture
async def cast(client: httpx.AsyncClient, db: Database, settings: Settings) -> Cast:
    author = await make_user(db, settings)
    return Cast(
        reporter=await login(client, await make_user(db, settings)),
        author=await login(client, author),
        author_user=author,
        moderator=await login(client, await make_user(db, settings, role="moderator")),
        admin=await login(client, await make_user(db, settings, role="admin")),
    )


async def report(
    client: httpx.AsyncClient, who: Session, target_type: str, target_id: Any, **extra: Any
) -> httpx.Response:
    body = {"target_type": target_type, "target_id": str(target_id), "reason": "spam", **extra}
    return await client.post(REPORTS, json=body, headers=who.headers)


async def report_user(client: httpx.AsyncClient, cast: Cast, **extra: Any) -> dict[str, Any]:
    response = await report(client, cast.reporter, "user", cast.author_user.id, **extra)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def resolve(
    client: httpx.AsyncClient, who: Session, report_id: str, **body: Any
) -> httpx.Response:
    return await client.post(resolve_url(report_id), json=body, headers=who.headers)


async def chat_message(
    client: httpx.AsyncClient, party: uuid.UUID, who: Session, content: str
) -> str:
    response = await client.post(
        f"/api/chat/{party}/messages/send/", json={"content": content}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def notes(db: Database, user_id: Any, type_: str) -> list[Notification]:
    async with db.session() as session:
        stmt = select(Notification).where(
            col(Notification.user_id) == uuid.UUID(str(user_id)), col(Notification.type) == type_
        )
        return list((await session.exec(stmt)).all())


async def audit(db: Database) -> list[AuditEntry]:
    async with db.session() as session:
        return list((await session.exec(select(AuditEntry))).all())


async def fresh(db: Database, model: Any, key: Any) -> Any:
    async with db.session() as session:
        return await session.get(model, uuid.UUID(str(key)))


# --- filing reports ------------------------------------------------------------------------


async def test_report_a_user_once_while_open(client: httpx.AsyncClient, cast: Cast) -> None:
    first = await report_user(client, cast, text="  Spams links.  ")
    assert first["status"] == "open" and first["resolution"] is None
    assert first["reporter"]["id"] == cast.reporter.user["id"]
    assert first["target_user"]["id"] == str(cast.author_user.id)
    assert first["target_excerpt"] == cast.author_user.username
    assert first["text"] == "Spams links."
    # The same target again while the first is open: the open report, 200.
    again = await report(client, cast.reporter, "user", cast.author_user.id, reason="other")
    assert again.status_code == 200 and again.json() == first
    # Once resolved, a new report can be filed.
    assert (await resolve(client, cast.moderator, first["id"], action="dismiss")).status_code == 200
    new = await report(client, cast.reporter, "user", cast.author_user.id)
    assert new.status_code == 201 and new.json()["id"] != first["id"]


async def test_a_deleted_reporter_is_shown_as_gone(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    filed = await report_user(client, cast)
    deleted = await client.post(
        "/api/auth/me/delete/",
        json={"password": "correct-horse-battery"},
        headers=cast.reporter.headers,
    )
    assert deleted.status_code == 204, deleted.text
    shown = await client.get(f"{REPORTS}{filed['id']}/", headers=cast.moderator.headers)
    assert shown.json()["reporter"] is None
    # Resolving still works; nobody is left to tell.
    assert (await resolve(client, cast.moderator, filed["id"], action="warn")).status_code == 200
    assert await notes(db, cast.reporter.user["id"], "report_resolved") == []


async def test_concurrent_identical_reports_are_stored_once(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    responses = await asyncio.gather(
        *(report(client, cast.reporter, "user", cast.author_user.id) for _ in range(3))
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1


async def test_report_targets_the_caller_cannot_see_or_own(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    private = await make_party(db, cast.author_user)  # private by default
    deleted = await make_user(db, settings, status="deleted")
    cases = [
        ("user", MISSING, "No such user."),
        ("user", deleted.id, "No such user."),
        ("party", MISSING, "No such party."),
        ("party", private, "No such party."),
        ("message", MISSING, "No such message."),
        ("user", cast.reporter.user["id"], "You cannot report yourself or your own content."),
    ]
    for target_type, target_id, message in cases:
        response = await report(client, cast.reporter, target_type, target_id)
        assert response.status_code == 400, (target_type, response.text)
        assert response.json() == {"target_id": [message]}
    own = await report(client, cast.author, "party", private)
    assert own.json() == {"target_id": ["You cannot report yourself or your own content."]}
    bad = await report(client, cast.reporter, "user", cast.author_user.id, reason="boring")
    assert bad.status_code == 400 and "reason" in bad.json()


async def test_report_a_party_and_a_chat_message(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    party = await make_party(db, cast.author_user, title="Late show", visibility="public")
    filed = await report(client, cast.reporter, "party", party)
    assert filed.status_code == 201, filed.text
    assert filed.json()["target_excerpt"] == "Late show"
    assert filed.json()["target_user"]["id"] == str(cast.author_user.id)

    message = await chat_message(client, party, cast.author, "buy cheap followers")
    # Only participants see the party's chat.
    outside = await report(client, cast.reporter, "message", message)
    assert outside.status_code == 400 and outside.json() == {"target_id": ["No such message."]}
    joined = await client.post(f"/api/parties/{party}/join/", headers=cast.reporter.headers)
    assert joined.status_code == 200, joined.text
    inside = await report(client, cast.reporter, "message", message, reason="harassment")
    assert inside.status_code == 201, inside.text
    assert inside.json()["target_excerpt"] == "buy cheap followers"
    assert inside.json()["target_user"]["id"] == str(cast.author_user.id)


async def shown_video(db: Database, owner: User, viewer: Session, client: httpx.AsyncClient) -> str:
    """A ready video of `owner`, shown by a public party `viewer` joins (so they may see it)."""
    video = Video(owner_id=owner.id, title="Pirated film", original_key="videos/x/original")
    async with db.session() as session:
        session.add(video)
        await session.commit()
    party = await make_party(db, owner, visibility="public")
    async with db.session() as session:
        row = await session.get(Party, party)
        assert row is not None
        row.video_id = video.id
        session.add(row)
        await session.commit()
    joined = await client.post(f"/api/parties/{party}/join/", headers=viewer.headers)
    assert joined.status_code == 200, joined.text
    return str(video.id)


async def test_report_a_video_only_when_seen(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    video = await shown_video(db, cast.author_user, cast.reporter, client)
    stranger = await login(client, await make_user(db, settings))
    unseen = await report(client, stranger, "video", video)
    assert unseen.status_code == 400 and unseen.json() == {"target_id": ["No such video."]}
    filed = await report(client, cast.reporter, "video", video, reason="copyright")
    assert filed.status_code == 201, filed.text
    assert filed.json()["target_excerpt"] == "Pirated film"
    assert filed.json()["target_user"]["id"] == str(cast.author_user.id)


async def test_anonymous_callers(client: httpx.AsyncClient) -> None:
    for response in (
        await client.post(
            REPORTS, json={"target_type": "user", "target_id": MISSING, "reason": "spam"}
        ),
        await client.get(REPORTS),
        await client.get(f"{REPORTS}{MISSING}/"),
        await client.post(resolve_url(MISSING), json={"action": "dismiss"}),
    ):
        assert response.status_code == 401, response.text


# --- the staff queue -----------------------------------------------------------------------


async def test_queue_is_for_staff_with_filters_and_cursors(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    first = await report_user(client, cast)
    party = await make_party(db, cast.author_user, visibility="public")
    second = (await report(client, cast.reporter, "party", party, reason="violence")).json()
    third = (await report(client, cast.author, "user", cast.reporter.user["id"])).json()
    await resolve(client, cast.moderator, third["id"], action="dismiss")

    for who in (cast.reporter, cast.author):
        assert (await client.get(REPORTS, headers=who.headers)).status_code == 403
        one = await client.get(f"{REPORTS}{first['id']}/", headers=who.headers)
        assert one.status_code == 403
    for who in (cast.moderator, cast.admin):
        page = (await client.get(f"{REPORTS}?page_size=2", headers=who.headers)).json()
        walked = [r["id"] for r in page["results"]]
        page = (await client.get(page["next"], headers=who.headers)).json()
        walked += [r["id"] for r in page["results"]]
        assert walked == [third["id"], second["id"], first["id"]] and page["next"] is None

    async def ids(query: str) -> list[str]:
        response = await client.get(f"{REPORTS}?{query}", headers=cast.moderator.headers)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["results"]]

    assert await ids("status=open") == [second["id"], first["id"]]
    assert await ids("status=dismissed") == [third["id"]]
    assert await ids("target_type=party") == [second["id"]]
    assert await ids("reason=violence") == [second["id"]]
    assert await ids("status=resolved") == []
    one = await client.get(f"{REPORTS}{first['id']}/", headers=cast.moderator.headers)
    assert one.status_code == 200 and one.json() == first
    missing = await client.get(f"{REPORTS}{MISSING}/", headers=cast.moderator.headers)
    assert missing.status_code == 404


# --- resolutions ---------------------------------------------------------------------------


async def test_dismiss(client: httpx.AsyncClient, db: Database, cast: Cast) -> None:
    filed = await report_user(client, cast)
    response = await resolve(client, cast.moderator, filed["id"], action="dismiss", note="Fine.")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "dismissed"
    resolution = body["resolution"]
    assert (resolution["action"], resolution["note"], resolution["days"]) == (
        "dismiss",
        "Fine.",
        None,
    )
    assert resolution["resolved_by"]["id"] == cast.moderator.user["id"]
    (reviewed,) = await notes(db, cast.reporter.user["id"], "report_resolved")
    assert reviewed.data == {"report_id": filed["id"], "action": "dismiss"}
    assert await notes(db, cast.author_user.id, "account_warning") == []
    (entry,) = await audit(db)
    assert (entry.action, entry.target_type, str(entry.target_id)) == (
        "report.resolve",
        "user",
        str(cast.author_user.id),
    )
    assert (
        entry.data["report_id"] == filed["id"] and str(entry.actor_id) == cast.moderator.user["id"]
    )
    again = await resolve(client, cast.admin, filed["id"], action="warn")
    assert again.status_code == 409 and again.json()["code"] == "report_closed"


async def test_warn_notifies_both_sides(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    filed = await report_user(client, cast, reason="harassment")
    response = await resolve(client, cast.moderator, filed["id"], action="warn")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    (warning,) = await notes(db, cast.author_user.id, "account_warning")
    assert warning.title == "You received a warning"
    assert warning.body == "Reported for harassment."
    assert warning.data["target_type"] == "user" and warning.data["action"] == "warn"
    assert len(await notes(db, cast.reporter.user["id"], "report_resolved")) == 1
    # The account still works: a warning is only a warning.
    assert (await client.get("/api/auth/me/", headers=cast.author.headers)).status_code == 200
    detail = await client.get(
        f"/api/admin/users/{cast.author_user.id}/", headers=cast.admin.headers
    )
    assert (detail.json()["warning_count"], detail.json()["reports_received"]) == (1, 1)


async def test_delete_content_removes_the_message(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    party = await make_party(db, cast.author_user, visibility="public")
    message = await chat_message(client, party, cast.author, "spam spam spam")
    await client.post(f"/api/parties/{party}/join/", headers=cast.reporter.headers)
    filed = (await report(client, cast.reporter, "message", message)).json()
    response = await resolve(client, cast.moderator, filed["id"], action="delete_content")
    assert response.status_code == 200, response.text
    listed = await client.get(f"/api/chat/{party}/messages/", headers=cast.reporter.headers)
    (shown,) = listed.json()["results"]
    assert shown["id"] == message and shown["deleted"] is True
    (warning,) = await notes(db, cast.author_user.id, "account_warning")
    assert warning.title == "Your message was removed"


async def test_direct_messages_are_reported_and_removed(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    created = await client.post(
        "/api/messaging/conversations/",
        json={"participant_ids": [cast.reporter.user["id"]]},
        headers=cast.author.headers,
    )
    assert created.status_code == 201, created.text
    messages = f"/api/messaging/conversations/{created.json()['id']}/messages/"
    sent = await client.post(
        messages, json={"content": "pay me or else"}, headers=cast.author.headers
    )
    assert sent.status_code == 201, sent.text
    message = sent.json()["id"]
    # Only the conversation's members may report it.
    stranger = await login(client, await make_user(db, settings))
    unseen = await report(client, stranger, "message", message)
    assert unseen.json() == {"target_id": ["No such message."]}
    filed = await report(client, cast.reporter, "message", message, reason="harassment")
    assert filed.status_code == 201, filed.text
    assert filed.json()["target_excerpt"] == "pay me or else"
    response = await resolve(client, cast.moderator, filed.json()["id"], action="delete_content")
    assert response.status_code == 200, response.text
    (shown,) = (await client.get(messages, headers=cast.reporter.headers)).json()["results"]
    assert shown["deleted"] is True and shown["content"] == ""


async def test_delete_content_cancels_the_party(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    party = await make_party(db, cast.author_user, visibility="public")
    filed = (await report(client, cast.reporter, "party", party)).json()
    response = await resolve(client, cast.admin, filed["id"], action="delete_content")
    assert response.status_code == 200, response.text
    assert (await fresh(db, Party, party)).status == "cancelled"
    assert len(await audit(db)) == 1


async def test_delete_content_deletes_the_video(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    video = await shown_video(db, cast.author_user, cast.reporter, client)
    filed = (await report(client, cast.reporter, "video", video)).json()
    response = await resolve(client, cast.moderator, filed["id"], action="delete_content")
    assert response.status_code == 200, response.text
    assert await fresh(db, Video, video) is None
    (warning,) = await notes(db, cast.author_user.id, "account_warning")
    assert warning.title == "Your video was removed"
    # The report keeps its snapshot of what was removed.
    kept = await client.get(f"{REPORTS}{filed['id']}/", headers=cast.moderator.headers)
    assert kept.json()["target_excerpt"] == "Pirated film"


async def test_delete_content_of_an_ended_party_is_refused(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    party = await make_party(db, cast.author_user, visibility="public")
    filed = (await report(client, cast.reporter, "party", party)).json()
    async with db.session() as session:
        row = await session.get(Party, party)
        assert row is not None
        row.status = "ended"
        session.add(row)
        await session.commit()
    response = await resolve(client, cast.moderator, filed["id"], action="delete_content")
    assert response.status_code == 409 and response.json()["code"] == "party_closed"
    # Nothing of the resolution stayed behind.
    still = await client.get(f"{REPORTS}{filed['id']}/", headers=cast.moderator.headers)
    assert still.json()["status"] == "open"
    assert await audit(db) == []
    assert await notes(db, cast.reporter.user["id"], "report_resolved") == []


async def test_delete_content_clears_a_profile(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    await client.patch(
        "/api/auth/me/",
        json={"bio": "offensive", "display_name": "Rude"},
        headers=cast.author.headers,
    )
    filed = await report_user(client, cast)
    assert (
        await resolve(client, cast.moderator, filed["id"], action="delete_content")
    ).status_code == 200
    user = await fresh(db, User, cast.author_user.id)
    assert (user.display_name, user.bio, user.avatar_url) == ("", "", None)


async def test_suspend_refuses_the_authors_live_token(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    filed = await report_user(client, cast)
    response = await resolve(client, cast.moderator, filed["id"], action="suspend", days=3)
    assert response.status_code == 200, response.text
    assert response.json()["resolution"]["days"] == 3
    user = await fresh(db, User, cast.author_user.id)
    assert user.status == "suspended"
    assert abs(user.suspended_until - (utcnow() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
    # Within its lifetime, the author's access token no longer works; nor does the refresh.
    me = await client.get("/api/auth/me/", headers=cast.author.headers)
    assert me.status_code == 401, me.text
    refreshed = await client.post("/api/auth/refresh/", json={"refresh": cast.author.refresh})
    assert refreshed.status_code == 401
    (warning,) = await notes(db, cast.author_user.id, "account_warning")
    assert warning.title.startswith("Your account is suspended until ")


async def test_suspension_defaults_to_seven_days(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    filed = await report_user(client, cast)
    response = await resolve(client, cast.moderator, filed["id"], action="suspend")
    assert response.json()["resolution"]["days"] == 7
    user = await fresh(db, User, cast.author_user.id)
    assert user.suspended_until - utcnow() > dt.timedelta(days=6, hours=23)


async def test_only_admins_ban(client: httpx.AsyncClient, db: Database, cast: Cast) -> None:
    filed = await report_user(client, cast)
    refused = await resolve(client, cast.moderator, filed["id"], action="ban")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert (await fresh(db, User, cast.author_user.id)).status == "active"
    response = await resolve(client, cast.admin, filed["id"], action="ban", note="Spam bot.")
    assert response.status_code == 200, response.text
    assert (await fresh(db, User, cast.author_user.id)).status == "banned"
    assert (await client.get("/api/auth/me/", headers=cast.author.headers)).status_code == 401
    (warning,) = await notes(db, cast.author_user.id, "account_warning")
    assert (warning.title, warning.body) == ("Your account is banned", "Spam bot.")


async def test_only_admins_act_against_staff(
    client: httpx.AsyncClient, db: Database, settings: Settings, cast: Cast
) -> None:
    other_mod = await make_user(db, settings, role="moderator")
    filed = (await report(client, cast.reporter, "user", other_mod.id)).json()
    for action in ("warn", "delete_content", "suspend"):
        refused = await resolve(client, cast.moderator, filed["id"], action=action)
        assert refused.status_code == 403, action
    assert (await resolve(client, cast.admin, filed["id"], action="warn")).status_code == 200
    # Dismissing needs no admin, unless the report is about the moderator themselves.
    refiled = (await report(client, cast.reporter, "user", other_mod.id)).json()
    dismissed = await resolve(client, cast.moderator, refiled["id"], action="dismiss")
    assert dismissed.status_code == 200
    mine = (await report(client, cast.reporter, "user", cast.moderator.user["id"])).json()
    refused = await resolve(client, cast.moderator, mine["id"], action="dismiss")
    assert refused.status_code == 403, refused.text
    assert (await resolve(client, cast.admin, mine["id"], action="dismiss")).status_code == 200


async def test_plain_users_cannot_resolve(client: httpx.AsyncClient, cast: Cast) -> None:
    filed = await report_user(client, cast)
    response = await resolve(client, cast.reporter, filed["id"], action="dismiss")
    assert response.status_code == 403
    missing = await resolve(client, cast.moderator, MISSING, action="dismiss")
    assert missing.status_code == 404
    bad = await resolve(client, cast.moderator, filed["id"], action="suspend", days=0)
    assert bad.status_code == 400 and "days" in bad.json()


async def test_two_moderators_resolving_at_once(
    client: httpx.AsyncClient, db: Database, cast: Cast
) -> None:
    filed = await report_user(client, cast)
    first, second = await asyncio.gather(
        resolve(client, cast.moderator, filed["id"], action="warn"),
        resolve(client, cast.admin, filed["id"], action="suspend"),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    assert len(await audit(db)) == 1
    assert len(await notes(db, cast.author_user.id, "account_warning")) == 1
