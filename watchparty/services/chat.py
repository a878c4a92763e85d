"""Party chat: the one service behind REST (`handlers/chat.py`) and `/ws/chat/` (issue 6).

Durable first (DESIGN §4): every change is stored, and its `message.created` /
`message.deleted` frame is queued with `publish_after_commit` on the `chat:<party>` topic,
so it leaves only once the row is committed. Realtime uses `queue_chat_message` and
`replay_since`; moderation removes messages as staff with `do_remove_chat_message`.

Sends go through a group commit (`queue_chat_message`, `watchparty.services.group_commit`):
the messages of all senders that arrive while one batch is being stored are checked (one
access query per batch: joined, chat on, not muted), inserted once per client_id, recorded
as `chat_message` facts and committed together in the next, then published in store order.

Who may chat: joined participants read (`access_chat`) and send; pending and departed ones get
403 `not_joined`, anyone else 404.
Ids the client names (`reply_to`, `before`, `since`) must be messages of the same party.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import APIError, NotFound, PermissionDenied, ValidationFailed
from watchparty.permissions import is_staff
from watchparty.realtime.publish import chat_topic, publish_after_commit
from watchparty.services.group_commit import GroupCommit
from watchparty.services.message_store import beyond, clean_content, insert_many_once
from watchparty.services.parties import PartyView, access_party_as_participant
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import ChatMessage, Party, PartyActivity, PartyParticipant, User

__all__ = [
    "REPLAY_LIMIT",
    "SUMMARY_SIZE",
    "ChatReplay",
    "NewMessage",
    "SentMessage",
    "access_chat",
    "chat_message_json",
    "chat_message_row_json",
    "chat_messages_query",
    "chat_summary_json",
    "delete_chat_message",
    "do_remove_chat_message",
    "get_chat_message",
    "queue_chat_message",
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
class NewMessage:
    """A message to insert: `ChatMessage`'s columns as a plain record (the model's validating
    constructor took 35 µs, an eighth of a chat message's CPU; inserts need no ORM object)."""

    id: uuid.UUID
    party_id: uuid.UUID
    author_id: uuid.UUID
    content: str
    reply_to_id: uuid.UUID | None
    client_id: str | None
    created_at: dt.datetime
    deleted_at: dt.datetime | None = None
    deleted_by_id: uuid.UUID | None = None


@dataclass(slots=True)
class SentMessage:
    """The stored message as `ChatMessage` JSON; `created` is False for a client_id retry."""

    message: ChatMessage | NewMessage
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
def chat_message_json(message: ChatMessage | NewMessage, author: User | None) -> dict[str, Any]:
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
    """The party if the caller is a joined participant (reads the chat).

    Raises:
        NotFound: the caller does not take part.
        PermissionDenied: `not_joined`, a pending (awaiting approval) or departed participant.
    """
    view = await access_party_as_participant(session=session, user=user, party_id=party_id)
    if not view.joined:
        raise PermissionDenied("Join the party to read its chat.", code="not_joined")
    return view


async def get_chat_message(
    *, session: AsyncSession, message_id: uuid.UUID | str
) -> ChatMessage | None:
    """A chat message of any party by id (None for unknown or malformed ids)."""
    key = _uuid(message_id)
    return await session.get(ChatMessage, key) if key else None


async def visible_chat_message(
    *, session: AsyncSession, user: User, message_id: uuid.UUID | str
) -> ChatMessage | None:
    """The message if `user` may name it (reports): staff, or someone taking part in its party
    (a departed participant reports what they saw)."""
    message = await get_chat_message(session=session, message_id=message_id)
    if message is None or is_staff(user):
        return message
    try:
        await access_party_as_participant(session=session, user=user, party_id=message.party_id)
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


# `chat_summary_json`'s statement, built once per process: the latest messages with their
# authors and, on each row, the party's count of undeleted messages, for the bound
# `party_id` (one round trip instead of two; docs/benchmarks.md, REST).
_SUMMARY = (
    _with_author()
    .add_columns(
        sa.select(sa.func.count())
        .where(
            ChatMessage.party_id == sa.bindparam("party_id"),  # type: ignore[arg-type]
            ChatMessage.deleted_at.is_(None),  # type: ignore[union-attr]
        )
        .scalar_subquery()
    )
    .where(ChatMessage.party_id == sa.bindparam("party_id"))  # type: ignore[arg-type]
    .order_by(ChatMessage.created_at.desc(), ChatMessage.id.desc())  # type: ignore[attr-defined]
    .limit(SUMMARY_SIZE)
)


