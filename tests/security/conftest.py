"""Security tests (issue 10.2): one logged-in actor per role and a world of objects to aim at.

`actors` logs in, once per test, the seven callers of the matrix: the `owner` (hosts the
party, owns the video, ticket, conversation, notification, report and event), a
`participant` of the party (and the other member of the conversation), an `outsider`, a
`suspended` user (logged in first, suspended afterwards: the token is still well signed),
a `moderator`, an `admin`, and `anonymous` (no token). A `bystander` account is the target
of requests that name another user (blocks, reports, conversations), so no actor names
itself.

`build_world` makes the objects: a private party using the owner's ready video, with the
participant joined and a chat message of the owner; an email invitation of that party; a
party of the participant inviting the owner (the owner is its invitee); a conversation of
owner and participant; a support ticket, a notification, a report (on a chat message of the
participant) and a personal calendar event of the owner; and a pending pre-signed upload
of the owner.
Objects go through the API where that is cheap, and are inserted as rows where the API
would need real media or mail (the ready video, the email invitation's token).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.utils.factories import Session, login, make_party, make_user
from watchparty.auth.tokens import new_opaque_token
from watchparty.db import Database, utcnow
from watchparty.settings import Settings
from watchparty.tables import (
    InvitationToken,
    Notification,
    PartyInvitation,
    Report,
    User,
    Video,
    VideoProcessingJob,
)

ACTORS = ("anonymous", "suspended", "outsider", "participant", "moderator", "admin", "owner")
UPLOAD_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16  # what the pre-signed upload sends


@dataclasses.dataclass
class Actors:
    sessions: dict[str, Session]  # every actor but anonymous
    users: dict[str, User]  # every actor but anonymous, plus "bystander"

    def headers(self, actor: str) -> dict[str, str]:
        return {} if actor == "anonymous" else self.sessions[actor].headers

    def id(self, actor: str) -> str:
        return str(self.users[actor].id)


@dataclasses.dataclass
class World:
    party: str
    message: str
    email_invitation: str
    claim_token: str
    my_invitation: str  # the owner's, to the participant's party
    conversation: str
    ticket: str
    video: str
    notification: str
    report: str
    event: str
    upload: dict[str, Any]  # PresignedUpload of the owner, bytes already sent


def ok(response: httpx.Response, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), response.text
    return response.json() if response.content else None


async def add_rows(db: Database, *rows: Any) -> None:
    async with db.session() as session:
        session.add_all(rows)
        await session.commit()


async def suspend(db: Database, user: User) -> None:
    async with db.session() as session:
        await session.exec(  # type: ignore[call-overload]
            sa.update(User)
            .where(User.id == user.id)  # type: ignore[arg-type]
            .values(status="suspended", suspended_until=utcnow() + dt.timedelta(days=7))
        )
        await session.commit()


@pytest.fixture
async def actors(client: httpx.AsyncClient, db: Database, settings: Settings) -> Actors:
    roles = {"moderator": "moderator", "admin": "admin"}
    users = {
        name: await make_user(db, settings, role=roles.get(name, "user"))
        for name in (*ACTORS[1:], "bystander")
    }
    sessions = {name: await login(client, users[name]) for name in ACTORS[1:]}
    await suspend(db, users["suspended"])
    return Actors(sessions=sessions, users=users)


async def ready_video(db: Database, owner: User) -> Video:
    """A processed video row (real processing needs ffmpeg; tests/api/test_videos.py has it)."""
    video_id = uuid.uuid4()
    now = utcnow()
    video = Video(
        id=video_id,
        owner_id=owner.id,
        title="Night of the Living Dead",
        upload_state="uploaded",
        processing_state="ready",
        size_bytes=1000,
        content_type="video/mp4",
        original_filename="night.mp4",
        original_key=f"videos/{video_id}/original",
        duration_seconds=2.0,
        ready_at=now,
    )
    job = VideoProcessingJob(video_id=video_id, state="ready", progress=100, finished_at=now)
    await add_rows(db, video)
    await add_rows(db, job)
    return video


async def build_world(client: httpx.AsyncClient, db: Database, cast: Actors) -> World:
    owner, participant = cast.users["owner"], cast.users["participant"]
    h = cast.headers
    video = await ready_video(db, owner)
    party = str(await make_party(db, owner, visibility="private"))
    ok(
        await client.patch(
            f"/api/parties/{party}/", json={"video": str(video.id)}, headers=h("owner")
        )
    )
    invited = ok(
        await client.post(
            f"/api/parties/{party}/invite/",
            json={"emails": [participant.email]},
            headers=h("owner"),
        )
    )
    invitation = invited["results"][0]["invitation_id"]
    ok(await client.post(f"/api/invitations/{invitation}/accept/", headers=h("participant")))
    message = ok(
        await client.post(
            f"/api/chat/{party}/messages/send/", json={"content": "hi"}, headers=h("owner")
        )
    )["id"]

    # An invitation mailed to an address without an account, and its claim token.
    now = utcnow()
    email_invitation = PartyInvitation(
        party_id=uuid.UUID(party),
        invited_by_id=owner.id,
        email=f"nobody-{uuid.uuid4().hex[:8]}@example.com",
        created_at=now,
        expires_at=now + dt.timedelta(days=7),
    )
    token, token_hash = new_opaque_token()
    await add_rows(db, email_invitation)
    await add_rows(
        db,
        InvitationToken(
            invitation_id=email_invitation.id,
            token_hash=token_hash,
            created_at=now,
            expires_at=email_invitation.expires_at,
        ),
    )

    their_party = str(await make_party(db, participant, visibility="private"))
    mine = ok(
        await client.post(
            f"/api/parties/{their_party}/invite/",
            json={"emails": [owner.email]},
            headers=h("participant"),
        )
    )["results"][0]["invitation_id"]

    conversation = ok(
        await client.post(
            "/api/messaging/conversations/",
            json={"participant_ids": [cast.id("participant")]},
            headers=h("owner"),
        )
    )["id"]
    ticket = ok(
        await client.post(
            "/api/support/tickets/",
            json={"subject": "Help me", "category": "other", "body": "It broke."},
            headers=h("owner"),
        )
    )["id"]
    event = ok(
        await client.post(
            "/api/events/",
            json={"title": "Dentist", "starts_at": (now + dt.timedelta(days=2)).isoformat()},
            headers=h("owner"),
        )
    )["id"]
    notification = Notification(user_id=owner.id, type="account_warning", title="Hello")
    their_message = ok(
        await client.post(
            f"/api/chat/{party}/messages/send/", json={"content": "spam!"}, headers=h("participant")
        )
    )["id"]
    report = Report(
        reporter_id=owner.id,
        target_type="message",
        target_id=uuid.UUID(their_message),
        target_user_id=participant.id,
        reason="spam",
    )
    await add_rows(db, notification, report)
    upload = ok(
        await client.post(
            "/api/videos/upload-url/",
            json={
                "title": "Big one",
                "filename": "big.mp4",
                "content_type": "video/mp4",
                "size_bytes": len(UPLOAD_BYTES),
            },
            headers=h("owner"),
        )
    )
    return World(
        party=party,
        message=message,
        email_invitation=str(email_invitation.id),
        claim_token=token,
        my_invitation=mine,
        conversation=conversation,
        ticket=ticket,
        video=str(video.id),
        notification=str(notification.id),
        report=str(report.id),
        event=event,
        upload=upload,
    )


async def send_upload_bytes(client: httpx.AsyncClient, world: World) -> None:
    target = world.upload
    ok(await client.put(target["upload_url"], content=UPLOAD_BYTES, headers=target["headers"]), 204)


# The real-server fixtures of the realtime tests (uvicorn on a free port, websockets clients).
from tests.realtime.conftest import (  # noqa: E402, F401
    http,
    member,
    realtime_settings,
    server,
    ws_connect,
)
