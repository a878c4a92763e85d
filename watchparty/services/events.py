"""The calendar: party events kept in step with their party, and personal events (issue 5).

A party's event is written only by `sync_party_event` (create, update, transfer-host) and
`remove_party_event` (cancel), always in the transaction that changes the party, so the
calendar never disagrees with the party. Who sees an event: its owner, and for a party event
the party's joined and pending participants (`event-visible`); only personal events are edited
here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Row
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, ValidationFailed
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import CalendarEvent, Party, PartyParticipant, User, Video

__all__ = [
    "access_event",
    "check_create_event",
    "check_delete_event",
    "check_update_event",
    "event_row_json",
    "events_query",
    "parse_time",
    "remove_party_event",
    "sync_party_event",
]

# Participation statuses whose party events appear in a user's calendar.
CALENDAR_STATUSES = ("joined", "pending")


async def sync_party_event(*, session: AsyncSession, party: Party) -> CalendarEvent:
    """Create or update the party's event from the party (the caller commits); it ends after
    the party video's duration, when known."""
    stmt = select(CalendarEvent).where(col(CalendarEvent.party_id) == party.id)
    event = (await session.exec(stmt)).first()
    now = utcnow()
    if event is None:
        event = CalendarEvent(type="party", party_id=party.id, owner_id=party.host_id, title="")
        event.created_at = now
    event.owner_id = party.host_id
    event.title = party.title
    event.description = party.description
    event.starts_at = party.scheduled_for
    video = await session.get(Video, party.video_id) if party.video_id else None
    duration = video.duration_seconds if video is not None else None
    event.ends_at = party.scheduled_for + dt.timedelta(seconds=duration) if duration else None
    event.updated_at = now
    session.add(event)
    return event


async def remove_party_event(*, session: AsyncSession, party: Party) -> None:
    await session.exec(delete(CalendarEvent).where(col(CalendarEvent.party_id) == party.id))


