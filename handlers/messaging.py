"""REST operations of the `messaging` tag: conversations, their messages, and user blocks.

Logic in `watchparty.services.messaging` and `watchparty.services.blocks`; a conversation the
caller is not a member of is a 404 (`access_conversation`).
"""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.services import blocks, messaging
from watchparty.tables import Conversation, DirectMessage, UserBlock

__all__ = [
    "list_conversations",
    "create_conversation",
    "get_conversation",
    "list_conversation_messages",
    "send_direct_message",
    "mark_conversation_read",
    "list_blocked_users",
    "block_user",
    "unblock_user",
]


def _row(row: Any) -> Any:
    return row


async def list_conversations(token_info: TokenInfo, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            messaging.conversations_query(user=me),
            params=query,
            serialize=_row,  # rows first: members of the whole page come in one query
            order="newest",
            key=(Conversation.last_activity_at, Conversation.id),  # type: ignore[arg-type]
        )
        page["results"] = await messaging.conversations_json(session=session, rows=page["results"])
        return page, 200


async def create_conversation(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        conversation, created = await messaging.check_create_conversation(
            session=session, user=me, body=body
        )
        return conversation, 201 if created else 200


async def get_conversation(conversationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        mine = await messaging.access_conversation(
            session=session, user=me, conversation_id=conversationId
        )
        return await messaging.conversation_json(
            session=session, user=me, conversation_id=mine.conversation.id
        ), 200


async def list_conversation_messages(
    conversationId: str,
    token_info: TokenInfo,
    before: str | None = None,
    since: str | None = None,
    **query: Any,
) -> Answer:
    async with caller(token_info) as (session, me):
        mine = await messaging.access_conversation(
            session=session, user=me, conversation_id=conversationId
        )
        stmt = await messaging.messages_query(
            session=session, conversation_id=mine.conversation.id, before=before, since=since
        )
        page = await paginate(
            session,
            stmt,
            params=query,
            serialize=messaging.direct_message_row_json,
            order="newest",
            key=(DirectMessage.created_at, DirectMessage.id),  # type: ignore[arg-type]
        )
        return page, 200


async def send_direct_message(conversationId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        mine = await messaging.access_conversation(
            session=session, user=me, conversation_id=conversationId
        )
        message, created = await messaging.check_send_direct_message(
            session=session,
            membership=mine,
            user=me,
            content=body["content"],
            client_id=body.get("client_id"),
        )
        return message, 201 if created else 200


async def mark_conversation_read(conversationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        mine = await messaging.access_conversation(
            session=session, user=me, conversation_id=conversationId
        )
        return await messaging.check_mark_read(session=session, membership=mine, user=me), 200


async def list_blocked_users(token_info: TokenInfo, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            blocks.blocks_query(user=me),
            params=query,
            serialize=blocks.blocked_user_row_json,
            order="newest",
            key=(UserBlock.created_at, UserBlock.id),  # type: ignore[arg-type]
        )
        return page, 200


async def block_user(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        blocked, created = await blocks.check_block_user(
            session=session, user=me, user_id=body["user_id"]
        )
        return blocked, 201 if created else 200


async def unblock_user(userId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await blocks.check_unblock_user(session=session, user=me, user_id=userId)
        return None, 204
