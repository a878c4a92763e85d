"""Direct messaging (issue 6): conversations between 2+ users, their messages and read marks.

Only members see a conversation (`access_conversation`, 404 for anyone else). A 1:1
conversation is unique per pair through `Conversation.pair_key` (a unique column, inserted
with ON CONFLICT DO NOTHING, so concurrent creates for one pair meet on one row). Blocks
(`watchparty.services.blocks`) stop new conversations with a blocked user and 1:1 messages
either way; group members who blocked the sender are spared the notification.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import NotFound, PermissionDenied, ValidationFailed
from watchparty.permissions import is_staff
from watchparty.services.blocks import blocked_between, blockers_of
from watchparty.services.message_store import beyond, clean_content, insert_once
from watchparty.services.notifications import notify_many
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import Conversation, ConversationMember, DirectMessage, User

__all__ = [
    "MAX_MEMBERS",
    "Membership",
    "access_conversation",
    "check_create_conversation",
    "check_mark_read",
    "check_send_direct_message",
    "conversation_json",
    "conversations_json",
    "conversations_query",
    "direct_message_json",
    "direct_message_row_json",
    "do_remove_direct_message",
    "get_direct_message",
    "messages_query",
    "visible_direct_message",
]

MAX_MEMBERS = 50
BLOCKED = "You cannot message this user."
_LastMessage = aliased(DirectMessage)
_Sender = aliased(User)


@dataclass(slots=True)
class Membership:
    """A conversation and the caller's membership row in it."""

    conversation: Conversation
    member: ConversationMember


def _uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    except ValueError:
        return None


# ---------------------------------------------------------------- JSON
def direct_message_json(message: DirectMessage, sender: User | None) -> dict[str, Any]:
    """The `DirectMessage` schema; a removed message keeps its place with empty content."""
    removed = message.deleted_at is not None
    return {
        "id": str(message.id),
        "conversation_id": str(message.conversation_id),
        "sender": user_summary_json(sender) if sender and not sender.is_deleted else None,
        "content": "" if removed else message.content,
        "client_id": message.client_id,
        "created_at": rfc3339(message.created_at),
        "deleted": removed,
    }


def direct_message_row_json(row: Any) -> dict[str, Any]:
    """A `messages_query` row (DirectMessage, sender or None) as `DirectMessage`."""
    message, sender = row
    return direct_message_json(message, sender)


def _unread_count(user_id: uuid.UUID) -> Any:
    """Messages from others after the member's read mark, as a column next to the member."""
    return (
        sa.select(sa.func.count())
        .where(
            DirectMessage.conversation_id == Conversation.id,  # type: ignore[arg-type]
            DirectMessage.deleted_at.is_(None),  # type: ignore[union-attr]
            sa.or_(
                DirectMessage.sender_id.is_(None),  # type: ignore[union-attr]
                DirectMessage.sender_id != user_id,  # type: ignore[arg-type]
            ),
            sa.or_(
                ConversationMember.last_read_at.is_(None),  # type: ignore[union-attr]
                DirectMessage.created_at > ConversationMember.last_read_at,  # type: ignore[arg-type, operator]
            ),
        )
        .correlate(Conversation, ConversationMember)
        .scalar_subquery()
        .label("unread_count")
    )


def conversations_query(*, user: User) -> sa.Select[*tuple[Any, ...]]:
    """(Conversation, my member, unread, last message, its sender) rows of the caller's
    conversations, to page newest first on (last_activity_at, id); `conversations_json`
    turns a page of them into `Conversation`s."""
    return (
        sa.select(Conversation, ConversationMember, _unread_count(user.id), _LastMessage, _Sender)
        .join(
            ConversationMember,
            sa.and_(
                ConversationMember.conversation_id == Conversation.id,  # type: ignore[arg-type]
                ConversationMember.user_id == user.id,  # type: ignore[arg-type]
            ),
        )
        .outerjoin(_LastMessage, _LastMessage.id == Conversation.last_message_id)  # type: ignore[arg-type]
        .outerjoin(_Sender, _Sender.id == _LastMessage.sender_id)  # type: ignore[arg-type]
    )


