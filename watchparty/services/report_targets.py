"""What a report can point at, through the services that own each kind (issue 6).

Moderation keeps no foreign key into other domains' tables: a report stores `target_type` +
`target_id`, and this module is the one place that turns them back into rows, through the
owning service, to check a reporter may see the target and to remove reported content.
Add a target type here (and to REPORT_TARGET_TYPES) and nowhere else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.errors import NotFound
from watchparty.services import chat, messaging, parties, videos
from watchparty.tables import ChatMessage, DirectMessage, Party, User, Video

__all__ = ["EXCERPT_CHARS", "Target", "do_delete_content", "find_visible_target"]

EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class Target:
    """A reported object as moderation sees it: its author (or the user) and an excerpt."""

    author_id: uuid.UUID | None
    excerpt: str | None


async def find_visible_target(
    *, session: AsyncSession, user: User, target_type: str, target_id: uuid.UUID
) -> Target | None:
    """The target if `user` may see it; None when it is unknown or hidden from them."""
    if target_type == "user":
        other = await session.get(User, target_id)
        if other is None or other.is_deleted:
            return None
        return Target(author_id=other.id, excerpt=other.username)
    if target_type == "party":
        try:
            view = await parties.access_party(session=session, user=user, party_id=target_id)
        except NotFound:
            return None
        return Target(author_id=view.party.host_id, excerpt=view.party.title[:EXCERPT_CHARS])
    if target_type == "message":
        # A party chat message or a direct message: ids are UUIDs, so at most one matches.
        chat_message = await chat.visible_chat_message(
            session=session, user=user, message_id=target_id
        )
        if chat_message is not None and chat_message.deleted_at is None:
            excerpt = chat_message.content[:EXCERPT_CHARS]
            return Target(author_id=chat_message.author_id, excerpt=excerpt)
        direct = await messaging.visible_direct_message(
            session=session, user=user, message_id=target_id
        )
        if direct is not None and direct.deleted_at is None:
            return Target(author_id=direct.sender_id, excerpt=direct.content[:EXCERPT_CHARS])
        return None
    if target_type == "video":
        try:
            video, owner = await videos.access_video(session=session, user=user, video_id=target_id)
        except NotFound:
            return None
        return Target(author_id=owner.id, excerpt=video.title[:EXCERPT_CHARS])
    return None


async def do_delete_content(
    *, session: AsyncSession, actor: User, target_type: str, target_id: uuid.UUID
) -> None:
    """Remove the reported content; content that is already gone is left as it is.

    A reported user's profile content (display name, avatar, bio) is cleared. Does not
    commit, except the party cancellation and the video deletion, which their services
    commit themselves: call this last in the transaction.

    Raises:
        Conflict: `party_closed` for a party that already ended, `video_in_use` for a video
            a live party is playing.
    """
    if target_type == "user":
        user = await session.get(User, target_id)
        if user is not None and not user.is_deleted:
            user.display_name, user.avatar_url, user.bio = "", None, ""
            session.add(user)
    elif target_type == "message":
        message = await session.get(ChatMessage, target_id)
        if message is not None:
            chat.do_remove_chat_message(session, message=message, by=actor)
        direct = await session.get(DirectMessage, target_id) if message is None else None
        if direct is not None:
            messaging.do_remove_direct_message(session, message=direct)
    elif target_type == "party":
        party = await session.get(Party, target_id)
        if party is not None and party.status != "cancelled":
            host = await session.get(User, party.host_id)
            assert host is not None  # host_id is a foreign key
            view = parties.PartyView(party=party, host=host, mine=None)
            await parties.check_cancel_party(session=session, view=view)
    elif target_type == "video":
        video = await session.get(Video, target_id)
        if video is not None:
            await videos.check_delete_video(session=session, video=video)
    else:
        raise ValueError(f"no content removal for {target_type}")
