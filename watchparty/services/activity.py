"""Party activity facts: append-only rows analytics are computed from (`party_activity`).

Writers: REST (invited, joined, left, chat_message) and realtime (connected, disconnected,
reaction, poll_created, poll_vote). Each fact is added to the caller's session, so it is
stored exactly when the change it records is.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.tables import ACTIVITY_KINDS, PartyActivity

__all__ = ["record_activity"]


def record_activity(
    session: AsyncSession,
    *,
    party_id: uuid.UUID,
    kind: str,
    user_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> PartyActivity:
    """Add one fact of `kind` (see `ACTIVITY_KINDS`) to `session`; the caller commits."""
    if kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown party activity kind {kind!r}")
    # Every field given: SQLModel's constructor inspects each default_factory's signature on
    # every call for a field left out (chat stores one fact per message; docs/benchmarks.md).
    fact = PartyActivity(
        id=uuid.uuid4(), party_id=party_id, user_id=user_id, kind=kind, data=data or {}, at=utcnow()
    )
    session.add(fact)
    return fact
