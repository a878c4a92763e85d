"""Party chat: the one service behind REST (`handlers/chat.py`) and `/ws/chat/` (issue 6).

Durable first (DESIGN §4): every change is stored, and its `message.created` /
`message.deleted` frame is queued with `publish_after_commit` on the `chat:<party>` topic,
so it leaves only once the row is committed. The API of this module for the realtime and
moderation code is described in /work/fragments/CHAT_API.md (kept in step with it).

Who may chat: participants read (`access_chat`, 404 for anyone else); only joined ones send.
Ids the client names (`reply_to`, `before`, `since`) must be messages of the same party.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import NotFound, PermissionDenied, ValidationFailed
from watchparty.permissions import is_staff
from watchparty.realtime.publish import chat_topic, publish_after_commit
from watchparty.services.activity import record_activity
from watchparty.services.message_store import beyond, clean_content, insert_once
from watchparty.services.parties import PartyView, access_party_as_participant
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import ChatMessage, User

__all__ = [
    "REPLAY_LIMIT",
    "SUMMARY_SIZE",
    "ChatReplay",
    "SentMessage",
    "access_chat",
    "chat_message_json",
    "chat_message_row_json",
    "chat_messages_query",
    "chat_summary_json",
    "delete_chat_message",
    "do_remove_chat_message",
    "get_chat_message",
    "replay_since",
    "send_chat_message",
    "visible_chat_message",
]

# Most messages one `resume` replays; past it the client pages the rest over REST.
REPLAY_LIMIT = 200
# Latest messages in a party detail's `chat_summary`.
SUMMARY_SIZE = 20
# The host and party moderators may remove anyone's message.
_PARTY_MODERATORS = ("host", "moderator")


@dataclass(slots=True)
class SentMessage:
    """The stored message as `ChatMessage` JSON; `created` is False for a client_id retry."""

    message: ChatMessage
    json: dict[str, Any]
    created: bool


@dataclass(slots=True)
class ChatReplay:
    """What a `resume {since}` missed: `messages` oldest first, at most REPLAY_LIMIT."""

    messages: list[dict[str, Any]]
    truncated: bool

    @property
    def last_id(self) -> str | None:
        return self.messages[-1]["id"] if self.messages else None


def _uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    except ValueError:
        return None


# ---------------------------------------------------------------- JSON (REST and WS alike)
def chat_message_json(message: ChatMessage, author: User | None) -> dict[str, Any]:
    """The `ChatMessage` schema; a removed message keeps its place with empty content."""
    removed = message.deleted_at is not None
    return {
        "id": str(message.id),
        "party_id": str(message.party_id),
        "author": user_summary_json(author) if author and not author.is_deleted else None,
        "content": "" if removed else message.content,
        "reply_to": str(message.reply_to_id) if message.reply_to_id else None,
        "client_id": message.client_id,
        "created_at": rfc3339(message.created_at),
        "deleted": removed,
    }


def chat_message_row_json(row: Any) -> dict[str, Any]:
    """A `chat_messages_query` row (ChatMessage, author User or None) as `ChatMessage`."""
    message, author = row
    return chat_message_json(message, author)


def _with_author() -> sa.Select[ChatMessage, User]:
    return sa.select(ChatMessage, User).outerjoin(
        User,
        User.id == ChatMessage.author_id,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- access and lookups
async def access_chat(*, session: AsyncSession, user: User, party_id: uuid.UUID | str) -> PartyView:
    """The party if the caller takes part in it (reads the chat); 404 for anyone else."""
    return await access_party_as_participant(session=session, user=user, party_id=party_id)


async def get_chat_message(
    *, session: AsyncSession, message_id: uuid.UUID | str
) -> ChatMessage | None:
    """A chat message of any party by id (None for unknown or malformed ids)."""
    key = _uuid(message_id)
    return await session.get(ChatMessage, key) if key else None


async def visible_chat_message(
    *, session: AsyncSession, user: User, message_id: uuid.UUID | str
) -> ChatMessage | None:
    """The message if `user` may see it: staff, or someone taking part in its party."""
    message = await get_chat_message(session=session, message_id=message_id)
    if message is None or is_staff(user):
        return message
    try:
        await access_chat(session=session, user=user, party_id=message.party_id)
    except NotFound:
        return None
    return message


async def _message_in_party(
    session: AsyncSession, party_id: uuid.UUID, message_id: uuid.UUID | str | None
) -> ChatMessage | None:
    key = _uuid(message_id) if message_id is not None else None
    message = await session.get(ChatMessage, key) if key else None
    return message if message is not None and message.party_id == party_id else None


# ---------------------------------------------------------------- reading
async def chat_messages_query(
    *,
    session: AsyncSession,
    party_id: uuid.UUID,
    before: str | None = None,
    since: str | None = None,
) -> sa.Select[ChatMessage, User]:
    """(ChatMessage, author) rows of a party, to page newest first on (created_at, id).

    `before`/`since` keep only messages older/newer than that message.

    Raises:
        ValidationFailed: on `before`/`since` when it is not a message of this party.
    """
    stmt = _with_author().where(ChatMessage.party_id == party_id)  # type: ignore[arg-type]
    for name, value in (("before", before), ("since", since)):
        if value is None:
            continue
        anchor = await _message_in_party(session, party_id, value)
        if anchor is None:
            raise ValidationFailed.field(name, "Not a message of this party.")
        stmt = stmt.where(beyond(ChatMessage, anchor, older=name == "before"))
    return stmt


async def replay_since(
    *, session: AsyncSession, party_id: uuid.UUID, since: uuid.UUID | str
) -> ChatReplay:
    """The messages after `since`, oldest first, for `resume` (removed ones included).

    Raises:
        NotFound: `since` is not a message of this party (the client reloads over REST).
    """
    anchor = await _message_in_party(session, party_id, since)
    if anchor is None:
        raise NotFound("Unknown message id; reload the chat history.")
    stmt = await chat_messages_query(session=session, party_id=party_id, since=str(anchor.id))
    stmt = stmt.order_by(ChatMessage.created_at, ChatMessage.id).limit(REPLAY_LIMIT + 1)  # type: ignore[arg-type]
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    return ChatReplay(
        messages=[chat_message_row_json(row) for row in rows[:REPLAY_LIMIT]],
        truncated=len(rows) > REPLAY_LIMIT,
    )


async def chat_summary_json(*, session: AsyncSession, view: PartyView) -> dict[str, Any]:
    """`ChatSummary` of a party detail: empty for callers who do not take part."""
    if not view.takes_part:
        return {"message_count": 0, "last_messages": []}
    party_id = view.party.id
    count_stmt = sa.select(sa.func.count()).where(
        ChatMessage.party_id == party_id,  # type: ignore[arg-type]
        ChatMessage.deleted_at.is_(None),  # type: ignore[union-attr]
    )
    count = (await session.exec(count_stmt)).one()[0]  # type: ignore[call-overload]
    latest = (
        _with_author()
        .where(ChatMessage.party_id == party_id)  # type: ignore[arg-type]
        .order_by(ChatMessage.created_at.desc(), ChatMessage.id.desc())  # type: ignore[attr-defined]
        .limit(SUMMARY_SIZE)
    )
    rows = (await session.exec(latest)).all()  # type: ignore[call-overload]
    return {
        "message_count": int(count),
        "last_messages": [chat_message_row_json(row) for row in reversed(rows)],
    }


# ---------------------------------------------------------------- writing
async def send_chat_message(
    *,
    session: AsyncSession,
    view: PartyView,
    user: User,
    content: str,
    reply_to: str | None = None,
    client_id: str | None = None,
) -> SentMessage:
    """Store a message from `user` in the party of `view` (from `access_chat`), commit, and
    publish `message.created` to `chat:<party>`.

    A retry with a `client_id` this user already sent in this party answers the stored
    message (`created=False`) and stores and publishes nothing.

    Raises:
        PermissionDenied: `not_joined` (pending or left), `chat_disabled`, `muted`.
        ValidationFailed: on `content` (nothing visible, too long) or `reply_to`.
    """
    party = view.party
    if view.mine is None or view.mine.status != "joined":
        raise PermissionDenied("Join the party to chat.", code="not_joined")
    if client_id is not None:
        stored = await _by_client_id(session, party.id, user.id, client_id)
        if stored is not None:
            return SentMessage(stored, chat_message_json(stored, user), created=False)
    if not party.chat_enabled:
        raise PermissionDenied("Chat is turned off in this party.", code="chat_disabled")
    if view.mine.muted:
        raise PermissionDenied("The host has muted you in this chat.", code="muted")
    text = clean_content(content)
    if reply_to is not None and await _message_in_party(session, party.id, reply_to) is None:
        raise ValidationFailed.field("reply_to", "Not a message of this party.")
    row = ChatMessage(
        party_id=party.id,
        author_id=user.id,
        content=text,
        reply_to_id=_uuid(reply_to) if reply_to is not None else None,
        client_id=client_id,
    )
    if client_id is None:
        session.add(row)
    elif not await insert_once(session, row, unique=("party_id", "author_id", "client_id")):
        # A concurrent retry stored it since the lookup above: answer that one.
        stored = await _by_client_id(session, party.id, user.id, client_id)
        assert stored is not None  # the conflicting row is committed and visible
        return SentMessage(stored, chat_message_json(stored, user), created=False)
    payload = chat_message_json(row, user)
    record_activity(session, party_id=party.id, kind="chat_message", user_id=user.id)
    publish_after_commit(
        session, chat_topic(party.id), {"type": "message.created", "payload": payload}
    )
    await session.commit()
    return SentMessage(row, payload, created=True)


async def _by_client_id(
    session: AsyncSession, party_id: uuid.UUID, author_id: uuid.UUID, client_id: str
) -> ChatMessage | None:
    stmt = sa.select(ChatMessage).where(
        ChatMessage.party_id == party_id,  # type: ignore[arg-type]
        ChatMessage.author_id == author_id,  # type: ignore[arg-type]
        ChatMessage.client_id == client_id,  # type: ignore[arg-type]
    )
    return (await session.exec(stmt)).scalars().first()  # type: ignore[call-overload, no-any-return]


async def delete_chat_message(
    *, session: AsyncSession, user: User, party_id: uuid.UUID | str, message_id: uuid.UUID | str
) -> None:
    """Remove a message as `user` and commit (a removed one again: no-op).

    Authors remove their own; the party's host and moderators remove any, and so does staff
    (moderators and admins), in any party.

    Raises:
        NotFound: no such message in this party, or the caller does not take part (not staff).
        PermissionDenied: a participant removing someone else's message.
    """
    message = await get_chat_message(session=session, message_id=message_id)
    if message is None or message.party_id != _uuid(party_id):
        raise NotFound()
    if not is_staff(user):
        view = await access_chat(session=session, user=user, party_id=message.party_id)
        moderates = view.mine is not None and view.mine.role in _PARTY_MODERATORS
        if message.author_id != user.id and not moderates:
            raise PermissionDenied("Only the author, the host or a moderator may remove this.")
    if do_remove_chat_message(session, message=message, by=user):
        await session.commit()


def do_remove_chat_message(session: AsyncSession, *, message: ChatMessage, by: User | None) -> bool:
    """Soft-delete `message` and queue `message.deleted`; the caller commits.

    No permission check: for callers that already decided (REST above, moderation's
    delete_content). `by` is who removed it (null in the frame for automatic removals).
    Returns False, doing nothing, when the message was already removed.
    """
    if message.deleted_at is not None:
        return False
    message.deleted_at = utcnow()
    message.deleted_by_id = by.id if by is not None else None
    session.add(message)
    payload = {
        "message_id": str(message.id),
        "party_id": str(message.party_id),
        "deleted_by": user_summary_json(by) if by is not None else None,
    }
    publish_after_commit(
        session, chat_topic(message.party_id), {"type": "message.deleted", "payload": payload}
    )
    return True
