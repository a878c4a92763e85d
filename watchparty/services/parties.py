"""Watch parties: access rules, create, update and cancel (issue 5; DESIGN §3 Roles).

Who may see a party is decided here, in the `access_party*` helpers, and nowhere else: a
party the caller may not see answers 404 exactly like a missing one (STYLE.md), and only the
`host` rule answers 403, to callers who take part but do not host.

A party change, its calendar event (`watchparty.services.events`), its notifications and its
activity facts are written in one transaction. Writers that depend on the number of joined
participants take `lock_party` first, which serializes them per party on both backends.
Start and end live in `watchparty.services.party_lifecycle`, participation changes
(join, leave, kick, transfer) in `watchparty.services.participants`, invitations in
`watchparty.services.invitations`, the JSON shapes in `watchparty.services.party_json`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from watchparty.plans import plan_limits
from watchparty.services.activity import record_activity
from watchparty.services.events import remove_party_event, sync_party_event
from watchparty.services.notifications import notify_many
from watchparty.services.party_video import check_party_video
from watchparty.tables import Party, PartyInvitation, PartyParticipant, User

__all__ = [
    "CLOSED_STATUSES",
    "TAKING_PART",
    "PartyView",
    "access_party",
    "access_party_as_host",
    "access_party_as_host_or_admin",
    "access_party_as_participant",
    "check_cancel_party",
    "check_create_party",
    "check_party_open",
    "check_update_party",
    "expire_invitations",
    "joined_count",
    "live_invitation",
    "lock_party",
    "notify_participants",
    "plan_max_participants",
]

# Participation statuses that count as "takes part" for access and the caller's party list;
# a kicked user is an outsider again.
TAKING_PART = ("joined", "pending", "left")
CLOSED_STATUSES = ("ended", "cancelled")
SETTING_DEFAULTS: dict[str, Any] = {
    "visibility": "private",
    "allow_guest_control": False,
    "chat_enabled": True,
    "reactions_enabled": True,
    "require_approval": False,
}


@dataclass(slots=True)
class PartyView:
    """A party as one caller sees it: its host and the caller's own participation, if any."""

    party: Party
    host: User
    mine: PartyParticipant | None
    # The caller's pending, unexpired invitation to this party (`PartyDetail.my_invitation_id`).
    invitation_id: uuid.UUID | None = None

    @property
    def takes_part(self) -> bool:
        return self.mine is not None and self.mine.status in TAKING_PART

    @property
    def joined(self) -> bool:
        """Joined (not pending, departed or kicked): reads and writes the party's chat and
        sockets."""
        return self.mine is not None and self.mine.status == "joined"

    @property
    def visible(self) -> bool:
        return (
            self.party.visibility != "private" or self.takes_part or self.invitation_id is not None
        )


def plan_max_participants(user: User) -> int:
    return plan_limits(user).max_participants


def live_invitation(
    *, party_id: Any, user_id: Any, now: dt.datetime | sa.BindParameter[Any]
) -> Any:
    """Conditions of a user's pending, unexpired invitation to a party (SQL expressions)."""
    return sa.and_(
        col(PartyInvitation.party_id) == party_id,
        col(PartyInvitation.invitee_id) == user_id,
        col(PartyInvitation.status) == "pending",
        col(PartyInvitation.expires_at) > now,
    )


# `_load`'s statement, built once (building it per call cost ~0.5 ms of CPU per request,
# docs/benchmarks.md): the party, its host, the caller's participation and the caller's live
# invitation, for the bound `party_id`, `user_id` and `now`.
_LIVE_INVITATION = (
    sa.select(col(PartyInvitation.id))
    .where(
        live_invitation(party_id=Party.id, user_id=sa.bindparam("user_id"), now=sa.bindparam("now"))
    )
    .order_by(col(PartyInvitation.created_at).desc())
    .limit(1)
    .correlate(Party)
    .scalar_subquery()
)
_PARTY_VIEW = (
    sa.select(Party, User, PartyParticipant, _LIVE_INVITATION)
    .join(User, User.id == Party.host_id)  # type: ignore[arg-type]
    .outerjoin(
        PartyParticipant,
        sa.and_(
            PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
            PartyParticipant.user_id == sa.bindparam("user_id"),  # type: ignore[arg-type]
        ),
    )
    .where(Party.id == sa.bindparam("party_id"))  # type: ignore[arg-type]
)


async def _load(*, session: AsyncSession, user: User, party_id: uuid.UUID | str) -> PartyView:
    """The party, its host and the caller's participation in one query; NotFound if missing."""
    try:
        key = party_id if isinstance(party_id, uuid.UUID) else uuid.UUID(party_id)
    except ValueError:
        raise NotFound() from None
    params = {"party_id": key, "user_id": user.id, "now": utcnow()}
    row = (await session.exec(_PARTY_VIEW, params=params)).first()  # type: ignore[call-overload]
    if row is None:
        raise NotFound()
    party, host, mine, invitation_id = row
    return PartyView(party=party, host=host, mine=mine, invitation_id=invitation_id)


