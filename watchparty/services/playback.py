"""A party's authoritative playback state (DESIGN §4 "Sync model"), stored so it survives restarts.

The server owns `{status, position, rate, ref_ts}`; anyone computes the position now as
`position + (now_ms - ref_ts) / 1000 * rate` while playing. Every change is stored with a
compare-and-set on `seq` (two server processes never apply two commands over each other:
the loser re-reads and applies its command to the winner's state) and announced on the
party topic as `playback.state` after commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.realtime.publish import party_topic, publish_after_commit
from watchparty.services.users import user_summary_json
from watchparty.services.videos import video_summary_json
from watchparty.tables import Party, PartyPlayback, User, Video

__all__ = [
    "Playback",
    "apply_playback",
    "load_playback",
    "load_playback_and_video",
    "playback_event",
    "playback_json",
    "reset_playback",
    "with_playback_and_video",
]

MAX_POSITION_SECS = 86400.0
_CAS_ATTEMPTS = 10


@dataclass(frozen=True, slots=True)
class Playback:
    status: str
    position: float
    rate: float
    ref_ts: int
    seq: int

    def position_at(self, now_ms: int) -> float:
        """Seconds into the video at server time `now_ms`."""
        if self.status != "playing":
            return self.position
        moved = self.position + (now_ms - self.ref_ts) / 1000 * self.rate
        return min(max(moved, 0.0), MAX_POSITION_SECS)


# A command: (current state, now in ms) -> (status, position, rate) to store.
Change = Callable[[Playback, int], tuple[str, float, float]]


def _now_ms() -> int:
    return int(utcnow().timestamp() * 1000)


async def load_playback(*, session: AsyncSession, party_id: uuid.UUID) -> Playback:
    """The stored state, or paused at 0 (seq 0) for a party nobody has played yet."""
    return playback_of(await session.get(PartyPlayback, party_id, populate_existing=True))


def playback_of(row: PartyPlayback | None) -> Playback:
    """The state a stored row holds; no row: paused at 0 (seq 0)."""
    if row is None:
        return Playback(status="paused", position=0.0, rate=1.0, ref_ts=_now_ms(), seq=0)
    return Playback(row.status, row.position, row.rate, row.ref_ts, row.seq)


def with_playback_and_video(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """`query` (from `Party`) with the party's stored playback row and chosen video added."""
    return (
        query.add_columns(PartyPlayback, Video)
        .outerjoin(PartyPlayback, PartyPlayback.party_id == Party.id)  # type: ignore[arg-type]
        .outerjoin(Video, Video.id == Party.video_id)  # type: ignore[arg-type]
    )


# The stored state and the party's chosen video in one round trip (two before: a sync
# command's latency is mostly round trips, docs/benchmarks.md), built once, `party_id` bound.
_STATE_AND_VIDEO = (
    with_playback_and_video(sa.select().select_from(Party))
    .where(Party.id == sa.bindparam("party_id"))  # type: ignore[arg-type]
    # The playback row changes under other sessions and processes; read it fresh.
    .execution_options(populate_existing=True)
)


# The compare-and-set, built once: the new values (`new_<column>`) where the row still has
# the `seq` it was read with.
_STORE_IF_UNCHANGED = (
    sa.update(PartyPlayback)
    .where(
        PartyPlayback.party_id == sa.bindparam("row_party_id"),  # type: ignore[arg-type]
        PartyPlayback.seq == sa.bindparam("expected_seq"),  # type: ignore[arg-type]
    )
    .values(
        {
            name: sa.bindparam(f"new_{name}")
            for name in ("status", "position", "rate", "ref_ts", "seq", "updated_at")
        }
    )
)


async def load_playback_and_video(
    *, session: AsyncSession, party_id: uuid.UUID
) -> tuple[Playback, Video | None]:
    """The stored state (as `load_playback`) and the party's chosen video, if any."""
    params = {"party_id": party_id}
    row = (await session.exec(_STATE_AND_VIDEO, params=params)).first()  # type: ignore[call-overload]
    if row is None:  # the party is gone
        return playback_of(None), None
    return playback_of(row[0]), row[1]


