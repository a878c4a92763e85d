"""Party polls: created and closed by the host, one ballot per user, live results (issue 8).

Every change is stored and announced on the party's polls topic after commit (`poll.created`,
`poll.results`, `poll.closed`); the party detail shows the same `Poll` JSON. A poll with a
duration is closed by time: its status is computed from `closes_at`, so it reads closed even
if no process was running to announce it, and `close_due_polls` (any process's sweep) stores
and announces the close.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import Database, utcnow
from watchparty.errors import Conflict, NotFound, ValidationFailed
from watchparty.realtime.publish import interactive_topic, publish_after_commit
from watchparty.services.activity import record_activity
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.tables import Poll, PollBallot, User

__all__ = [
    "close_due_polls",
    "close_poll",
    "create_poll",
    "my_ballots",
    "poll_topic",
    "polls_json",
    "vote_poll",
]


def poll_topic(party_id: uuid.UUID) -> str:
    return interactive_topic(party_id, "polls")


def _closed(poll: Poll, now: dt.datetime) -> bool:
    return poll.closed_at is not None or (poll.closes_at is not None and poll.closes_at <= now)


def _poll_json(
    poll: Poll, creator: User, ballots: list[PollBallot], now: dt.datetime
) -> dict[str, Any]:
    votes = Counter(option for ballot in ballots for option in ballot.option_ids)
    closes_at = poll.closed_at or poll.closes_at
    return {
        "id": str(poll.id),
        "party_id": str(poll.party_id),
        "question": poll.question,
        "options": [
            {"id": option["id"], "text": option["text"], "votes": votes[option["id"]]}
            for option in poll.options
        ],
        "multiple": poll.multiple,
        "status": "closed" if _closed(poll, now) else "open",
        "created_by": user_summary_json(creator),
        "created_at": rfc3339(poll.created_at),
        "closes_at": rfc3339(closes_at) if closes_at is not None else None,
        # Voters, not marks: a multiple-choice ballot counts once.
        "total_votes": len(ballots),
    }


async def polls_json(*, session: AsyncSession, party_id: uuid.UUID) -> list[dict[str, Any]]:
    """The party's polls with their results, newest first (two queries for any number)."""
    rows = (
        await session.exec(
            sa.select(Poll, User)  # type: ignore[call-overload]
            .join(User, User.id == Poll.created_by)  # type: ignore[arg-type]
            .where(Poll.party_id == party_id)  # type: ignore[arg-type]
            .order_by(Poll.created_at.desc(), Poll.id.desc())  # type: ignore[attr-defined]
        )
    ).all()
    ballots = await _ballots(session, [poll.id for poll, _ in rows])
    now = utcnow()
    return [_poll_json(poll, user, ballots.get(poll.id, []), now) for poll, user in rows]


async def _ballots(
    session: AsyncSession, poll_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[PollBallot]]:
    if not poll_ids:
        return {}
    stmt = sa.select(PollBallot).where(PollBallot.poll_id.in_(poll_ids))  # type: ignore[attr-defined]
    by_poll: dict[uuid.UUID, list[PollBallot]] = {}
    for ballot in (await session.exec(stmt)).scalars():  # type: ignore[call-overload]
        by_poll.setdefault(ballot.poll_id, []).append(ballot)
    return by_poll


async def my_ballots(
    *, session: AsyncSession, party_id: uuid.UUID, user_id: uuid.UUID
) -> list[dict[str, Any]]:
    """`PollBallot`s of `user_id` in the party's polls."""
    stmt = (
        sa.select(PollBallot)
        .join(Poll, Poll.id == PollBallot.poll_id)  # type: ignore[arg-type]
        .where(Poll.party_id == party_id, PollBallot.user_id == user_id)  # type: ignore[arg-type]
    )
    return [
        {"poll_id": str(ballot.poll_id), "option_ids": ballot.option_ids}
        for ballot in (await session.exec(stmt)).scalars()  # type: ignore[call-overload]
    ]


async def _announce(session: AsyncSession, poll: Poll, type_: str) -> dict[str, Any]:
    creator = await session.get(User, poll.created_by)
    assert creator is not None  # polls cascade away with their creator
    ballots = (await _ballots(session, [poll.id])).get(poll.id, [])
    payload = _poll_json(poll, creator, ballots, utcnow())
    publish_after_commit(session, poll_topic(poll.party_id), {"type": type_, "payload": payload})
    return payload