async def access_party(
    *, session: AsyncSession, user: User, party_id: uuid.UUID | str
) -> PartyView:
    """Catalog rule `party-visible`: public or unlisted, or the caller takes part or is
    invited; else 404."""
    view = await _load(session=session, user=user, party_id=party_id)
    if not view.visible:
        raise NotFound()
    return view


async def access_party_as_participant(
    *, session: AsyncSession, user: User, party_id: uuid.UUID | str
) -> PartyView:
    """Catalog rule `participant`: the caller takes part; anyone else gets 404."""
    view = await _load(session=session, user=user, party_id=party_id)
    if not view.takes_part:
        raise NotFound()
    return view


async def access_party_as_host(
    *, session: AsyncSession, user: User, party_id: uuid.UUID | str
) -> PartyView:
    """Catalog rule `host`: the host passes, other participants get 403, anyone else 404."""
    view = await _load(session=session, user=user, party_id=party_id)
    if view.party.host_id == user.id:
        return view
    if view.takes_part:
        raise PermissionDenied("Only the host may do this.")
    raise NotFound()


async def access_party_as_host_or_admin(
    *, session: AsyncSession, user: User, party_id: uuid.UUID | str
) -> PartyView:
    """Catalog rule `host-or-admin`: the host or an admin passes, other participants get 403,
    anyone else 404."""
    view = await _load(session=session, user=user, party_id=party_id)
    if view.party.host_id == user.id or user.role == "admin":
        return view
    if view.takes_part:
        raise PermissionDenied("Only the host may do this.")
    raise NotFound()


def check_party_open(party: Party) -> None:
    """Raises Conflict `party_closed` for ended or cancelled parties."""
    if party.status in CLOSED_STATUSES:
        raise Conflict(f"This party is {party.status}.", code="party_closed")


async def lock_party(*, session: AsyncSession, party: Party) -> None:
    """Take the party row's write lock for the rest of the transaction, then reload the party.

    Capacity checks count joined rows and then add one; two transactions doing that at once
    would both pass. A no-op UPDATE of the party row makes them queue instead: PostgreSQL
    holds the row lock until commit, and SQLite (which opens its transaction at the first
    write) holds the database write lock. Call it before reading anything the decision uses.
    """
    await session.exec(
        update(Party).where(col(Party.id) == party.id).values(updated_at=col(Party.updated_at))
    )
    await session.refresh(party)


async def notify_participants(
    *,
    session: AsyncSession,
    party: Party,
    type: str,
    title: str,
    body: str = "",  # noqa: A002
) -> None:
    """Notify the joined and pending participants of `party`, the host excepted."""
    stmt = select(PartyParticipant.user_id).where(
        col(PartyParticipant.party_id) == party.id,
        col(PartyParticipant.status).in_(("joined", "pending")),
        col(PartyParticipant.user_id) != party.host_id,
    )
    user_ids = (await session.exec(stmt)).all()
    notify_many(session, user_ids, type=type, title=title, body=body, data={"party_id": party.id})


async def joined_count(*, session: AsyncSession, party_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.count()).where(
        PartyParticipant.party_id == party_id,  # type: ignore[arg-type]
        PartyParticipant.status == "joined",  # type: ignore[arg-type]
    )
    return int((await session.exec(stmt)).one()[0])  # type: ignore[call-overload]


def _future_time(value: str, *, now: dt.datetime) -> tuple[dt.datetime | None, str | None]:
    """An RFC 3339 string in the future as aware UTC, or the message saying why not."""
    try:
        # RFC 3339 allows lowercase `t` and `z`; fromisoformat wants them upper.
        when = dt.datetime.fromisoformat(value.upper())
        if when.tzinfo is None:
            return None, "Include a UTC offset (RFC 3339), e.g. 2026-11-27T20:00:00Z."
        when = when.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None, "Enter a valid RFC 3339 date-time."
    if when <= now:
        return None, "Must be in the future."
    return when, None