def parse_time(value: str) -> dt.datetime | None:
    """An RFC 3339 date-time with offset as aware UTC, or None when it is not one."""
    try:
        # RFC 3339 allows lowercase `t` and `z`; fromisoformat wants them upper.
        when = dt.datetime.fromisoformat(value.upper())
    except (ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    try:
        return when.astimezone(dt.UTC)
    except OverflowError:
        return None


def _visible_to(user: User) -> Any:
    """Events `user` may see: their own, and those of parties they take part in."""
    taking_part = (
        sa.select(col(PartyParticipant.party_id))
        .where(
            col(PartyParticipant.user_id) == user.id,
            col(PartyParticipant.status).in_(CALENDAR_STATUSES),
        )
        .scalar_subquery()
    )
    return sa.or_(
        col(CalendarEvent.owner_id) == user.id, col(CalendarEvent.party_id).in_(taking_part)
    )


def events_query(
    *,
    user: User,
    start: dt.datetime | None,
    end: dt.datetime | None,
    type: str | None,  # noqa: A002 - the API's name for it
) -> sa.Select[*tuple[Any, ...]]:
    """(CalendarEvent, owner User, party status) rows of `user`'s calendar overlapping
    [start, end), to page on (starts_at, id)."""
    stmt = (
        sa.select(CalendarEvent, User, col(Party.status))
        .join(User, col(User.id) == col(CalendarEvent.owner_id))
        .outerjoin(Party, col(Party.id) == col(CalendarEvent.party_id))
        .where(_visible_to(user))
    )
    if start is not None:
        stmt = stmt.where(
            sa.func.coalesce(col(CalendarEvent.ends_at), col(CalendarEvent.starts_at)) >= start
        )
    if end is not None:
        stmt = stmt.where(col(CalendarEvent.starts_at) < end)
    if type is not None:
        stmt = stmt.where(col(CalendarEvent.type) == type)
    return stmt


def event_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """An `events_query` row as `CalendarEvent`."""
    event, owner, party_status = row
    return {
        "id": str(event.id),
        "type": event.type,
        "title": event.title,
        "description": event.description,
        "starts_at": rfc3339(event.starts_at),
        "ends_at": rfc3339(event.ends_at) if event.ends_at is not None else None,
        "party_id": str(event.party_id) if event.party_id is not None else None,
        "party_status": party_status,
        "owner": user_summary_json(owner),
        "created_at": rfc3339(event.created_at),
        "updated_at": rfc3339(event.updated_at),
    }


async def access_event(*, session: AsyncSession, user: User, event_id: str) -> Row[Any]:
    """Catalog rule `event-visible`: the `events_query` row of an event the caller may see.

    Raises:
        NotFound: no such event, or the caller may not see it.
    """
    try:
        key = uuid.UUID(event_id)
    except ValueError:
        raise NotFound() from None
    stmt = events_query(user=user, start=None, end=None, type=None)
    row = (await session.exec(stmt.where(col(CalendarEvent.id) == key))).first()  # type: ignore[call-overload]
    if row is None:
        raise NotFound()
    return row  # type: ignore[no-any-return]


async def _access_own_event(*, session: AsyncSession, user: User, event_id: str) -> Row[Any]:
    """Catalog rule `owner`: an event the caller owns; party events answer 409 `party_event`."""
    row = await access_event(session=session, user=user, event_id=event_id)
    event = row[0]
    if event.owner_id != user.id:
        raise NotFound()
    if event.type == "party":
        raise Conflict(
            "This is a party's event: change or cancel the party instead.", code="party_event"
        )
    return row


def _check_fields(body: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "title" in body:
        values["title"] = str(body["title"]).strip()
        if not values["title"]:
            errors["title"] = ["This field may not be blank."]
    if "description" in body:
        values["description"] = str(body["description"])
    for name in ("starts_at", "ends_at"):  # the spec lets only ends_at be null
        if body.get(name) is not None:
            values[name] = parse_time(str(body[name]))
            if values[name] is None:
                errors[name] = ["Enter a valid RFC 3339 date-time with a UTC offset."]
        elif name in body:
            values[name] = None
    return values


def _check_order(event: CalendarEvent, errors: dict[str, list[str]]) -> None:
    if event.ends_at is not None and event.ends_at < event.starts_at:
        errors.setdefault("ends_at", []).append("Must not be before starts_at.")


async def check_create_event(
    *, session: AsyncSession, user: User, body: Mapping[str, Any]
) -> Row[Any]:
    """Create a personal event of `user` from an EventCreate body.

    Raises:
        ValidationFailed: blank title, a time without offset, ends_at before starts_at.
    """
    errors: dict[str, list[str]] = {}
    values = _check_fields(body, errors)
    if "starts_at" in errors:
        raise ValidationFailed(errors)
    now = utcnow()
    event = CalendarEvent(
        type="personal", owner_id=user.id, created_at=now, updated_at=now, **values
    )
    _check_order(event, errors)
    if errors:
        raise ValidationFailed(errors)
    session.add(event)
    await session.commit()
    return await access_event(session=session, user=user, event_id=str(event.id))


async def check_update_event(
    *, session: AsyncSession, user: User, event_id: str, body: Mapping[str, Any]
) -> Row[Any]:
    """Apply an EventUpdate body to a personal event the caller owns.

    Raises:
        NotFound, Conflict (`party_event`), ValidationFailed: as on create.
    """
    event: CalendarEvent = (await _access_own_event(session=session, user=user, event_id=event_id))[
        0
    ]
    errors: dict[str, list[str]] = {}
    values = _check_fields(body, errors)
    if errors:
        raise ValidationFailed(errors)
    for name, value in values.items():
        setattr(event, name, value)
    _check_order(event, errors)
    if errors:
        raise ValidationFailed(errors)
    event.updated_at = utcnow()
    session.add(event)
    await session.commit()
    return await access_event(session=session, user=user, event_id=event_id)


async def check_delete_event(*, session: AsyncSession, user: User, event_id: str) -> None:
    """Delete a personal event the caller owns (NotFound, Conflict `party_event`)."""
    event = (await _access_own_event(session=session, user=user, event_id=event_id))[0]
    await session.delete(event)
    await session.commit()