async def create_poll(
    *,
    session: AsyncSession,
    party_id: uuid.UUID,
    user: User,
    question: str,
    options: list[str],
    multiple: bool,
    duration_seconds: int | None,
) -> dict[str, Any]:
    """Store a poll (the caller checked host rights), commit, announce `poll.created`."""
    now = utcnow()
    poll = Poll(
        party_id=party_id,
        question=question.strip(),
        options=[{"id": str(uuid.uuid4()), "text": text.strip()} for text in options],
        multiple=multiple,
        created_by=user.id,
        created_at=now,
        closes_at=now + dt.timedelta(seconds=duration_seconds) if duration_seconds else None,
    )
    session.add(poll)
    await session.flush()
    record_activity(
        session,
        party_id=party_id,
        kind="poll_created",
        user_id=user.id,
        data={"poll_id": str(poll.id)},
    )
    payload = await _announce(session, poll, "poll.created")
    await session.commit()
    return payload


async def _poll_in_party(session: AsyncSession, party_id: uuid.UUID, poll_id: uuid.UUID) -> Poll:
    poll = await session.get(Poll, poll_id, populate_existing=True)
    if poll is None or poll.party_id != party_id:
        raise NotFound("No such poll in this party.")
    return poll


async def vote_poll(
    *,
    session: AsyncSession,
    party_id: uuid.UUID,
    user: User,
    poll_id: uuid.UUID,
    option_ids: list[uuid.UUID],
) -> None:
    """Store `user`'s one ballot, commit, announce `poll.results`.

    Raises:
        NotFound: no such poll in this party.
        Conflict: `poll_closed`, `already_voted`.
        ValidationFailed: on `option_ids` (not the poll's, or several on a single-choice poll).
    """
    poll = await _poll_in_party(session, party_id, poll_id)
    if _closed(poll, utcnow()):
        raise Conflict("This poll is closed.", code="poll_closed")
    chosen = [str(option) for option in option_ids]
    known = {option["id"] for option in poll.options}
    if not set(chosen) <= known:
        raise ValidationFailed.field("option_ids", "Not an option of this poll.")
    if len(chosen) > 1 and not poll.multiple:
        raise ValidationFailed.field("option_ids", "This poll takes one option.")
    session.add(PollBallot(poll_id=poll.id, user_id=user.id, option_ids=chosen))
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise Conflict("You already voted in this poll.", code="already_voted") from None
    record_activity(
        session,
        party_id=party_id,
        kind="poll_vote",
        user_id=user.id,
        data={"poll_id": str(poll.id)},
    )
    await _announce(session, poll, "poll.results")
    await session.commit()


async def close_poll(
    *, session: AsyncSession, party_id: uuid.UUID, poll_id: uuid.UUID, by_time: bool = False
) -> bool:
    """Close a poll now (host) or at its deadline (`by_time`), commit, announce `poll.closed`.

    The close is a conditional update, so of every caller racing on one poll (the host, the
    sweeps of several processes) exactly one announces it. True when this call closed it.

    Raises:
        NotFound: no such poll in this party.
        Conflict: `poll_closed` (already closed; never for `by_time`).
    """
    poll = await _poll_in_party(session, party_id, poll_id)
    now = utcnow()
    if by_time:
        if poll.closed_at is not None or poll.closes_at is None or poll.closes_at > now:
            return False
        closed_at = poll.closes_at
    elif _closed(poll, now):
        raise Conflict("This poll is closed.", code="poll_closed")
    else:
        closed_at = now
    claimed = await session.exec(
        sa.update(Poll)
        .where(col(Poll.id) == poll.id, col(Poll.closed_at).is_(None))
        .values(closed_at=closed_at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        if by_time:
            return False
        raise Conflict("This poll is closed.", code="poll_closed")
    set_committed_value(poll, "closed_at", closed_at)
    await _announce(session, poll, "poll.closed")
    await session.commit()
    return True


async def close_due_polls(db: Database) -> int:
    """Close and announce every poll whose deadline passed; how many this call closed.

    Any process may run it (`watchparty.realtime.interactive` sweeps once a second), so a
    timed poll is announced closed even when the process that created it is gone.
    """
    async with db.session() as session:
        due = (
            await session.exec(
                select(col(Poll.id), col(Poll.party_id)).where(
                    col(Poll.closed_at).is_(None), col(Poll.closes_at) <= utcnow()
                )
            )
        ).all()
    closed = 0
    for poll_id, party_id in due:
        async with db.session() as session:
            with contextlib.suppress(NotFound):  # deleted with its party meanwhile
                closed += await close_poll(
                    session=session, party_id=party_id, poll_id=poll_id, by_time=True
                )
    return closed
