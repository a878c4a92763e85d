"""Party analytics, computed from the append-only `party_activity` facts only (docs/analytics.md).

Nothing here is estimated: a figure the facts cannot give is zero (or null). Viewer figures
come from `connected`/`disconnected` pairs matched on `data.connection_id`; a connection
still open counts up to the party's end (or now, while it is live).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.services.users import rfc3339
from watchparty.tables import Party, PartyActivity

__all__ = ["party_analytics_json"]

# Per-minute counters of the timeline, by fact kind.
_MINUTE_COUNTS = {
    "joined": "joins",
    "left": "leaves",
    "chat_message": "chat_messages",
    "reaction": "reactions",
    "poll_vote": "poll_votes",
}
# At one instant a viewer who leaves is counted out before one who arrives is counted in,
# so a reconnect never shows as two viewers.
_SWEEP_ORDER = {"disconnected": 0, "connected": 1}


def _minute(when: dt.datetime) -> dt.datetime:
    return when.replace(second=0, microsecond=0)


def _point(minute: dt.datetime, viewers: int) -> dict[str, Any]:
    return {"minute": minute, "viewers": viewers, **dict.fromkeys(_MINUTE_COUNTS.values(), 0)}


@dataclass
class _Viewers:
    """Open viewer connections swept in time order: watch time and the peak."""

    open: dict[str, dt.datetime] = field(default_factory=dict)
    watch_seconds: float = 0.0
    peak: int = 0
    peak_at: dt.datetime | None = None

    def connect(self, key: str, at: dt.datetime) -> None:
        self.open[key] = at
        if len(self.open) > self.peak:
            self.peak, self.peak_at = len(self.open), at

    def disconnect(self, key: str, at: dt.datetime) -> None:
        started = self.open.pop(key, None)
        if started is not None:  # a disconnect without its connect proves no watch time
            self.watch_seconds += max(0.0, (at - started).total_seconds())

    def close_all(self, at: dt.datetime) -> None:
        for key in list(self.open):
            self.disconnect(key, at)


def _timeline_point(
    timeline: dict[dt.datetime, dict[str, Any]], minute: dt.datetime, *, level: int
) -> dict[str, Any]:
    """The point of `minute`, creating it and any quiet minutes before it; `level` is the
    number of viewers connected before the fact at hand, so through those minutes."""
    if minute not in timeline and timeline:
        gap = max(timeline) + dt.timedelta(minutes=1)
        while gap < minute:
            timeline[gap] = _point(gap, level)
            gap += dt.timedelta(minutes=1)
    return timeline.setdefault(minute, _point(minute, level))


async def party_analytics_json(*, session: AsyncSession, party: Party) -> dict[str, Any]:
    """`PartyAnalytics` of `party`, from all of its facts."""
    now = utcnow()
    stmt = select(PartyActivity).where(col(PartyActivity.party_id) == party.id)
    facts = sorted(
        (await session.exec(stmt)).all(),
        key=lambda fact: (fact.at, _SWEEP_ORDER.get(fact.kind, 2)),
    )
    kinds = Counter(fact.kind for fact in facts)
    joined = len({fact.user_id for fact in facts if fact.kind == "joined" and fact.user_id})
    emojis = Counter(
        str(fact.data["emoji"])
        for fact in facts
        if fact.kind == "reaction" and fact.data.get("emoji")
    )
    viewers = _Viewers()
    timeline: dict[dt.datetime, dict[str, Any]] = {}
    live_from = party.started_at
    for fact in facts:
        point = None
        if live_from is not None and fact.at >= live_from:
            point = _timeline_point(timeline, _minute(fact.at), level=len(viewers.open))
        key = str(fact.data.get("connection_id") or fact.user_id)
        if fact.kind == "connected":
            viewers.connect(key, fact.at)
        elif fact.kind == "disconnected":
            viewers.disconnect(key, fact.at)
        if point is not None:
            point["viewers"] = max(point["viewers"], len(viewers.open))
            if fact.kind in _MINUTE_COUNTS:
                point[_MINUTE_COUNTS[fact.kind]] += 1
    viewers.close_all(party.ended_at or now)
    total = round(viewers.watch_seconds, 3)
    return {
        "party_id": str(party.id),
        "title": party.title,
        "status": party.status,
        "scheduled_for": rfc3339(party.scheduled_for),
        "started_at": rfc3339(party.started_at) if party.started_at else None,
        "ended_at": rfc3339(party.ended_at) if party.ended_at else None,
        "generated_at": rfc3339(now),
        "invited": kinds["invited"],
        "joined": joined,
        "peak_concurrent_viewers": viewers.peak,
        "peak_at": rfc3339(viewers.peak_at) if viewers.peak_at else None,
        "total_watch_seconds": total,
        "average_watch_seconds": round(total / joined, 3) if joined else 0,
        "chat_messages": kinds["chat_message"],
        "reactions": kinds["reaction"],
        "reaction_breakdown": dict(emojis),
        "polls": kinds["poll_created"],
        "poll_votes": kinds["poll_vote"],
        "timeline": [
            {**point, "minute": rfc3339(point["minute"])} for _, point in sorted(timeline.items())
        ],
    }
