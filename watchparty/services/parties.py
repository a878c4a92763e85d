"""Watch parties: access rules, create, update and cancel (issue 5; DESIGN §3 Roles).

Who may see a party is decided here, in the `access_party*` helpers, and nowhere else: a
party the caller may not see answers 404 exactly like a missing one (STYLE.md), and only the
`host` rule answers 403, to callers who take part but do not host.

Not built yet, so left out on purpose rather than faked: videos (a non-null `video` is a 400),
calendar events (`event_id` is null), invitations (private parties are visible to their
participants only), notifications, chat and polls (the detail shows them empty).
Participation changes (join, leave, kick, transfer) live in `watchparty.services.participants`;
the JSON shapes in `watchparty.services.party_json`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from watchparty.plans import plan_limits
from watchparty.tables import Party, PartyParticipant, User

__all__ = [
    "CLOSED_STATUSES",
    "TAKING_PART",
    "PartyView",
    "access_party",
    "access_party_as_host",
    "access_party_as_participant",
    "check_cancel_party",
    "check_create_party",
    "check_party_open",
    "check_update_party",
    "joined_count",
    "plan_max_participants",
]

# Participation statuses that count as "takes part" for access and the caller's party list;
# a kicked user is an outsider again.
TAKING_PART = ("joined", "pending", "left")
CLOSED_STATUSES = ("ended", "cancelled")
VIDEOS_UNAVAILABLE = "Videos are not available yet; leave video null for now."
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

    @property
    def takes_part(self) -> bool:
        return self.mine is not None and self.mine.status in TAKING_PART

    @property
    def visible(self) -> bool:
        return self.party.visibility != "private" or self.takes_part


def plan_max_participants(user: User) -> int:
    return plan_limits(user).max_participants


async def _load(*, session: AsyncSession, user: User, party_id: uuid.UUID | str) -> PartyView:
    """The party, its host and the caller's participation in one query; NotFound if missing."""
    try:
        key = party_id if isinstance(party_id, uuid.UUID) else uuid.UUID(party_id)
    except ValueError:
        raise NotFound() from None
    stmt = (
        sa.select(Party, User, PartyParticipant)
        .join(User, User.id == Party.host_id)  # type: ignore[arg-type]
        .outerjoin(
            PartyParticipant,
            sa.and_(
                PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
                PartyParticipant.user_id == user.id,  # type: ignore[arg-type]
            ),
        )
        .where(Party.id == key)  # type: ignore[arg-type]
    )
    row = (await session.exec(stmt)).first()  # type: ignore[call-overload]
    if row is None:
        raise NotFound()
    party, host, mine = row
    return PartyView(party=party, host=host, mine=mine)


async def access_party(
    *, session: AsyncSession, user: User, party_id: uuid.UUID | str
) -> PartyView:
    """Catalog rule `party-visible`: public or unlisted, or the caller takes part; else 404."""
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


def check_party_open(party: Party) -> None:
    """Raises Conflict `party_closed` for ended or cancelled parties."""
    if party.status in CLOSED_STATUSES:
        raise Conflict(f"This party is {party.status}.", code="party_closed")


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
    if body.get("video") is not None:
        errors["video"] = [VIDEOS_UNAVAILABLE]
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
        ValidationFailed: blank title, past scheduled_for, a video, or max_participants
            above the host's plan cap.
    """
    now = utcnow()
    errors: dict[str, list[str]] = {}
    values = _check_fields(host=host, body=body, now=now, joined=None, errors=errors)
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
    await session.commit()
    return PartyView(party=party, host=host, mine=mine)


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
    if errors:
        raise ValidationFailed(errors)
    for name, value in values.items():
        setattr(party, name, value)
    party.updated_at = utcnow()
    session.add(party)
    await session.commit()
    return view


async def check_cancel_party(*, session: AsyncSession, view: PartyView) -> None:
    """Cancel a party the caller hosts; Conflict `party_closed` if it already ended."""
    check_party_open(view.party)
    view.party.status = "cancelled"
    view.party.updated_at = utcnow()
    session.add(view.party)
    await session.commit()
