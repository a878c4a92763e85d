"""REST operations of the `chat` tag (party chat); the logic is `watchparty.services.chat`,
which `/ws/chat/` shares, so both transports store and publish the same way.
"""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.services import chat
from watchparty.tables import ChatMessage

__all__ = ["list_chat_messages", "send_chat_message", "delete_chat_message"]


async def list_chat_messages(
    partyId: str,
    token_info: TokenInfo,
    before: str | None = None,
    since: str | None = None,
    **query: Any,
) -> Answer:
    async with caller(token_info) as (session, me):
        view = await chat.access_chat(session=session, user=me, party_id=partyId)
        stmt = await chat.chat_messages_query(
            session=session, party_id=view.party.id, before=before, since=since
        )
        page = await paginate(
            session,
            stmt,
            params=query,
            serialize=chat.chat_message_row_json,
            order="newest",
            key=(ChatMessage.created_at, ChatMessage.id),  # type: ignore[arg-type]
        )
        return page, 200


async def send_chat_message(partyId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await chat.access_chat(session=session, user=me, party_id=partyId)
        sent = await chat.send_chat_message(
            session=session,
            view=view,
            user=me,
            content=body["content"],
            reply_to=body.get("reply_to"),
            client_id=body.get("client_id"),
        )
        return sent.json, 201 if sent.created else 200


async def delete_chat_message(partyId: str, messageId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await chat.delete_chat_message(
            session=session, user=me, party_id=partyId, message_id=messageId
        )
        return None, 204
