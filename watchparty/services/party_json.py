"""Parties as the API shows them: `PartySummary`, `PartyDetail` and `Participant`.

Keep the key sets in step with specs/schemas/parties.yaml (tests validate every response).
Fields of areas not built yet are answered empty, never made up: `video` null, `event_id`
null, `my_invitation_id` null, `polls` [], `chat_summary` {0, []}, and a paused playback.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.services.parties import TAKING_PART, PartyView
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import Party, PartyParticipant, User

__all__ = [
    "joined_count_column",
    "participant_json",
    "participant_row_json",
    "party_detail_json",
    "party_summary_row_json",
    "parties_query",
]


def _when(value: Any) -> str | None:
    return rfc3339(value) if value is not None else None


def joined_count_column() -> Any:
    """A correlated count of a party's joined participants, to select next to `Party`."""
    return (
        sa.select(sa.func.count())
        .where(
            PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
            PartyParticipant.status == "joined",  # type: ignore[arg-type]
        )
        .correlate(Party)
        .scalar_subquery()
        .label("participant_count")
    )


def parties_query(*, user: User, status: str | None) -> sa.Select[*tuple[Any, ...]]:
    """(Party, my PartyParticipant, host User, participant_count) rows of the caller's parties."""
    stmt = (
        sa.select(Party, PartyParticipant, User, joined_count_column())
        .join(
            PartyParticipant,
            sa.and_(
                PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
                PartyParticipant.user_id == user.id,  # type: ignore[arg-type]
            ),
        )
        .join(User, User.id == Party.host_id)  # type: ignore[arg-type]
        .where(PartyParticipant.status.in_(TAKING_PART))  # type: ignore[attr-defined]
    )
    if status is not None:
        stmt = stmt.where(Party.status == status)  # type: ignore[arg-type]
    return stmt


def _summary(
    party: Party, *, host: User, mine: PartyParticipant | None, participant_count: int
) -> dict[str, Any]:
    return {
        "id": str(party.id),
        "title": party.title,
        "status": party.status,
        "visibility": party.visibility,
        "scheduled_for": rfc3339(party.scheduled_for),
        "started_at": _when(party.started_at),
        "ended_at": _when(party.ended_at),
        "host": user_summary_json(host),
        "video": None,
        "participant_count": participant_count,
        "max_participants": party.max_participants,
        "my_role": mine.role if mine else None,
        "my_status": mine.status if mine else None,
        "created_at": rfc3339(party.created_at),
    }


def party_summary_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """A `parties_query` row as `PartySummary`."""
    party, mine, host, count = row
    return _summary(party, host=host, mine=mine, participant_count=int(count))


def participant_json(participant: PartyParticipant, user: User) -> dict[str, Any]:
    return {
        "user": user_summary_json(user),
        "role": participant.role,
        "status": participant.status,
        "joined_at": _when(participant.joined_at),
        "left_at": _when(participant.left_at),
    }


def participant_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    participant, user = row
    return participant_json(participant, user)


async def party_detail_json(*, session: AsyncSession, view: PartyView) -> dict[str, Any]:
    """`PartyDetail`: one query for the pending and joined participants with their users."""
    party = view.party
    stmt = (
        sa.select(PartyParticipant, User)
        .join(User, User.id == PartyParticipant.user_id)  # type: ignore[arg-type]
        .where(
            PartyParticipant.party_id == party.id,  # type: ignore[arg-type]
            PartyParticipant.status.in_(("pending", "joined")),  # type: ignore[attr-defined]
        )
        .order_by(PartyParticipant.rank, PartyParticipant.created_at, PartyParticipant.id)  # type: ignore[arg-type]
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    joined = sum(1 for participant, _ in rows if participant.status == "joined")
    return {
        **_summary(party, host=view.host, mine=view.mine, participant_count=joined),
        "description": party.description,
        "my_invitation_id": None,
        "settings": {
            "visibility": party.visibility,
            "max_participants": party.max_participants,
            "allow_guest_control": party.allow_guest_control,
            "chat_enabled": party.chat_enabled,
            "reactions_enabled": party.reactions_enabled,
            "require_approval": party.require_approval,
        },
        "participants": [participant_json(p, u) for p, u in rows],
        # Chat and polls are not built yet: empty, as for a party with none.
        "chat_summary": {"message_count": 0, "last_messages": []},
        "polls": [],
        "playback": {
            "status": "paused",
            "position": 0,
            "rate": 1,
            "ref_ts": int(utcnow().timestamp() * 1000),
            "video_id": None,
        },
        "event_id": None,
        "updated_at": rfc3339(party.updated_at),
    }
