"""Party invitations: the host's and the invitee's lists, revoke, claim, accept and decline
(issue 5); sending them is `watchparty.services.invites`.

An email with an account gets an invitation addressed to that user and a `party_invitation`
notification. An email without one gets an invitation addressed to the email only and a mailed
single-use token (stored hashed, like password-reset tokens); `claim` binds it to whoever
presents the token, who then accepts or declines it like any other. A pending invitation past
`expires_at` is expired: it reads, filters and answers as `expired` without a sweeper job.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Row
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, ValidationFailed
from watchparty.services.participants import do_accept_invitation
from watchparty.services.parties import PartyView, lock_party
from watchparty.services.party_json import joined_count_column, party_summary_json
from watchparty.services.single_use import find_token, spend_token
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import (
    InvitationToken,
    Party,
    PartyInvitation,
    PartyParticipant,
    User,
    Video,
)

__all__ = [
    "access_invitation",
    "check_accept_invitation",
    "check_claim_invitation",
    "check_decline_invitation",
    "check_revoke_invitation",
    "invitation_json",
    "invitation_row_json",
    "invitations_query",
    "is_live",
    "status_filter",
]

BAD_TOKEN = "This invitation link is invalid."

_Host = aliased(User, name="host")
_Inviter = aliased(User, name="inviter")
_Invitee = aliased(User, name="invitee")


def is_live(invitation: PartyInvitation, *, now: dt.datetime) -> bool:
    return invitation.status == "pending" and invitation.expires_at > now


def status_filter(status: str, *, now: dt.datetime) -> Any:
    """SQL for an `InvitationStatus` filter, counting stale pending ones as expired."""
    stale = sa.and_(
        col(PartyInvitation.status) == "pending", col(PartyInvitation.expires_at) <= now
    )
    if status == "pending":
        return sa.and_(col(PartyInvitation.status) == "pending", sa.not_(stale))
    if status == "expired":
        return sa.or_(col(PartyInvitation.status) == "expired", stale)
    return col(PartyInvitation.status) == status


def invitations_query(
    *,
    viewer: User,
    party_id: uuid.UUID | None = None,
    invitee_id: uuid.UUID | None = None,
    status: str | None = None,
) -> sa.Select[*tuple[Any, ...]]:
    """Invitation rows with everything `Invitation` shows, `my_*` being `viewer`'s, newest
    first by (created_at, id); narrowed to one party and/or one invitee."""
    stmt = (
        sa.select(
            PartyInvitation,
            Party,
            _Host,
            _Inviter,
            _Invitee,
            PartyParticipant,
            joined_count_column(),
            Video,
        )
        .join(Party, col(Party.id) == col(PartyInvitation.party_id))
        .join(_Host, col(_Host.id) == col(Party.host_id))
        .outerjoin(_Inviter, col(_Inviter.id) == col(PartyInvitation.invited_by_id))
        .outerjoin(_Invitee, col(_Invitee.id) == col(PartyInvitation.invitee_id))
        .outerjoin(Video, col(Video.id) == col(Party.video_id))
        .outerjoin(
            PartyParticipant,
            sa.and_(
                col(PartyParticipant.party_id) == col(Party.id),
                col(PartyParticipant.user_id) == viewer.id,
            ),
        )
    )
    if party_id is not None:
        stmt = stmt.where(col(PartyInvitation.party_id) == party_id)
    if invitee_id is not None:
        stmt = stmt.where(col(PartyInvitation.invitee_id) == invitee_id)
    if status is not None:
        stmt = stmt.where(status_filter(status, now=utcnow()))
    return stmt


def invitation_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """An `invitations_query` row as `Invitation`."""
    invitation, party, host, inviter, invitee, mine, count, video = row
    status = invitation.status
    if status == "pending" and not is_live(invitation, now=utcnow()):
        status = "expired"
    return {
        "id": str(invitation.id),
        "party": party_summary_json(
            party, host=host, mine=mine, participant_count=int(count), video=video
        ),
        "invited_by": user_summary_json(inviter) if inviter is not None else None,
        "invitee": user_summary_json(invitee) if invitee is not None else None,
        "email": invitation.email,
        "message": invitation.message,
        "status": status,
        "created_at": rfc3339(invitation.created_at),
        "expires_at": rfc3339(invitation.expires_at),
        "responded_at": (
            rfc3339(invitation.responded_at) if invitation.responded_at is not None else None
        ),
    }


async def _row(session: AsyncSession, *, viewer: User, invitation_id: uuid.UUID) -> Row[Any]:
    stmt = invitations_query(viewer=viewer).where(col(PartyInvitation.id) == invitation_id)
    row = (await session.exec(stmt)).first()  # type: ignore[call-overload]
    assert row is not None  # callers pass an invitation they just read or wrote
    return row  # type: ignore[no-any-return]


async def access_invitation(
    *, session: AsyncSession, user: User, invitation_id: str
) -> PartyInvitation:
    """Catalog rule `invitee`: an invitation addressed to the caller; anyone else gets 404."""
    try:
        key = uuid.UUID(invitation_id)
    except ValueError:
        raise NotFound() from None
    invitation = await session.get(PartyInvitation, key)
    if invitation is None or invitation.invitee_id != user.id:
        raise NotFound()
    return invitation


async def invitation_json(
    *, session: AsyncSession, user: User, invitation: PartyInvitation
) -> dict[str, Any]:
    return invitation_row_json(await _row(session, viewer=user, invitation_id=invitation.id))


# --- host side -----------------------------------------------------------------------------


async def check_revoke_invitation(
    *, session: AsyncSession, view: PartyView, invitation_id: str
) -> None:
    """Revoke a pending invitation of a party the caller hosts (its token dies with it).

    Raises:
        NotFound: no such invitation for this party.
        Conflict: `not_pending`.
    """
    try:
        key = uuid.UUID(invitation_id)
    except ValueError:
        raise NotFound() from None
    invitation = await session.get(PartyInvitation, key)
    if invitation is None or invitation.party_id != view.party.id:
        raise NotFound()
    if not is_live(invitation, now=utcnow()):
        raise Conflict("Only pending invitations can be revoked.", code="not_pending")
    invitation.status = "revoked"
    invitation.responded_at = utcnow()
    session.add(invitation)
    await session.commit()


# --- invitee side --------------------------------------------------------------------------


async def check_claim_invitation(*, session: AsyncSession, user: User, token: str) -> Row[Any]:
    """Bind the invitation of a mailed token to the caller (it stays pending).

    Raises:
        ValidationFailed: on `token` when no invitation has this token.
        Conflict: `token_used` (claimed already), `not_pending` (answered, revoked, expired).
    """
    row = await find_token(session=session, model=InvitationToken, token=token)
    if row is None:
        raise ValidationFailed.field("token", BAD_TOKEN)
    invitation = await session.get(PartyInvitation, row.invitation_id)
    assert invitation is not None  # the token cascades away with its invitation
    now = utcnow()
    if row.used_at is not None:
        raise Conflict("This invitation link was used already.", code="token_used")
    if not is_live(invitation, now=now):
        raise Conflict(f"This invitation is {_shown_status(invitation, now)}.", code="not_pending")
    # Single use, even against a concurrent claim of the same token.
    if not await spend_token(session=session, model=InvitationToken, row_id=row.id, now=now):
        await session.rollback()
        raise Conflict("This invitation link was used already.", code="token_used")
    invitation.invitee_id = user.id
    session.add(invitation)
    await session.commit()
    return await _row(session, viewer=user, invitation_id=invitation.id)


def _shown_status(invitation: PartyInvitation, now: dt.datetime) -> str:
    return (
        "expired"
        if invitation.status == "pending" and invitation.expires_at <= now
        else invitation.status
    )


async def _live_for_answer(
    *, session: AsyncSession, user: User, invitation_id: str
) -> tuple[PartyInvitation, Party]:
    """The caller's invitation and its party, locked and re-read; Conflict unless pending."""
    invitation = await access_invitation(session=session, user=user, invitation_id=invitation_id)
    party = await session.get(Party, invitation.party_id)
    assert party is not None  # the invitation cascades away with its party
    await lock_party(session=session, party=party)
    await session.refresh(invitation)
    now = utcnow()
    if not is_live(invitation, now=now):
        raise Conflict(f"This invitation is {_shown_status(invitation, now)}.", code="not_pending")
    return invitation, party


async def check_accept_invitation(
    *, session: AsyncSession, user: User, invitation_id: str
) -> Row[Any]:
    """Accept a pending invitation: the caller joins without approval, the inviter is told.

    Raises:
        NotFound: not the caller's invitation.
        Conflict: `not_pending`, `party_full`, `party_closed`.
    """
    invitation, party = await _live_for_answer(
        session=session, user=user, invitation_id=invitation_id
    )
    await do_accept_invitation(session=session, party=party, invitation=invitation, user=user)
    await session.commit()
    return await _row(session, viewer=user, invitation_id=invitation.id)


async def check_decline_invitation(
    *, session: AsyncSession, user: User, invitation_id: str
) -> Row[Any]:
    """Decline a pending invitation (NotFound, Conflict `not_pending`)."""
    invitation, _ = await _live_for_answer(session=session, user=user, invitation_id=invitation_id)
    invitation.status = "declined"
    invitation.responded_at = utcnow()
    session.add(invitation)
    await session.commit()
    return await _row(session, viewer=user, invitation_id=invitation.id)