def playback_json(state: Playback, *, video_id: uuid.UUID | None) -> dict[str, Any]:
    """`PlaybackState` (party detail)."""
    return {
        "status": state.status,
        "position": round(state.position, 3),
        "rate": state.rate,
        "ref_ts": state.ref_ts,
        "video_id": str(video_id) if video_id is not None else None,
    }


def playback_event(
    state: Playback, *, cause: str, actor: User | None, video: Video | None
) -> dict[str, Any]:
    """`PlaybackStateEvent`: the state with its `seq`, what changed it and the video."""
    return {
        **playback_json(state, video_id=video.id if video is not None else None),
        "seq": state.seq,
        "cause": cause,
        "actor": user_summary_json(actor) if actor is not None else None,
        "video": video_summary_json(video) if video is not None else None,
    }


async def apply_playback(
    *,
    session: AsyncSession,
    party_id: uuid.UUID,
    change: Change,
    cause: str,
    actor: User | None,
    read: tuple[Playback, Video | None] | None = None,
) -> Playback:
    """Apply `change` to the stored state, commit, and announce it; answers the new state.

    `read`: the state and video this session has just read (`with_playback_and_video`), for
    the first attempt; else it reads them.
    """
    for _ in range(_CAS_ATTEMPTS):
        if read is None:
            read = await load_playback_and_video(session=session, party_id=party_id)
        (current, video), read = read, None
        now = _now_ms()
        status, position, rate = change(current, now)
        new = Playback(
            status, min(max(position, 0.0), MAX_POSITION_SECS), rate, now, current.seq + 1
        )
        values = {
            "status": new.status,
            "position": new.position,
            "rate": new.rate,
            "ref_ts": new.ref_ts,
            "seq": new.seq,
            "updated_at": utcnow(),
        }
        try:
            if current.seq == 0:
                await session.exec(sa.insert(PartyPlayback).values(party_id=party_id, **values))
                stored = True
            else:
                params = {"row_party_id": party_id, "expected_seq": current.seq}
                params |= {f"new_{name}": value for name, value in values.items()}
                result = await session.exec(_STORE_IF_UNCHANGED, params=params)
                stored = result.rowcount == 1
        except IntegrityError:  # another process inserted the first state meanwhile
            stored = False
        if stored:
            event = playback_event(new, cause=cause, actor=actor, video=video)
            publish_after_commit(
                session, party_topic(party_id), {"type": "playback.state", "payload": event}
            )
            await session.commit()
            return new
        await session.rollback()
    raise RuntimeError(f"playback of party {party_id}: too many concurrent changes")


async def reset_playback(
    *, session: AsyncSession, party_id: uuid.UUID, video_id: uuid.UUID | None, actor: User | None
) -> Playback:
    """Paused at 0 for the party's new video `video_id` (cause `video_changed`), in the
    caller's transaction.

    One upsert that bumps `seq` whatever it was, so it needs no compare-and-set retry and
    can join a larger change (the party update); `playback.state` leaves after the caller's
    commit. The rate is kept.
    """
    table = PartyPlayback.__table__  # type: ignore[attr-defined]
    now = _now_ms()
    reset = {"status": "paused", "position": 0.0, "ref_ts": now, "updated_at": utcnow()}
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(table)
        .values(party_id=party_id, rate=1.0, seq=1, **reset)
        .on_conflict_do_update(index_elements=["party_id"], set_={**reset, "seq": table.c.seq + 1})
        .returning(table.c.rate, table.c.seq)
    )
    rate, seq = (await session.exec(stmt)).one()
    state = Playback("paused", 0.0, rate, now, seq)
    video = await session.get(Video, video_id) if video_id is not None else None
    event = playback_event(state, cause="video_changed", actor=actor, video=video)
    publish_after_commit(
        session, party_topic(party_id), {"type": "playback.state", "payload": event}
    )
    return state
