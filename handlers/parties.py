"""REST operations of the `parties` tag: parse, call `watchparty.services`, serialize.

Access rules (`x-access` in the catalog) are applied by the `access_party*` helpers of
`watchparty.services.parties` (and `access_invitation` for `invitee`) before anything else, so
an unseen party or invitation is a plain 404.
"""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller
from watchparty.pagination import paginate
from watchparty.services import (
    invitations,
    invites,
    participants,
    parties,
    party_json,
    party_lifecycle,
)
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
    "start_party",
    "end_party",
    "approve_participant",
    "update_participant",
    "invite_to_party",
    "list_party_invitations",
    "revoke_invitation",
    "list_invitations",
    "claim_invitation",
    "get_invitation",
    "accept_invitation",
    "decline_invitation",
]


async def list_parties(token_info: TokenInfo, status: str | None = None, **query: Any) -> Answer:
    async with caller(token_info) as (session, me):
        stmt, values = party_json.parties_query(user=me, status=status)
        page = await paginate(
            session,
            stmt,
            values=values,
            params=query,
            serialize=party_json.party_summary_row_json,
            order="newest",
            key=(Party.scheduled_for, Party.id),  # type: ignore[arg-type]
            position=party_json.party_summary_position,
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


async def start_party(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        view = await party_lifecycle.check_start_party(session=session, view=view)
        return await party_json.party_detail_json(session=session, view=view), 200


async def end_party(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        view = await party_lifecycle.check_end_party(session=session, view=view)
        return await party_json.party_detail_json(session=session, view=view), 200


async def approve_participant(partyId: str, userId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        target, user = await participants.check_approve_participant(
            session=session, view=view, user_id=userId
        )
        return party_json.participant_json(target, user), 200


async def update_participant(
    partyId: str, userId: str, body: Body, token_info: TokenInfo
) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        target, user = await participants.check_update_participant(
            session=session,
            view=view,
            user_id=userId,
            role=body.get("role"),
            muted=body.get("muted"),
        )
        return party_json.participant_json(target, user), 200


async def invite_to_party(partyId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        return await invites.check_invite(session=session, view=view, body=body), 200


async def list_party_invitations(
    partyId: str, token_info: TokenInfo, status: str | None = None, **query: Any
) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        stmt = invitations.invitations_query(viewer=me, party_id=view.party.id, status=status)
        page = await paginate(
            session, stmt, params=query, serialize=invitations.invitation_row_json, order="newest"
        )
        return page, 200


async def revoke_invitation(partyId: str, invitationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host(session=session, user=me, party_id=partyId)
        await invitations.check_revoke_invitation(
            session=session, view=view, invitation_id=invitationId
        )
        return None, 204


async def list_invitations(
    token_info: TokenInfo, status: str | None = None, **query: Any
) -> Answer:
    async with caller(token_info) as (session, me):
        stmt = invitations.invitations_query(viewer=me, invitee_id=me.id, status=status)
        page = await paginate(
            session, stmt, params=query, serialize=invitations.invitation_row_json, order="newest"
        )
        return page, 200


async def claim_invitation(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        row = await invitations.check_claim_invitation(
            session=session, user=me, token=body["token"]
        )
        return invitations.invitation_row_json(row), 200


async def get_invitation(invitationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        invitation = await invitations.access_invitation(
            session=session, user=me, invitation_id=invitationId
        )
        return await invitations.invitation_json(
            session=session, user=me, invitation=invitation
        ), 200


async def accept_invitation(invitationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        row = await invitations.check_accept_invitation(
            session=session, user=me, invitation_id=invitationId
        )
        return invitations.invitation_row_json(row), 200


async def decline_invitation(invitationId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        row = await invitations.check_decline_invitation(
            session=session, user=me, invitation_id=invitationId
        )
        return invitations.invitation_row_json(row), 200
