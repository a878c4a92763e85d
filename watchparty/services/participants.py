"""Taking part in a party: join, approve, leave, kick, roles, transfer host, the list.

Every function takes a `PartyView` its caller got from an `access_party*` helper of
`watchparty.services.parties`, so the access rule has already been applied. The host always
has a participant row with role `host` and rank 0 that mirrors `Party.host_id`; transfer-host
moves both together. Every way into `joined` goes through `_admit`, under `lock_party`, so the
capacity check cannot be raced; `joined` and `left` facts are recorded for analytics.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, ValidationFailed
from watchparty.realtime.publish import (
    party_topic,
    publish_after_commit,
    revoke_party_access_after_commit,
)
from watchparty.services.activity import record_activity
from watchparty.services.events import sync_party_event
from watchparty.services.notifications import notify
from watchparty.services.parties import (
    PartyView,
    check_party_open,
    joined_count,
    live_invitation,
    lock_party,
)
from watchparty.services.users import user_summary_json
from watchparty.tables import Party, PartyInvitation, PartyParticipant, User

__all__ = [
    "check_approve_participant",
    "check_join_party",
    "check_kick_participant",
    "check_leave_party",
    "check_transfer_host",
    "check_update_participant",
    "do_accept_invitation",
    "participants_query",
]


def participants_query(*, party: Party, status: str | None) -> sa.Select[*tuple[Any, ...]]:
    """(PartyParticipant, User) rows of a party, to page on (rank, created_at, id) ascending."""
    stmt = (
        sa.select(PartyParticipant, User)
        .join(User, User.id == PartyParticipant.user_id)  # type: ignore[arg-type]
        .where(PartyParticipant.party_id == party.id)  # type: ignore[arg-type]
    )
    if status is not None:
        stmt = stmt.where(PartyParticipant.status == status)  # type: ignore[arg-type]
    return stmt


async def _participant(
    *, session: AsyncSession, party: Party, user_id: uuid.UUID | str
) -> PartyParticipant | None:
    """The current row (re-read even if the session holds it: call after `lock_party`)."""
    try:
        key = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(user_id)
    except ValueError:
        return None
    stmt = (
        select(PartyParticipant)
        .where(col(PartyParticipant.party_id) == party.id, col(PartyParticipant.user_id) == key)
        .execution_options(populate_existing=True)
    )
    return (await session.exec(stmt)).first()


async def _admit(
    *, session: AsyncSession, party: Party, user_id: uuid.UUID, mine: PartyParticipant | None
) -> PartyParticipant:
    """Make `user_id` a joined participant (the caller holds `lock_party`).

    Raises:
        Conflict: `party_full`.
    """
    if mine is not None and mine.status == "joined":
        return mine
    if await joined_count(session=session, party_id=party.id) >= party.max_participants:
        raise Conflict("This party is full.", code="party_full")
    now = utcnow()
    if mine is None:
        mine = PartyParticipant(party_id=party.id, user_id=user_id, created_at=now)
    mine.role = "participant"
    mine.status = "joined"
    mine.joined_at = now
    mine.left_at = None
    session.add(mine)
    record_activity(session, party_id=party.id, kind="joined", user_id=user_id)
    return mine


async def do_accept_invitation(
    *, session: AsyncSession, party: Party, invitation: PartyInvitation, user: User
) -> PartyParticipant:
    """Accept a pending invitation of `user` (the caller holds `lock_party` and commits):
    the user joins without approval, even after a kick, and the inviter is notified.

    Raises:
        Conflict: `party_closed`, `party_full`.
    """
    check_party_open(party)
    mine = await _participant(session=session, party=party, user_id=user.id)
    mine = await _admit(session=session, party=party, user_id=user.id, mine=mine)
    invitation.status = "accepted"
    invitation.responded_at = utcnow()
    session.add(invitation)
    if invitation.invited_by_id is not None and invitation.invited_by_id != user.id:
        notify(
            session,
            user_id=invitation.invited_by_id,
            type="invitation_accepted",
            title=f"{user.display_name or user.username} accepted your invitation",
            body=party.title,
            data={"party_id": party.id, "invitation_id": invitation.id},
        )
    return mine


async def check_join_party(
    *, session: AsyncSession, view: PartyView, user: User
) -> PartyParticipant:
    """Join a visible party (`access_party`): joined, or pending when it requires approval
    and the caller has no invitation (a pending invitation is accepted by joining).

    Already joined, or pending without an invitation: the current participation, unchanged.

    Raises:
        Conflict: `party_closed`, `kicked`, or `party_full`.
    """
    party = view.party
    check_party_open(party)
    await lock_party(session=session, party=party)
    check_party_open(party)
    mine = await _participant(session=session, party=party, user_id=user.id)
    if mine is not None and mine.status == "joined":
        return mine
    stmt = select(PartyInvitation).where(
        live_invitation(party_id=party.id, user_id=user.id, now=utcnow())
    )
    invitation = (await session.exec(stmt)).first()
    if invitation is not None:
        mine = await do_accept_invitation(
            session=session, party=party, invitation=invitation, user=user
        )
    elif mine is not None and mine.status == "pending":
        return mine
    elif mine is not None and mine.status == "kicked":
        raise Conflict("The host removed you from this party.", code="kicked")
    elif party.require_approval:
        mine = await _request_approval(session=session, party=party, user=user, mine=mine)
    else:
        mine = await _admit(session=session, party=party, user_id=user.id, mine=mine)
    await session.commit()
    return mine


async def _request_approval(
    *, session: AsyncSession, party: Party, user: User, mine: PartyParticipant | None
) -> PartyParticipant:
    now = utcnow()
    if mine is None:
        mine = PartyParticipant(party_id=party.id, user_id=user.id, created_at=now)
    mine.role = "participant"
    mine.status = "pending"
    mine.joined_at = mine.left_at = None
    session.add(mine)
    notify(
        session,
        user_id=party.host_id,
        type="join_requested",
        title=f"{user.display_name or user.username} asks to join {party.title}",
        data={"party_id": party.id, "user_id": user.id},
    )
    return mine


async def check_approve_participant(
    *, session: AsyncSession, view: PartyView, user_id: str
) -> tuple[PartyParticipant, User]:
    """pending -> joined for a party the caller hosts; the user is notified.

    Raises:
        NotFound: the user has no participation in this party.
        Conflict: `party_closed`, `not_pending`, `party_full`.
    """
    party = view.party
    await lock_party(session=session, party=party)
    target = await _participant(session=session, party=party, user_id=user_id)
    if target is None:
        raise NotFound()
    check_party_open(party)
    if target.status != "pending":
        raise Conflict("This user has no pending join request.", code="not_pending")
    await _admit(session=session, party=party, user_id=target.user_id, mine=target)
    notify(
        session,
        user_id=target.user_id,
        type="join_approved",
        title=f"You can join {party.title}",
        data={"party_id": party.id},
    )
    await session.commit()
    return await _with_user(session, target)


async def check_update_participant(
    *,
    session: AsyncSession,
    view: PartyView,
    user_id: str,
    role: str | None = None,
    muted: bool | None = None,
) -> tuple[PartyParticipant, User]:
    """Give a joined participant other than the host the role `role`, and/or (un)mute them
    in the party chat; None leaves a field as it is.

    Raises:
        NotFound: the user has no participation in this party.
        Conflict: `is_host`, `not_joined`.
    """
    target = await _participant(session=session, party=view.party, user_id=user_id)
    if target is None:
        raise NotFound()
    if target.user_id == view.party.host_id:
        raise Conflict("Use transfer-host to change the host.", code="is_host")
    if target.status != "joined":
        raise Conflict("Only joined participants get roles.", code="not_joined")
    if role is not None:
        target.role = role
    if muted is not None:
        target.muted = muted
    session.add(target)
    await session.commit()
    return await _with_user(session, target)


async def _with_user(
    session: AsyncSession, participant: PartyParticipant
) -> tuple[PartyParticipant, User]:
    user = await session.get(User, participant.user_id)
    assert user is not None  # a participant row cascades away with its user
    return participant, user


async def check_leave_party(*, session: AsyncSession, view: PartyView) -> None:
    """Leave a party the caller takes part in; the host must hand over or cancel first.

    Raises:
        Conflict: `host_cannot_leave`.
    """
    mine = view.mine
    assert mine is not None  # access_party_as_participant guarantees it
    if mine.role == "host":
        raise Conflict(
            "Transfer the host role or cancel the party before leaving.",
            code="host_cannot_leave",
        )
    await _end_participation(session=session, participant=mine, status="left")
    await session.commit()


async def check_kick_participant(
    *, session: AsyncSession, view: PartyView, user_id: uuid.UUID | str
) -> None:
    """Remove a user from a party the caller hosts (`access_party_as_host`): their pending
    invitations are revoked and they are notified.

    Raises:
        NotFound: the user has no participation in this party.
        Conflict: `is_host` (the host cannot kick themselves).
    """
    party = view.party
    target = await _participant(session=session, party=party, user_id=user_id)
    if target is None:
        raise NotFound()
    if target.user_id == party.host_id:
        raise Conflict("The host cannot be kicked.", code="is_host")
    if target.status == "kicked":
        return
    await _end_participation(session=session, participant=target, status="kicked")
    # An invitation sent before the kick would let them straight back in.
    await session.exec(
        update(PartyInvitation)
        .where(
            col(PartyInvitation.party_id) == party.id,
            col(PartyInvitation.invitee_id) == target.user_id,
            col(PartyInvitation.status) == "pending",
        )
        .values(status="revoked", responded_at=utcnow())
    )
    notify(
        session,
        user_id=target.user_id,
        type="party_kicked",
        title=f"You were removed from {party.title}",
        data={"party_id": party.id},
    )
    await session.commit()


async def check_transfer_host(
    *, session: AsyncSession, view: PartyView, user_id: uuid.UUID | str
) -> PartyView:
    """Hand the host role of a party the caller hosts to another joined participant.

    The old host stays as a moderator, the new one is notified and owns the party's event.

    Raises:
        Conflict: `party_closed`.
        ValidationFailed: on `user_id` when the target is not another joined participant.
    """
    party, old = view.party, view.mine
    assert old is not None  # the host always has a participant row
    check_party_open(party)
    target = await _participant(session=session, party=party, user_id=user_id)
    if target is None or target.status != "joined" or target.user_id == party.host_id:
        raise ValidationFailed.field("user_id", "Choose another joined participant.")
    old.role, old.rank = "moderator", 1
    target.role, target.rank = "host", 0
    party.host_id = target.user_id
    party.updated_at = utcnow()
    session.add_all([old, target, party])
    await sync_party_event(session=session, party=party)
    notify(
        session,
        user_id=target.user_id,
        type="host_transferred",
        title=f"You now host {party.title}",
        data={"party_id": party.id},
    )
    host = await session.get(User, target.user_id)
    assert host is not None  # a participant row cascades away with its user
    change = {
        "host": user_summary_json(host),
        "previous_host": user_summary_json(view.host),
        "reason": "transferred",
    }
    publish_after_commit(
        session, party_topic(party.id), {"type": "host.changed", "payload": change}
    )
    await session.commit()
    return PartyView(party=party, host=host, mine=old)


async def _end_participation(
    *, session: AsyncSession, participant: PartyParticipant, status: str
) -> None:
    """Mark `participant` as gone with `status` ("left" or "kicked"); the caller commits.

    Leaving a joined participation is a `left` fact (`data.reason` says which).
    """
    if participant.status == status:
        return
    if participant.status == "joined":
        record_activity(
            session,
            party_id=participant.party_id,
            kind="left",
            user_id=participant.user_id,
            data={"reason": status},
        )
    participant.status = status
    participant.left_at = utcnow()
    session.add(participant)
    revoke_party_access_after_commit(
        session, party_id=participant.party_id, user_id=participant.user_id, reason=status
    )
