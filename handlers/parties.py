"""REST operations of the `parties` tag: parse, call `watchparty.services`, serialize.

Access rules (`x-access` in the catalog) are applied by the `access_party*` helpers of
`watchparty.services.parties` before anything else, so an unseen party is a plain 404.
Invitations, start/end, approve and role changes are not implemented yet (501).
"""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.services import participants, parties, party_json
from watchparty.tables import Party, PartyParticipant

__all__ = [
    "list_parties",
    "create_party",
    "get_party",
    "update_party",
    "delete_party",
    "join_party",
    "leave_party",
    "list_participants",
    "kick_participant",
    "transfer_host",
]


async def list_parties(token_info: TokenInfo, status: str | None = None, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            party_json.parties_query(user=me, status=status),
            params=query,
            serialize=party_json.party_summary_row_json,
            order="newest",
            key=(Party.scheduled_for, Party.id),  # type: ignore[arg-type]
        )
        return page, 200


async def create_party(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.check_create_party(session=session, host=me, body=body)
        return await party_json.party_detail_json(session=session, view=view), 201


async def get_party(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party(session=session, user=me, party_id=partyId)
        return await party_json.party_detail_json(session=session, view=view), 200


async def update_party(partyId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        view = await parties.check_update_party(session=session, view=view, body=body)
        return await party_json.party_detail_json(session=session, view=view), 200


async def delete_party(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        await parties.check_cancel_party(session=session, view=view)
        return None, 204


async def join_party(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party(session=session, user=me, party_id=partyId)
        mine = await participants.check_join_party(session=session, view=view, user=me)
        return party_json.participant_json(mine, me), 200


async def leave_party(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_participant(session=session, user=me, party_id=partyId)
        await participants.check_leave_party(session=session, view=view)
        return None, 204


async def list_participants(
    partyId: str,
    token_info: TokenInfo,
    status: str | None = None,
    **query: Any,
) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party(session=session, user=me, party_id=partyId)
        page = await paginate(
            session,
            participants.participants_query(party=view.party, status=status),
            params=query,
            serialize=party_json.participant_row_json,
            order="oldest",
            key=(PartyParticipant.rank, PartyParticipant.created_at, PartyParticipant.id),  # type: ignore[arg-type]
        )
        return page, 200


async def kick_participant(partyId: str, userId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        await participants.check_kick_participant(session=session, view=view, user_id=userId)
        return None, 204


async def transfer_host(partyId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        view = await participants.check_transfer_host(
            session=session, view=view, user_id=body["user_id"]
        )
        return await party_json.party_detail_json(session=session, view=view), 200
