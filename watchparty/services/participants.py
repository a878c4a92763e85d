"""Taking part in a party: join, leave, kick, transfer host, and the participants list.

Every function takes a `PartyView` its caller got from an `access_party*` helper of
`watchparty.services.parties`, so the access rule has already been applied. The host always
has a participant row with role `host` and rank 0 that mirrors `Party.host_id`; transfer-host
moves both together.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict, NotFound, ValidationFailed
from watchparty.services.parties import PartyView, check_party_open, joined_count
from watchparty.tables import Party, PartyParticipant, User

__all__ = [
    "check_join_party",
    "check_kick_participant",
    "check_leave_party",
    "check_transfer_host",
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
    try:
        key = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(user_id)
    except ValueError:
        return None
    stmt = sa.select(PartyParticipant).where(
        PartyParticipant.party_id == party.id,  # type: ignore[arg-type]
        PartyParticipant.user_id == key,  # type: ignore[arg-type]
    )
    return (await session.exec(stmt)).scalars().first()  # type: ignore[call-overload, no-any-return]


async def check_join_party(
    *, session: AsyncSession, view: PartyView, user: User
) -> PartyParticipant:
    """Join a visible party (`access_party`): joined, or pending when it requires approval.

    Already joined or pending: the current participation, unchanged.

    Raises:
        Conflict: `party_closed`, `kicked`, or `party_full`.
    """
    party, mine = view.party, view.mine
    check_party_open(party)
    if mine is not None and mine.status in ("joined", "pending"):
        return mine
    if mine is not None and mine.status == "kicked":
        raise Conflict("The host removed you from this party.", code="kicked")
    # No invitations yet: every join of a party that requires approval waits for the host.
    status = "pending" if party.require_approval else "joined"
    if status == "joined" and (
        await joined_count(session=session, party_id=party.id) >= party.max_participants
    ):
        raise Conflict("This party is full.", code="party_full")
    now = utcnow()
    if mine is None:
        mine = PartyParticipant(party_id=party.id, user_id=user.id, created_at=now)
    mine.role = "participant"
    mine.status = status
    mine.joined_at = now if status == "joined" else None
    mine.left_at = None
    session.add(mine)
    await session.commit()
    return mine


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


async def check_kick_participant(
    *, session: AsyncSession, view: PartyView, user_id: uuid.UUID | str
) -> None:
    """Remove a user from a party the caller hosts (`access_party_as_host`).

    Raises:
        NotFound: the user has no participation in this party.
        Conflict: `is_host` (the host cannot kick themselves).
    """
    target = await _participant(session=session, party=view.party, user_id=user_id)
    if target is None:
        raise NotFound()
    if target.user_id == view.party.host_id:
        raise Conflict("The host cannot be kicked.", code="is_host")
    await _end_participation(session=session, participant=target, status="kicked")


async def check_transfer_host(
    *, session: AsyncSession, view: PartyView, user_id: uuid.UUID | str
) -> PartyView:
    """Hand the host role of a party the caller hosts to another joined participant.

    The old host stays as a moderator.

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
    await session.commit()
    host = await session.get(User, target.user_id)
    assert host is not None  # a participant row cascades away with its user
    return PartyView(party=party, host=host, mine=old)


async def _end_participation(
    *, session: AsyncSession, participant: PartyParticipant, status: str
) -> None:
    """Mark `participant` as gone with `status` ("left" or "kicked"); idempotent."""
    if participant.status == status:
        return
    participant.status = status
    participant.left_at = utcnow()
    session.add(participant)
    await session.commit()
