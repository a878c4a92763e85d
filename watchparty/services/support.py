"""Support tickets: a thread between a user and staff (moderators and admins).

Who sees a ticket is decided in `access_ticket` only: its user and staff; anyone else gets
the 404 of a missing ticket. Status rules (specs/schemas/support.yaml): a user message sets
`open` (reopening a `resolved` ticket), a staff message sets `pending`, and a `closed`
ticket is final. Each side hears of the other's messages through `notify` (type
`support_reply`): the user of staff answers and status changes; staff of new tickets and of
user messages (the staff who already answered the ticket, or all staff when none has).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from watchparty.errors import Conflict, NotFound
from watchparty.permissions import STAFF_ROLES, is_staff
from watchparty.services.notifications import notify_many
from watchparty.services.support_files import StoredFile, attachment_url
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.settings import Settings
from watchparty.tables import SupportAttachment, SupportMessage, SupportTicket, User

__all__ = [
    "ticket_summary_row_json",
    "ticket_json",
    "message_json",
    "my_tickets_query",
    "all_tickets_query",
    "access_ticket",
    "check_open",
    "check_attachment_room",
    "create_ticket",
    "add_message",
    "close_ticket",
    "set_status",
]

NOTIFICATION_TYPE = "support_reply"


def _summary(user: User | None) -> dict[str, Any] | None:
    return user_summary_json(user) if user is not None and not user.is_deleted else None


def _ticket_fields(ticket: SupportTicket, user: User | None) -> dict[str, Any]:
    return {
        "id": str(ticket.id),
        "subject": ticket.subject,
        "category": ticket.category,
        "status": ticket.status,
        "user": _summary(user),
        "message_count": ticket.message_count,
        "last_message_at": rfc3339(ticket.last_message_at),
        "created_at": rfc3339(ticket.created_at),
        "updated_at": rfc3339(ticket.updated_at),
        "closed_at": rfc3339(ticket.closed_at) if ticket.closed_at else None,
    }


def ticket_summary_row_json(row: Any) -> dict[str, Any]:
    """A row of the list queries: (SupportTicket, its User)."""
    ticket, user = row
    return _ticket_fields(ticket, user)


def message_json(
    message: SupportMessage,
    author: User | None,
    attachments: Iterable[SupportAttachment],
) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "ticket_id": str(message.ticket_id),
        "author": _summary(author),
        "from_staff": message.from_staff,
        "body": message.body,
        "attachments": [
            {
                "id": str(a.id),
                "filename": a.filename,
                "content_type": a.content_type,
                "size_bytes": a.size_bytes,
                "url": attachment_url(a.storage_key),
                "created_at": rfc3339(a.created_at),
            }
            for a in attachments
        ],
        "created_at": rfc3339(message.created_at),
    }


async def ticket_json(session: AsyncSession, ticket: SupportTicket) -> dict[str, Any]:
    """The ticket with its whole thread, oldest first, in three queries."""
    rows = (
        await session.exec(
            select(SupportMessage, User)
            .outerjoin(User, col(User.id) == col(SupportMessage.author_id))
            .where(col(SupportMessage.ticket_id) == ticket.id)
            .order_by(col(SupportMessage.created_at), col(SupportMessage.id))
        )
    ).all()
    files: dict[uuid.UUID, list[SupportAttachment]] = {}
    attachments = await session.exec(
        select(SupportAttachment)
        .where(col(SupportAttachment.ticket_id) == ticket.id)
        .order_by(col(SupportAttachment.created_at), col(SupportAttachment.id))
    )
    for attachment in attachments:
        files.setdefault(attachment.message_id, []).append(attachment)
    return {
        **_ticket_fields(ticket, await session.get(User, ticket.user_id)),
        "messages": [
            message_json(message, author, files.get(message.id, [])) for message, author in rows
        ],
    }


def _with_user() -> Select[SupportTicket, User]:
    return select(SupportTicket, User).join(User, col(User.id) == col(SupportTicket.user_id))


def my_tickets_query(*, user: User, status: str | None) -> Select[SupportTicket, User]:
    stmt = _with_user().where(col(SupportTicket.user_id) == user.id)
    return stmt.where(col(SupportTicket.status) == status) if status else stmt


def all_tickets_query(
    *, status: str | None, category: str | None, user_id: str | None
) -> Select[SupportTicket, User]:
    stmt = _with_user()
    if status:
        stmt = stmt.where(col(SupportTicket.status) == status)
    if category:
        stmt = stmt.where(col(SupportTicket.category) == category)
    if user_id:
        stmt = stmt.where(col(SupportTicket.user_id) == uuid.UUID(user_id))
    return stmt


async def access_ticket(*, session: AsyncSession, user: User, ticket_id: str) -> SupportTicket:
    """The ticket if `user` is its user or staff.

    Raises:
        NotFound: missing, or someone else's (the same answer).
    """
    try:
        key = uuid.UUID(ticket_id)
    except ValueError:
        raise NotFound() from None
    ticket = await session.get(SupportTicket, key)
    if ticket is None or not (ticket.user_id == user.id or is_staff(user)):
        raise NotFound()
    return ticket


def check_open(ticket: SupportTicket) -> None:
    """Raises Conflict `ticket_closed` on a closed (read-only) ticket."""
    if ticket.status == "closed":
        raise Conflict("This ticket is closed; open a new one.", code="ticket_closed")


async def check_attachment_room(
    session: AsyncSession, ticket: SupportTicket, *, settings: Settings
) -> None:
    """Raises Conflict `too_many_attachments` when the ticket holds its maximum already."""
    stmt = select(sa.func.count()).where(col(SupportAttachment.ticket_id) == ticket.id)
    if (await session.exec(stmt)).one() >= settings.support_max_attachments:
        raise Conflict(
            f"A ticket holds at most {settings.support_max_attachments} attachments.",
            code="too_many_attachments",
        )


def _from_staff(ticket: SupportTicket, author: User) -> bool:
    # Staff writing on their own ticket are its user there.
    return is_staff(author) and author.id != ticket.user_id


async def _staff_ids(session: AsyncSession, ticket: SupportTicket | None) -> list[uuid.UUID]:
    """Staff who answered `ticket`, or every active staff member when none has."""
    if ticket is not None:
        answered = await session.exec(
            select(SupportMessage.author_id)
            .where(col(SupportMessage.ticket_id) == ticket.id, col(SupportMessage.from_staff))
            .distinct()
        )
        ids = list(answered)
        if ids:
            return ids
    staff = await session.exec(
        select(User.id).where(col(User.role).in_(STAFF_ROLES), col(User.status) == "active")
    )
    return list(staff)


async def create_ticket(
    session: AsyncSession, *, user: User, body: dict[str, Any], now: dt.datetime
) -> SupportTicket:
    """Open a ticket whose first message is `body["body"]`, notify staff, and commit."""
    ticket = SupportTicket(
        user_id=user.id,
        subject=body["subject"],
        category=body["category"],
        created_at=now,
        updated_at=now,
        last_message_at=now,
    )
    session.add(ticket)
    await session.flush()
    staff = [sid for sid in await _staff_ids(session, None) if sid != user.id]
    await add_message(session, ticket=ticket, author=user, text=body["body"], now=now, notify=False)
    notify_many(
        session,
        staff,
        type=NOTIFICATION_TYPE,
        title=f"New support ticket: {ticket.subject}",
        body=body["body"][:200],
        data={"ticket_id": ticket.id},
    )
    await session.commit()
    return ticket


async def add_message(
    session: AsyncSession,
    *,
    ticket: SupportTicket,
    author: User,
    text: str,
    now: dt.datetime,
    file: StoredFile | None = None,
    filename: str = "",
    notify: bool = True,
) -> tuple[SupportMessage, list[SupportAttachment]]:
    """Add a message (and its attachment) and apply the status rules; the caller commits."""
    from_staff = _from_staff(ticket, author)
    message = SupportMessage(
        ticket_id=ticket.id, author_id=author.id, from_staff=from_staff, body=text, created_at=now
    )
    session.add(message)
    await session.flush()
    attachments = []
    if file is not None:
        attachment = SupportAttachment(
            ticket_id=ticket.id,
            message_id=message.id,
            filename=filename,
            content_type=file.content_type,
            size_bytes=file.size_bytes,
            storage_key=file.key,
            created_at=now,
        )
        session.add(attachment)
        attachments.append(attachment)
    # One UPDATE, so concurrent messages each count (no lost read-modify-write).
    await session.exec(
        sa.update(SupportTicket)
        .where(col(SupportTicket.id) == ticket.id)
        .values(
            status="pending" if from_staff else "open",
            message_count=col(SupportTicket.message_count) + 1,
            last_message_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(ticket)
    if notify:
        preview = text[:200] or "(attachment)"
        if from_staff:
            recipients = [ticket.user_id]
            title = f"Support answered: {ticket.subject}"
        else:
            recipients = [sid for sid in await _staff_ids(session, ticket) if sid != author.id]
            title = f"New message on ticket: {ticket.subject}"
        notify_many(
            session,
            recipients,
            type=NOTIFICATION_TYPE,
            title=title,
            body=preview,
            data={"ticket_id": ticket.id, "message_id": message.id},
        )
    return message, attachments


async def close_ticket(
    session: AsyncSession, *, ticket: SupportTicket, by: User, now: dt.datetime
) -> None:
    """Close for good (a closed ticket stays as it is); the caller commits."""
    if ticket.status != "closed":
        await set_status(session, ticket=ticket, by=by, status="closed", now=now)


async def set_status(
    session: AsyncSession, *, ticket: SupportTicket, by: User, status: str, now: dt.datetime
) -> None:
    """Set the status; the ticket's user hears of changes made by staff. The caller commits.

    Raises:
        Conflict: `ticket_closed` when reopening a closed ticket.
    """
    if ticket.status == status:
        return
    check_open(ticket)
    ticket.status = status
    ticket.updated_at = now
    if status == "closed":
        ticket.closed_at = now
    session.add(ticket)
    if _from_staff(ticket, by):
        notify_many(
            session,
            [ticket.user_id],
            type=NOTIFICATION_TYPE,
            title=f"Your ticket is now {status}: {ticket.subject}",
            data={"ticket_id": ticket.id},
        )