async def conversations_json(*, session: AsyncSession, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """`Conversation`s of `conversations_query` rows, with every member in one more query."""
    ids = [row[0].id for row in rows]
    members: dict[uuid.UUID, list[dict[str, Any]]] = {key: [] for key in ids}
    if ids:
        stmt = (
            sa.select(col(ConversationMember.conversation_id), User)
            .join(User, User.id == ConversationMember.user_id)  # type: ignore[arg-type]
            .where(ConversationMember.conversation_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(ConversationMember.joined_at, ConversationMember.id)  # type: ignore[arg-type]
        )
        for conversation_id, user in (await session.exec(stmt)).all():  # type: ignore[call-overload]
            members[conversation_id].append(user_summary_json(user))
    result = []
    for conversation, _member, unread, last, sender in rows:
        result.append(
            {
                "id": str(conversation.id),
                "participants": members[conversation.id],
                "is_group": conversation.is_group,
                "title": conversation.title,
                "last_message": direct_message_json(last, sender) if last is not None else None,
                "unread_count": int(unread),
                "created_at": rfc3339(conversation.created_at),
                "last_activity_at": rfc3339(conversation.last_activity_at),
            }
        )
    return result


async def conversation_json(
    *, session: AsyncSession, user: User, conversation_id: uuid.UUID
) -> dict[str, Any]:
    """One conversation as `user` (a member) sees it."""
    stmt = conversations_query(user=user).where(Conversation.id == conversation_id)  # type: ignore[arg-type]
    row = (await session.exec(stmt)).one()  # type: ignore[call-overload]
    return (await conversations_json(session=session, rows=[row]))[0]


# ---------------------------------------------------------------- access and lookups
async def access_conversation(
    *, session: AsyncSession, user: User, conversation_id: uuid.UUID | str
) -> Membership:
    """The conversation if the caller is a member; 404 for anyone else."""
    key = _uuid(conversation_id)
    if key is None:
        raise NotFound()
    stmt = sa.select(Conversation, ConversationMember).join(
        ConversationMember,
        sa.and_(
            ConversationMember.conversation_id == Conversation.id,  # type: ignore[arg-type]
            ConversationMember.user_id == user.id,  # type: ignore[arg-type]
        ),
    )
    row = (await session.exec(stmt.where(Conversation.id == key))).first()  # type: ignore[call-overload, arg-type]
    if row is None:
        raise NotFound()
    return Membership(conversation=row[0], member=row[1])


async def get_direct_message(
    *, session: AsyncSession, message_id: uuid.UUID | str
) -> DirectMessage | None:
    """A direct message by id (None for unknown or malformed ids)."""
    key = _uuid(message_id)
    return await session.get(DirectMessage, key) if key else None


async def visible_direct_message(
    *, session: AsyncSession, user: User, message_id: uuid.UUID | str
) -> DirectMessage | None:
    """The message if `user` may see it: staff, or a member of its conversation."""
    message = await get_direct_message(session=session, message_id=message_id)
    if message is None or is_staff(user):
        return message
    try:
        await access_conversation(
            session=session, user=user, conversation_id=message.conversation_id
        )
    except NotFound:
        return None
    return message


async def _member_ids(session: AsyncSession, conversation_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = sa.select(col(ConversationMember.user_id)).where(
        ConversationMember.conversation_id == conversation_id  # type: ignore[arg-type]
    )
    return list((await session.exec(stmt)).scalars().all())  # type: ignore[call-overload]


# ---------------------------------------------------------------- conversations
async def check_create_conversation(
    *, session: AsyncSession, user: User, body: Mapping[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Start a conversation between the caller and the users named in `body`, committed.

    Two members in all make a 1:1 conversation: an existing one for the pair is answered.

    Returns:
        The `Conversation` JSON and whether it is new.

    Raises:
        ValidationFailed: unknown users, nobody but the caller, or more than MAX_MEMBERS.
        PermissionDenied: `blocked`, when a block lies between the caller and a member.
    """
    others = await _other_members(session, user, body)
    if await blocked_between(session=session, user_id=user.id, others=others):
        raise PermissionDenied(BLOCKED, code="blocked")
    now = utcnow()  # creation is the first activity
    if len(others) == 1:
        conversation = Conversation(
            pair_key=_pair_key(user.id, others[0]),
            created_by_id=user.id,
            created_at=now,
            last_activity_at=now,
        )
        if not await insert_once(session, conversation, unique=("pair_key",)):
            existing = await _by_pair_key(session, conversation.pair_key)
            return await conversation_json(
                session=session, user=user, conversation_id=existing
            ), False
    else:
        title = (body.get("title") or "").strip() or None
        conversation = Conversation(
            is_group=True, title=title, created_by_id=user.id, created_at=now, last_activity_at=now
        )
        session.add(conversation)
    session.add_all(
        ConversationMember(conversation_id=conversation.id, user_id=member)
        for member in (user.id, *others)
    )
    await session.commit()
    return await conversation_json(
        session=session, user=user, conversation_id=conversation.id
    ), True


def _pair_key(a: uuid.UUID, b: uuid.UUID) -> str:
    low, high = sorted((str(a), str(b)))
    return f"{low}:{high}"


async def _by_pair_key(session: AsyncSession, pair_key: str | None) -> uuid.UUID:
    stmt = sa.select(col(Conversation.id)).where(Conversation.pair_key == pair_key)  # type: ignore[arg-type]
    return (await session.exec(stmt)).scalars().one()  # type: ignore[call-overload, no-any-return]


async def _other_members(
    session: AsyncSession, user: User, body: Mapping[str, Any]
) -> list[uuid.UUID]:
    """The ids of the users `body` names by id and username, without the caller."""
    errors: dict[str, list[str]] = {}
    found: dict[uuid.UUID, None] = {}  # ordered set
    ids = [str(value) for value in body.get("participant_ids") or []]
    names = [str(value) for value in body.get("usernames") or []]
    if ids:
        keys = {value: _uuid(value) for value in ids}
        stmt = sa.select(col(User.id)).where(
            User.id.in_([key for key in keys.values() if key]),  # type: ignore[attr-defined]
            User.status != "deleted",  # type: ignore[arg-type]
        )
        known = set((await session.exec(stmt)).scalars().all())  # type: ignore[call-overload]
        missing = [value for value, key in keys.items() if key not in known]
        if missing:
            errors["participant_ids"] = [f"Unknown user: {value}." for value in missing]
        found.update(dict.fromkeys(key for key in keys.values() if key and key in known))
    if names:
        by_name = sa.select(col(User.id), col(User.username)).where(
            sa.func.lower(User.username).in_([name.lower() for name in names]),
            User.status != "deleted",  # type: ignore[arg-type]
        )
        known_names = dict((await session.exec(by_name)).all())  # type: ignore[call-overload]
        lowered = {name.lower() for name in known_names.values()}
        missing = [name for name in names if name.lower() not in lowered]
        if missing:
            errors["usernames"] = [f"Unknown user: {name}." for name in missing]
        found.update(dict.fromkeys(known_names))
    if errors:
        raise ValidationFailed(errors)
    found.pop(user.id, None)
    if not found:
        field = "participant_ids" if ids else "usernames"
        raise ValidationFailed.field(field, "Name at least one user besides yourself.")
    if len(found) + 1 > MAX_MEMBERS:
        raise ValidationFailed.non_field(f"A conversation has at most {MAX_MEMBERS} members.")
    return list(found)


async def check_mark_read(
    *, session: AsyncSession, membership: Membership, user: User
) -> dict[str, Any]:
    """Mark every message of the conversation read for the caller (committed)."""
    member = membership.member
    member.last_read_at = utcnow()
    session.add(member)
    await session.commit()
    return await conversation_json(
        session=session, user=user, conversation_id=membership.conversation.id
    )


# ---------------------------------------------------------------- messages
async def messages_query(
    *,
    session: AsyncSession,
    conversation_id: uuid.UUID,
    before: str | None = None,
    since: str | None = None,
) -> sa.Select[DirectMessage, User]:
    """(DirectMessage, sender) rows of a conversation, to page newest first on (created_at,
    id); `before`/`since` keep only messages older/newer than that message.

    Raises:
        ValidationFailed: on `before`/`since` when it is not a message of this conversation.
    """
    stmt = (
        sa.select(DirectMessage, User)
        .outerjoin(User, User.id == DirectMessage.sender_id)  # type: ignore[arg-type]
        .where(DirectMessage.conversation_id == conversation_id)  # type: ignore[arg-type]
    )
    for name, value in (("before", before), ("since", since)):
        if value is None:
            continue
        anchor = await get_direct_message(session=session, message_id=value)
        if anchor is None or anchor.conversation_id != conversation_id:
            raise ValidationFailed.field(name, "Not a message of this conversation.")
        stmt = stmt.where(beyond(DirectMessage, anchor, older=name == "before"))
    return stmt


async def check_send_direct_message(
    *,
    session: AsyncSession,
    membership: Membership,
    user: User,
    content: str,
    client_id: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Store a message from `user` in the conversation, notify the others, commit.

    A retry with a `client_id` this user already sent here answers the stored message.

    Returns:
        The `DirectMessage` JSON and whether it is new.

    Raises:
        PermissionDenied: `blocked`, in a 1:1 conversation with a block either way.
        ValidationFailed: on `content`.
    """
    conversation = membership.conversation
    if client_id is not None:
        stored = await _by_client_id(session, conversation.id, user.id, client_id)
        if stored is not None:
            return direct_message_json(stored, user), False
    others = [key for key in await _member_ids(session, conversation.id) if key != user.id]
    if not conversation.is_group and await blocked_between(
        session=session, user_id=user.id, others=others
    ):
        raise PermissionDenied(BLOCKED, code="blocked")
    message = DirectMessage(
        conversation_id=conversation.id,
        sender_id=user.id,
        content=clean_content(content),
        client_id=client_id,
    )
    if client_id is None:
        session.add(message)
    elif not await insert_once(
        session, message, unique=("conversation_id", "sender_id", "client_id")
    ):
        # A concurrent retry stored it first.
        stored = await _by_client_id(session, conversation.id, user.id, client_id)
        assert stored is not None
        return direct_message_json(stored, user), False
    # Conditional, so that two concurrent sends leave the newer one as the last message.
    await session.exec(
        sa.update(Conversation)
        .where(
            Conversation.id == conversation.id,  # type: ignore[arg-type]
            Conversation.last_activity_at <= message.created_at,  # type: ignore[arg-type]
        )
        .values(last_message_id=message.id, last_activity_at=message.created_at)
    )
    silent = await blockers_of(session=session, user_id=user.id, among=others)
    notify_many(
        session,
        [key for key in others if key not in silent],
        type="message_received",
        title=f"New message from {user.display_name or user.username}",
        body=message.content[:200],
        data={"conversation_id": conversation.id, "message_id": message.id},
    )
    await session.commit()
    return direct_message_json(message, user), True


async def _by_client_id(
    session: AsyncSession, conversation_id: uuid.UUID, sender_id: uuid.UUID, client_id: str
) -> DirectMessage | None:
    stmt = sa.select(DirectMessage).where(
        DirectMessage.conversation_id == conversation_id,  # type: ignore[arg-type]
        DirectMessage.sender_id == sender_id,  # type: ignore[arg-type]
        DirectMessage.client_id == client_id,  # type: ignore[arg-type]
    )
    return (await session.exec(stmt)).scalars().first()  # type: ignore[call-overload, no-any-return]


def do_remove_direct_message(session: AsyncSession, *, message: DirectMessage) -> bool:
    """Soft-delete `message` (for moderation's delete_content); the caller commits.

    Returns False, doing nothing, when it was already removed.
    """
    if message.deleted_at is not None:
        return False
    message.deleted_at = utcnow()
    session.add(message)
    return True
