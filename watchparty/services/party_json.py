"""Parties as the API shows them: `PartySummary`, `PartyDetail` and `Participant`.

Keep the key sets in step with specs/schemas/parties.yaml (tests validate every response).
`polls` and `playback` are the stored ones (`watchparty.services.polls`, `.playback`);
`video` is the party's video (`VideoSummary`), null when none is chosen.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Row
from sqlalchemy.orm import Bundle
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.services.chat import chat_summary_json
from watchparty.services.parties import TAKING_PART, PartyView
from watchparty.services.playback import playback_json, playback_of
from watchparty.services.polls import polls_json
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.services.videos import video_summary_json
from watchparty.tables import CalendarEvent, Party, PartyParticipant, PartyPlayback, User, Video

__all__ = [
    "joined_count_column",
    "participant_json",
    "participant_row_json",
    "party_detail_json",
    "party_summary_json",
    "party_summary_position",
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


def parties_query(
    *, user: User, status: str | None
) -> tuple[sa.Select[*tuple[Any, ...]], dict[str, Any]]:
    """(party, my participation, host, participant_count, video) rows of the caller's
    parties, for `party_summary_row_json`: a statement built once and its bound values."""
    if status is None:
        return _MY_PARTIES, {"user_id": user.id}
    return _MY_PARTIES_BY_STATUS, {"user_id": user.id, "status": status}


# A summary's columns as bundles, read as plain rows: for these values a page of 20 built
# 60 ORM objects of every column (the host's 21, the video's 20), then still 20 partly
# loaded parties (docs/benchmarks.md, changes 10 and 13).
_PARTY: Bundle[Any] = Bundle(
    "party",
    *(
        col(getattr(Party, name))
        for name in ("id", "title", "status", "visibility", "scheduled_for", "started_at")
    ),
    *(col(getattr(Party, name)) for name in ("ended_at", "max_participants", "created_at")),
)
_HOST: Bundle[Any] = Bundle(
    "host", *(col(c) for c in (User.id, User.username, User.display_name, User.avatar_url))
)
_MINE: Bundle[Any] = Bundle("mine", col(PartyParticipant.role), col(PartyParticipant.status))
_VIDEO: Bundle[Any] = Bundle(
    "video",
    *(col(c) for c in (Video.id, Video.title, Video.duration_seconds, Video.thumbnail_key)),
    col(Video.processing_state),
)
# `parties_query`'s statements, built once per process (docs/benchmarks.md), for the bound
# `user_id` (and `status`).
_MY_PARTIES = (
    sa.select(_PARTY, _MINE, _HOST, joined_count_column(), _VIDEO)
    .select_from(Party)
    .join(
        PartyParticipant,
        sa.and_(
            PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
            PartyParticipant.user_id == sa.bindparam("user_id"),  # type: ignore[arg-type]
        ),
    )
    .join(User, User.id == Party.host_id)  # type: ignore[arg-type]
    .outerjoin(Video, Video.id == Party.video_id)  # type: ignore[arg-type]
    .where(PartyParticipant.status.in_(TAKING_PART))  # type: ignore[attr-defined]
)
_MY_PARTIES_BY_STATUS = _MY_PARTIES.where(Party.status == sa.bindparam("status"))  # type: ignore[arg-type]


def party_summary_json(
    party: Party,
    *,
    host: User,
    mine: PartyParticipant | None,
    participant_count: int,
    video: Video | None = None,
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
        "video": video_summary_json(video) if video is not None else None,
        "participant_count": participant_count,
        "max_participants": party.max_participants,
        "my_role": mine.role if mine else None,
        "my_status": mine.status if mine else None,
        "created_at": rfc3339(party.created_at),
    }


def party_summary_position(row: Row[*tuple[Any, ...]]) -> tuple[Any, Any]:
    """A `parties_query` row's place in the list order, (scheduled_for, id)."""
    return row.party.scheduled_for, row.party.id


def party_summary_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """A `parties_query` row as `PartySummary` (the bundles read as the rows they stand for)."""
    party, mine, host, count, video = row
    return party_summary_json(
        party,
        host=host,
        mine=mine,
        participant_count=int(count),
        video=video if video.id is not None else None,  # outer join: no video chosen
    )


def participant_json(participant: PartyParticipant, user: User) -> dict[str, Any]:
    return {
        "user": user_summary_json(user),
        "role": participant.role,
        "status": participant.status,
        "muted": participant.muted,
        "joined_at": _when(participant.joined_at),
        "left_at": _when(participant.left_at),
    }


def participant_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    participant, user = row
    return participant_json(participant, user)


# `party_detail_json`'s statements, built once per process (docs/benchmarks.md): the pending
# and joined participants with their users, and the party's calendar event, video and stored
# playback state in one round trip (three before), for the bound `party_id`.
_DETAIL_PARTICIPANTS = (
    sa.select(PartyParticipant, User)
    .join(User, User.id == PartyParticipant.user_id)  # type: ignore[arg-type]
    .where(
        PartyParticipant.party_id == sa.bindparam("party_id"),  # type: ignore[arg-type]
        PartyParticipant.status.in_(("pending", "joined")),  # type: ignore[attr-defined]
    )
    .order_by(PartyParticipant.rank, PartyParticipant.created_at, PartyParticipant.id)  # type: ignore[arg-type]
)
_DETAIL_EXTRAS = (
    sa.select(col(CalendarEvent.id), Video, PartyPlayback)
    .select_from(Party)
    .outerjoin(CalendarEvent, CalendarEvent.party_id == Party.id)  # type: ignore[arg-type]
    .outerjoin(Video, Video.id == Party.video_id)  # type: ignore[arg-type]
    .outerjoin(PartyPlayback, PartyPlayback.party_id == Party.id)  # type: ignore[arg-type]
    .where(Party.id == sa.bindparam("party_id"))  # type: ignore[arg-type]
    # The playback row changes under other sessions (the party socket); read it fresh.
    .execution_options(populate_existing=True)
)


async def party_detail_json(*, session: AsyncSession, view: PartyView) -> dict[str, Any]:
    """`PartyDetail`: one query for the pending and joined participants with their users, one
    for the calendar event, video and playback state, then the chat summary's and the polls'."""
    party = view.party
    params = {"party_id": party.id}
    rows = (await session.exec(_DETAIL_PARTICIPANTS, params=params)).all()  # type: ignore[call-overload]
    joined = sum(1 for participant, _ in rows if participant.status == "joined")
    event_id, video, playback = (await session.exec(_DETAIL_EXTRAS, params=params)).one()  # type: ignore[call-overload]
    return {
        **party_summary_json(
            party,
            host=view.host,
            mine=view.mine,
            participant_count=joined,
            video=video,
        ),
        "description": party.description,
        "my_invitation_id": str(view.invitation_id) if view.invitation_id else None,
        "settings": {
            "visibility": party.visibility,
            "max_participants": party.max_participants,
            "allow_guest_control": party.allow_guest_control,
            "chat_enabled": party.chat_enabled,
            "reactions_enabled": party.reactions_enabled,
            "require_approval": party.require_approval,
        },
        "participants": [participant_json(p, u) for p, u in rows],
        "chat_summary": await chat_summary_json(session=session, view=view),
        "polls": await polls_json(session=session, party_id=party.id),
        "playback": playback_json(playback_of(playback), video_id=party.video_id),
        "event_id": str(event_id) if event_id is not None else None,
        "updated_at": rfc3339(party.updated_at),
    }