async def chat_summary_json(*, session: AsyncSession, view: PartyView) -> dict[str, Any]:
    """`ChatSummary` of a party detail: empty for callers who may not read the chat (not
    joined, `access_chat`)."""
    if not view.joined:
        return {"message_count": 0, "last_messages": []}
    params = {"party_id": view.party.id}
    rows = (await session.exec(_SUMMARY, params=params)).all()  # type: ignore[call-overload]
    return {
        # No rows: no message at all, so none undeleted either.
        "message_count": int(rows[0][2]) if rows else 0,
        "last_messages": [chat_message_row_json(row[:2]) for row in reversed(rows)],
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
    """Store a message from `user` in the party of `view` (from `access_chat`) and publish
    `message.created` to `chat:<party>` after commit: `queue_chat_message`, awaited.

    Commits `session` first (a REST request's reads): the message is stored by the group
    commit on a connection of its own, and a request holding one while it waits could starve
    the pool.

    Raises:
        PermissionDenied, ValidationFailed: as `queue_chat_message`.
    """
    if not view.joined:
        raise PermissionDenied("Join the party to chat.", code="not_joined")
    await session.commit()
    assert isinstance(session.bind, AsyncEngine)
    return await queue_chat_message(
        engine=session.bind,
        party_id=view.party.id,
        user=user,
        content=content,
        reply_to=reply_to,
        client_id=client_id,
    )


def queue_chat_message(
    *,
    engine: AsyncEngine,
    party_id: uuid.UUID,
    user: User,
    content: str,
    reply_to: str | None = None,
    client_id: str | None = None,
) -> asyncio.Future[SentMessage]:
    """Queue a message for the next group commit (`watchparty.services.group_commit`).

    The future answers the stored message once committed; its `message.created` frame is
    published after that commit, in store order. Access is checked in the batch's own
    transaction (one query for the whole batch), so callers need not load the party first.
    A retry with a `client_id` this user already sent in this party answers the stored
    message (`created=False`) and stores and publishes nothing.

    The future raises:
        PermissionDenied: `not_joined` (not, or no longer, a joined participant),
            `chat_disabled`, `muted`.
        ValidationFailed: on `content` (nothing visible, too long) or `reply_to`.
    """
    send = _Send(party_id, user, content, reply_to, client_id)
    return _GROUP.submit(engine, send)


@dataclass(slots=True)
class _Send:
    party_id: uuid.UUID
    user: User
    content: str
    reply_to: str | None
    client_id: str | None

    @property
    def key(self) -> tuple[uuid.UUID, uuid.UUID, str] | None:
        """The idempotency key (party, author, client_id), when the client sent one."""
        return (self.party_id, self.user.id, self.client_id) if self.client_id else None


_last_created_at = dt.datetime.min.replace(tzinfo=dt.UTC)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # placeholder until `_next_created_at`


def _next_created_at() -> dt.datetime:
    """Now, but strictly after the last message this process stored: store order is list order."""
    global _last_created_at
    _last_created_at = max(utcnow(), _last_created_at + dt.timedelta(microseconds=1))
    return _last_created_at


async def _store_sends(session: AsyncSession, sends: list[_Send]) -> list[SentMessage | Exception]:
    """One batch of `queue_chat_message`: check, insert once, record, commit, publish."""
    parties = {send.party_id for send in sends}
    access = await _chat_access(session, parties, {send.user.id for send in sends})
    stored = await _by_client_ids(session, parties, [s.key for s in sends if s.key is not None])
    replies = {_uuid(send.reply_to) for send in sends if send.reply_to is not None} - {None}
    reply_parties = await _parties_of(session, replies)
    results: list[SentMessage | Exception | None] = []
    rows: list[NewMessage] = []
    first_of: dict[tuple[uuid.UUID, uuid.UUID, str], int] = {}  # key -> index in `sends`
    for index, send in enumerate(sends):
        status, chat_enabled, muted = access.get((send.party_id, send.user.id), ("", False, False))
        try:
            if status != "joined":
                raise PermissionDenied("Join the party to chat.", code="not_joined")
            if send.key is not None and send.key in stored:
                results.append(_retried(stored[send.key], send.user))
                continue
            if send.key is not None and send.key in first_of:
                results.append(None)  # the same send twice in one batch: answered below
                continue
            row = _checked_row(send, chat_enabled, muted, reply_parties)
        except APIError as exc:
            results.append(exc)
            continue
        if send.key is not None:
            first_of[send.key] = index
        row.created_at = _next_created_at()
        rows.append(row)
        results.append(SentMessage(row, chat_message_json(row, send.user), created=True))
    unique = ("party_id", "author_id", "client_id")
    table = ChatMessage.__table__  # type: ignore[attr-defined]
    inserted = await insert_many_once(session, table, rows, unique=unique)
    lost = [row for row in rows if row.id not in inserted]
    raced: dict[tuple[uuid.UUID, uuid.UUID, str], ChatMessage] = {}
    facts: list[dict[str, Any]] = []
    if lost:  # stored by another process since the lookup above: answer those
        raced = await _by_client_ids(session, parties, [_row_key(row) for row in lost])
    for index, result in enumerate(results):
        if not isinstance(result, SentMessage) or not result.created:
            continue
        message, author = result.message, sends[index].user
        if message.id not in inserted:
            results[index] = _retried(raced[_row_key(message)], author)
            continue
        facts.append(_chat_fact(message.party_id, author.id))
        publish_after_commit(
            session,
            chat_topic(message.party_id),
            {"type": "message.created", "payload": result.json},
        )
    if facts:  # one bulk insert, no ORM object per fact (most of a batch's CPU otherwise)
        await session.exec(sa.insert(PartyActivity), params=facts)
    await session.commit()
    answers: list[SentMessage | Exception] = []
    for send, result in zip(sends, results, strict=True):
        if result is None:  # answered by the first send of its key in this batch
            assert send.key is not None
            first = results[first_of[send.key]]
            assert isinstance(first, SentMessage)
            result = _retried(first.message, send.user)
        answers.append(result)
    return answers


def _chat_fact(party_id: uuid.UUID, user_id: uuid.UUID) -> dict[str, Any]:
    """The `chat_message` activity fact of one stored message (`record_activity`'s row)."""
    return {
        "id": uuid.uuid4(),
        "party_id": party_id,
        "user_id": user_id,
        "kind": "chat_message",
        "data": {},
        "at": utcnow(),
    }


def _checked_row(
    send: _Send,
    chat_enabled: bool,
    muted: bool,
    reply_parties: dict[uuid.UUID, uuid.UUID],
) -> NewMessage:
    """The row to store for a joined participant's new `send` (in the REST contract's order)."""
    if not chat_enabled:
        raise PermissionDenied("Chat is turned off in this party.", code="chat_disabled")
    if muted:
        raise PermissionDenied("The host has muted you in this chat.", code="muted")
    text = clean_content(send.content)
    reply_to = _uuid(send.reply_to) if send.reply_to is not None else None
    if send.reply_to is not None and (
        reply_to is None or reply_parties.get(reply_to) != send.party_id
    ):
        raise ValidationFailed.field("reply_to", "Not a message of this party.")
    # `created_at` is set in store order by the caller.
    return NewMessage(
        id=uuid.uuid4(),
        party_id=send.party_id,
        author_id=send.user.id,
        content=text,
        reply_to_id=reply_to,
        client_id=send.client_id,
        created_at=_EPOCH,
    )


def _retried(stored: ChatMessage | NewMessage, author: User) -> SentMessage:
    return SentMessage(stored, chat_message_json(stored, author), created=False)


def _row_key(row: ChatMessage | NewMessage) -> tuple[uuid.UUID, uuid.UUID, str]:
    assert row.author_id is not None and row.client_id is not None
    return (row.party_id, row.author_id, row.client_id)


async def _chat_access(
    session: AsyncSession, parties: set[uuid.UUID], users: set[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[str, bool, bool]]:
    """(party, user) -> (participant status, party chat_enabled, muted), in one query."""
    stmt = (
        sa.select(
            col(PartyParticipant.party_id),
            col(PartyParticipant.user_id),
            col(PartyParticipant.status),
            col(Party.chat_enabled),
            col(PartyParticipant.muted),
        )
        .join(Party, col(Party.id) == col(PartyParticipant.party_id))
        .where(
            col(PartyParticipant.party_id).in_(parties), col(PartyParticipant.user_id).in_(users)
        )
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    return {(party, user): (status, enabled, muted) for party, user, status, enabled, muted in rows}


async def _by_client_ids(
    session: AsyncSession,
    parties: set[uuid.UUID],
    keys: list[tuple[uuid.UUID, uuid.UUID, str]],
) -> dict[tuple[uuid.UUID, uuid.UUID, str], ChatMessage]:
    """The stored messages with these (party, author, client_id) keys."""
    if not keys:
        return {}
    stmt = sa.select(ChatMessage).where(
        ChatMessage.party_id.in_(parties),  # type: ignore[attr-defined]
        ChatMessage.author_id.in_({author for _, author, _ in keys}),  # type: ignore[union-attr]
        ChatMessage.client_id.in_({client_id for _, _, client_id in keys}),  # type: ignore[union-attr]
    )
    rows = (await session.exec(stmt)).scalars().all()  # type: ignore[call-overload]
    wanted = set(keys)
    return {key: row for row in rows if (key := _row_key(row)) in wanted}


async def _parties_of(
    session: AsyncSession, ids: set[uuid.UUID | None]
) -> dict[uuid.UUID, uuid.UUID]:
    """Message id -> its party, for the `reply_to` ids of a batch."""
    if not ids:
        return {}
    stmt = sa.select(col(ChatMessage.id), col(ChatMessage.party_id)).where(
        col(ChatMessage.id).in_(ids)
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    return {key: party for key, party in rows}


_GROUP: GroupCommit[_Send, SentMessage] = GroupCommit(_store_sends)


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
        # Authors who left may still remove their own messages; moderating needs joining.
        view = await access_party_as_participant(
            session=session, user=user, party_id=message.party_id
        )
        moderates = view.joined and view.mine is not None and view.mine.role in _PARTY_MODERATORS
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
