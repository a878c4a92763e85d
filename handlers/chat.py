"""REST operations of the `chat` tag (party chat); the logic is `watchparty.services.chat`,
which `/ws/chat/` shares, so both transports store and publish the same way.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from watchparty.deps import Answer, Body, TokenInfo, caller, db_session
from watchparty.errors import PermissionDenied
from watchparty.pagination import paginate
from watchparty.services import chat
from watchparty.services.parties import access_party_as_participant
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
    # The group commit checks access (joined, chat on, not muted) in the transaction that
    # stores the message, so the common case needs no `access_chat` query first: two round
    # trips fewer (docs/benchmarks.md). The caller's session is closed before the wait, so
    # no pooled connection is held meanwhile.
    async with caller(token_info) as (session, me):
        engine = session.bind
    assert isinstance(engine, AsyncEngine)
    try:
        sent = await chat.queue_chat_message(
            engine=engine,
            party_id=uuid.UUID(partyId),  # validated as a uuid by the spec
            user=me,
            content=body["content"],
            reply_to=body.get("reply_to"),
            client_id=body.get("client_id"),
        )
    except PermissionDenied as refused:
        if refused.code != "not_joined":
            raise
        # Not joined: someone who does not take part hears 404, as from `access_chat`.
        async with db_session() as session:
            await access_party_as_participant(session=session, user=me, party_id=partyId)
        raise
    return sent.json, 201 if sent.created else 200


async def delete_chat_message(partyId: str, messageId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        await chat.delete_chat_message(
            session=session, user=me, party_id=partyId, message_id=messageId
        )
        return None, 204
