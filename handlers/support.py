"""REST operations of the `support` tag: tickets, their message thread and attachments.

Access (`owner-or-staff`) is decided by `watchparty.services.support.access_ticket`: anyone
else gets a plain 404. The staff queue and status changes need a moderator or admin (403).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.permissions import require_auth
from watchparty.runtime import runtime
from watchparty.services import support
from watchparty.services.support_files import receive_attachment
from watchparty.storage import current_storage
from watchparty.storage.body import streamed_body
from watchparty.tables import SupportTicket, User

__all__ = [
    "list_support_tickets",
    "create_support_ticket",
    "get_support_ticket",
    "post_support_message",
    "upload_support_attachment",
    "close_support_ticket",
    "list_all_support_tickets",
    "set_support_ticket_status",
]

_BY_ACTIVITY = (SupportTicket.last_message_at, SupportTicket.id)


async def list_support_tickets(
    token_info: TokenInfo, status: str | None = None, **query: Any
) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            support.my_tickets_query(user=me, status=status),
            params=query,
            serialize=support.ticket_summary_row_json,
            order="newest",
            key=_BY_ACTIVITY,  # type: ignore[arg-type]
        )
        return page, 200


async def create_support_ticket(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        ticket = await support.create_ticket(session, user=me, body=body, now=utcnow())
        return await support.ticket_json(session, ticket), 201


async def get_support_ticket(ticketId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        ticket = await support.access_ticket(session=session, user=me, ticket_id=ticketId)
        return await support.ticket_json(session, ticket), 200


async def post_support_message(ticketId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        ticket = await support.access_ticket(session=session, user=me, ticket_id=ticketId)
        support.check_open(ticket)
        message, _ = await support.add_message(
            session, ticket=ticket, author=me, text=body["body"], now=utcnow()
        )
        await session.commit()
        return support.message_json(message, me, []), 201


async def upload_support_attachment(ticketId: str, token_info: TokenInfo) -> Answer:
    settings = runtime().settings
    async with caller(token_info) as (session, me):
        ticket = await _attachable_ticket(session, me, ticketId)
        # No transaction stays open (and no connection held) while the file streams in.
        await session.commit()
        key = f"support/{ticket.id}/{uuid.uuid4().hex}"
        text, stored, filename = await receive_attachment(
            streamed_body(), settings=settings, key=key
        )
        try:
            # Again: the ticket may have closed or filled up while the file came in.
            ticket = await _attachable_ticket(session, me, ticketId)
            message, attachments = await support.add_message(
                session,
                ticket=ticket,
                author=me,
                text=text,
                now=utcnow(),
                file=stored,
                filename=filename,
            )
            await session.commit()
        except BaseException:
            # The row never made it: the bytes must not outlive it.
            await current_storage().delete_prefix(key)
            raise
        return support.message_json(message, me, attachments), 201


async def _attachable_ticket(session: AsyncSession, me: User, ticket_id: str) -> SupportTicket:
    ticket = await support.access_ticket(session=session, user=me, ticket_id=ticket_id)
    support.check_open(ticket)
    await support.check_attachment_room(session, ticket, settings=runtime().settings)
    return ticket


async def close_support_ticket(ticketId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        ticket = await support.access_ticket(session=session, user=me, ticket_id=ticketId)
        await support.close_ticket(session, ticket=ticket, by=me, now=utcnow())
        await session.commit()
        return await support.ticket_json(session, ticket), 200


async def list_all_support_tickets(
    token_info: TokenInfo,
    status: str | None = None,
    category: str | None = None,
    **query: Any,
) -> Answer:
    # connexion hands the token's subject to handlers as `user`, shadowing the query
    # parameter of that name: read it from the request (the spec validator checked it).
    from connexion import request  # type: ignore[import-untyped, unused-ignore]

    user_id: str | None = request.query_params.get("user")
    async with caller(token_info) as (session, me):
        require_auth(me, "moderator")
        page = await paginate(
            session,
            support.all_tickets_query(status=status, category=category, user_id=user_id),
            params=query,
            serialize=support.ticket_summary_row_json,
            order="oldest",
            key=_BY_ACTIVITY,  # type: ignore[arg-type]
        )
        return page, 200


async def set_support_ticket_status(ticketId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        require_auth(me, "moderator")
        ticket = await support.access_ticket(session=session, user=me, ticket_id=ticketId)
        await support.set_status(session, ticket=ticket, by=me, status=body["status"], now=utcnow())
        await session.commit()
        return await support.ticket_json(session, ticket), 200
