"""REST operations of the `events` tag: the caller's calendar (`watchparty.services.events`)."""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.errors import ValidationFailed
from watchparty.pagination import paginate
from watchparty.services import events
from watchparty.tables import CalendarEvent

__all__ = ["list_events", "create_event", "get_event", "update_event", "delete_event"]


async def list_events(token_info: TokenInfo, **query: Any) -> Answer:
    # `from` is a Python keyword, so the window and `type` come in through **query.
    errors: dict[str, list[str]] = {}
    window = {}
    for name in ("from", "to"):
        raw = query.get(name)
        window[name] = events.parse_time(str(raw)) if raw is not None else None
        if raw is not None and window[name] is None:
            errors[name] = ["Enter a valid RFC 3339 date-time with a UTC offset."]
    start, end = window["from"], window["to"]
    if start is not None and end is not None and end < start:
        errors["to"] = ["Must not be before `from`."]
    if errors:
        raise ValidationFailed(errors)
    async with caller(token_info) as (session, me):
        stmt = events.events_query(user=me, start=start, end=end, type=query.get("type"))
        page = await paginate(
            session,
            stmt,
            params=query,
            serialize=events.event_row_json,
            order="oldest",
            key=(CalendarEvent.starts_at, CalendarEvent.id),  # type: ignore[arg-type]
        )
        return page, 200


async def create_event(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        row = await events.check_create_event(session=session, user=me, body=body)
        return events.event_row_json(row), 201


async def get_event(eventId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        row = await events.access_event(session=session, user=me, event_id=eventId)
        return events.event_row_json(row), 200


async def update_event(eventId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        row = await events.check_update_event(session=session, user=me, event_id=eventId, body=body)
        return events.event_row_json(row), 200


async def delete_event(eventId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await events.check_delete_event(session=session, user=me, event_id=eventId)
        return None, 204