def _check_fields(
    *,
    host: User,
    body: Mapping[str, Any],
    now: dt.datetime,
    joined: int | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    """The validated column values among `body`'s fields, collecting errors by dotted field."""
    values: dict[str, Any] = {}
    if "title" in body:
        title = str(body["title"]).strip()
        if not title:
            errors["title"] = ["This field may not be blank."]
        values["title"] = title
    if "description" in body:
        values["description"] = str(body["description"])
    if "scheduled_for" in body:
        when, problem = _future_time(str(body["scheduled_for"]), now=now)
        if problem:
            errors["scheduled_for"] = [problem]
        values["scheduled_for"] = when
    if "video" in body:
        # Checked against the database by `check_party_video`.
        values["video_id"] = body["video"]
    settings: Mapping[str, Any] = body.get("settings") or {}
    for name in (*SETTING_DEFAULTS, "max_participants"):
        if name in settings:
            values[name] = settings[name]
    cap = plan_max_participants(host)
    size = values.get("max_participants")
    if size is not None and size > cap:
        errors["settings.max_participants"] = [
            f"Your {host.plan} plan allows at most {cap} participants."
        ]
    elif size is not None and joined is not None and size < joined:
        errors["settings.max_participants"] = [
            f"{joined} participants have joined; the cap may not be lower."
        ]
    return values


async def check_create_party(
    *, session: AsyncSession, host: User, body: Mapping[str, Any]
) -> PartyView:
    """Validate a PartyCreate body, then create the party with its host as first participant.

    Raises:
        ValidationFailed: blank title, past scheduled_for, a video that is not the host's
            own ready one, or max_participants above the host's plan cap.
    """
    now = utcnow()
    errors: dict[str, list[str]] = {}
    values = _check_fields(host=host, body=body, now=now, joined=None, errors=errors)
    await check_party_video(session=session, host=host, values=values, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    party = Party(
        host_id=host.id,
        **{**SETTING_DEFAULTS, "max_participants": plan_max_participants(host), **values},
        created_at=now,
        updated_at=now,
    )
    mine = PartyParticipant(
        party_id=party.id,
        user_id=host.id,
        role="host",
        status="joined",
        rank=0,
        joined_at=now,
        created_at=now,
    )
    session.add(party)
    await session.flush()
    session.add(mine)
    record_activity(session, party_id=party.id, kind="joined", user_id=host.id)
    await sync_party_event(session=session, party=party)
    await session.commit()
    return PartyView(party=party, host=host, mine=mine)


def _human(when: dt.datetime) -> str:
    return when.strftime("%a %d %b %H:%M UTC")


async def check_update_party(
    *, session: AsyncSession, view: PartyView, body: Mapping[str, Any]
) -> PartyView:
    """Apply a PartyUpdate body to a party the caller hosts (`access_party_as_host`).

    Raises:
        Conflict: the party is closed (`party_closed`), or live and scheduled_for is sent
            (`party_live`).
        ValidationFailed: as on create, and max_participants below the joined count.
    """
    party = view.party
    check_party_open(party)
    if "scheduled_for" in body and party.status == "live":
        raise Conflict("A live party cannot be rescheduled.", code="party_live")
    settings = body.get("settings") or {}
    joined = (
        await joined_count(session=session, party_id=party.id)
        if "max_participants" in settings
        else None
    )
    errors: dict[str, list[str]] = {}
    values = _check_fields(host=view.host, body=body, now=utcnow(), joined=joined, errors=errors)
    await check_party_video(session=session, host=view.host, values=values, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    moved = "scheduled_for" in values and values["scheduled_for"] != party.scheduled_for
    new_video = "video_id" in values and values["video_id"] != party.video_id
    for name, value in values.items():
        setattr(party, name, value)
    party.updated_at = utcnow()
    session.add(party)
    await sync_party_event(session=session, party=party)
    if moved:
        await notify_participants(
            session=session,
            party=party,
            type="party_updated",
            title=f"{party.title} was rescheduled",
            body=f"It now starts {_human(party.scheduled_for)}.",
        )
    if new_video:  # the room starts the new video paused at 0 (`playback.state` video_changed)
        from watchparty.services.playback import reset_playback  # playback > videos > parties

        await reset_playback(
            session=session, party_id=party.id, video_id=party.video_id, actor=view.host
        )
    await session.commit()
    return view


async def expire_invitations(*, session: AsyncSession, party: Party) -> None:
    """Pending invitations die with the party (their mailed tokens with them)."""
    await session.exec(
        update(PartyInvitation)
        .where(col(PartyInvitation.party_id) == party.id, col(PartyInvitation.status) == "pending")
        .values(status="expired")
    )


async def check_cancel_party(*, session: AsyncSession, view: PartyView) -> None:
    """Cancel a party the caller hosts: its event goes, pending invitations expire and the
    participants are notified.

    Raises:
        Conflict: `party_closed` if it already ended or was cancelled.
    """
    party = view.party
    check_party_open(party)
    party.status = "cancelled"
    party.updated_at = utcnow()
    session.add(party)
    await remove_party_event(session=session, party=party)
    await expire_invitations(session=session, party=party)
    await notify_participants(
        session=session, party=party, type="party_cancelled", title=f"{party.title} was cancelled"
    )
    await session.commit()
