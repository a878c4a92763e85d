"""Before/after of each per-request cost issue 9's REST changes removed, in-process.

    python bench/fastpath_parts.py [--calls 2000] [--repeat 5]

Each row times the old way and the shipped way of one step, CPU microseconds per call
(median of `--repeat` rounds), with no server and no database (docs/benchmarks.md):

- statements: building a select per call and generating its cache key (what SQLAlchemy does
  at execution) against the module-level statement with bound parameters;
- validators: a jsonschema validator built per request against `cached_validator`;
- JSON: connexion's `json.dumps` + encoder against `OrjsonJsonifier`, on a page of 20 party
  summaries and on a party detail;
- security: connexion's two `inspect.signature` calls per request against the cached ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from connexion.json_schema import Draft4RequestValidator
from connexion.jsonifier import Jsonifier
from connexion.security import AbstractSecurityHandler
from jsonschema import Draft4Validator
from sqlmodel import col

from watchparty.auth.bearer import BearerHandler, bearer_info
from watchparty.services import parties, party_json
from watchparty.tables import (
    CalendarEvent,
    Party,
    PartyInvitation,
    PartyParticipant,
    PartyPlayback,
    User,
    Video,
)
from watchparty.validation import FORMAT_CHECKER, cached_validator
from watchparty.web import OrjsonJsonifier

# What connexion's bearer check asks of `bearer_info` on every request.
KWARGS = ("required_scopes", "request")


def us_per_call(fn: Callable[[], Any], calls: int, repeat: int) -> float:
    rounds = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(calls):
            fn()
        rounds.append((time.process_time() - start) / calls * 1e6)
    return statistics.median(rounds)


# The statements as the handlers built them per call before (kept here for the comparison).
def old_party_view(user_id: uuid.UUID, party_id: uuid.UUID) -> Any:
    now = dt.datetime.now(dt.UTC)
    invitation = (
        sa.select(col(PartyInvitation.id))
        .where(parties.live_invitation(party_id=Party.id, user_id=user_id, now=now))
        .order_by(col(PartyInvitation.created_at).desc())
        .limit(1)
        .correlate(Party)
        .scalar_subquery()
    )
    return (
        sa.select(Party, User, PartyParticipant, invitation)
        .join(User, User.id == Party.host_id)  # type: ignore[arg-type]
        .outerjoin(
            PartyParticipant,
            sa.and_(
                PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
                PartyParticipant.user_id == user_id,  # type: ignore[arg-type]
            ),
        )
        .where(Party.id == party_id)  # type: ignore[arg-type]
    )


def old_my_parties(user_id: uuid.UUID) -> Any:
    return (
        sa.select(Party, PartyParticipant, User, party_json.joined_count_column(), Video)
        .join(
            PartyParticipant,
            sa.and_(
                PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
                PartyParticipant.user_id == user_id,  # type: ignore[arg-type]
            ),
        )
        .join(User, User.id == Party.host_id)  # type: ignore[arg-type]
        .outerjoin(Video, Video.id == Party.video_id)  # type: ignore[arg-type]
        .where(PartyParticipant.status.in_(parties.TAKING_PART))  # type: ignore[attr-defined]
    )


def old_detail_extras(party_id: uuid.UUID) -> list[Any]:
    """The three statements the party detail ran for its event, video and playback."""
    return [
        sa.select(col(CalendarEvent.id)).where(col(CalendarEvent.party_id) == party_id),
        sa.select(Video).where(col(Video.id) == party_id),  # session.get's statement, roughly
        sa.select(PartyPlayback).where(col(PartyPlayback.party_id) == party_id),
    ]


def summary(n: int) -> dict[str, Any]:
    user = {
        "id": str(uuid.uuid4()),
        "username": f"user{n}",
        "display_name": "User",
        "avatar_url": None,
    }
    return {
        "id": str(uuid.uuid4()), "title": f"Party {n}", "status": "scheduled",
        "visibility": "public", "scheduled_for": "2026-12-01T20:00:00Z", "started_at": None,
        "ended_at": None, "host": user, "video": None, "participant_count": 9,
        "max_participants": 10, "my_role": "host", "my_status": "joined",
        "created_at": "2026-11-25T20:00:00.123456Z",
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, r = args.calls, args.repeat
    user_id, party_id = uuid.uuid4(), uuid.uuid4()

    class Caller:
        id = user_id

    page = {"results": [summary(i) for i in range(20)], "next": None, "previous": None,
            "next_cursor": None, "previous_cursor": None}  # fmt: skip
    detail = {**summary(0), "participants": [{"user": summary(i)["host"], "role": "guest",
              "status": "joined", "muted": False, "joined_at": "2026-11-25T20:00:00Z",
              "left_at": None} for i in range(10)], "description": "x" * 200}  # fmt: skip
    body_schema = {
        "type": "object", "required": ["content"],
        "properties": {"content": {"type": "string", "minLength": 1, "maxLength": 2000},
                       "reply_to": {"type": "string", "format": "uuid", "nullable": True}},
    }  # fmt: skip
    param_schema = {"type": "string", "format": "uuid"}
    stock, ours = Jsonifier(), OrjsonJsonifier()
    rows: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "party access select (_load)",
            lambda: old_party_view(user_id, party_id)._generate_cache_key(),
            lambda: parties._PARTY_VIEW._generate_cache_key(),
        ),
        (
            "my parties select (listParties)",
            lambda: old_my_parties(user_id)._generate_cache_key(),
            lambda: party_json.parties_query(user=Caller, status=None)[0]._generate_cache_key(),  # type: ignore[arg-type]
        ),
        (
            "detail: event + video + playback selects",
            lambda: [s._generate_cache_key() for s in old_detail_extras(party_id)],
            lambda: party_json._DETAIL_EXTRAS._generate_cache_key(),
        ),
        (
            "path parameter validator (uuid)",
            lambda: Draft4Validator(param_schema, format_checker=FORMAT_CHECKER),
            lambda: cached_validator(param_schema, Draft4Validator),
        ),
        (
            "JSON body validator (ChatMessageCreate-like)",
            lambda: Draft4RequestValidator(body_schema, format_checker=FORMAT_CHECKER),
            lambda: cached_validator(body_schema, Draft4RequestValidator),
        ),
        ("JSON of a page of 20 summaries", lambda: stock.dumps(page), lambda: ours.dumps(page)),
        ("JSON of a party detail", lambda: stock.dumps(detail), lambda: ours.dumps(detail)),
        (
            "security: inspect bearer_info's signature x2",
            lambda: [AbstractSecurityHandler._accepts_kwarg(bearer_info, k) for k in KWARGS],
            lambda: [BearerHandler._accepts_kwarg(bearer_info, k) for k in KWARGS],
        ),
    ]  # fmt: skip
    print(f"\nCPU microseconds per call, median of {r} rounds x {n} calls")
    print(f"  {'step':<46} {'before':>8} {'after':>8}")
    for name, before, after in rows:
        print(f"  {name:<46} {us_per_call(before, n, r):>8.1f} {us_per_call(after, n, r):>8.1f}")


if __name__ == "__main__":
    main()
