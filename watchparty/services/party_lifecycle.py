"""Going live and ending: scheduled -> live -> ended (issue 5; cancel is in `parties`).

Each takes a `PartyView` from `watchparty.services.parties.access_party_as_host`. Ending closes
the party's open polls and expires its pending invitations in the same transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import Conflict
from watchparty.services.parties import PartyView, expire_invitations, notify_participants
from watchparty.tables import Poll

__all__ = ["check_end_party", "check_start_party"]


async def check_start_party(*, session: AsyncSession, view: PartyView) -> PartyView:
    """scheduled -> live for a party the caller hosts; the participants are notified.

    Raises:
        Conflict: `party_not_scheduled`.
    """
    party = view.party
    if party.status != "scheduled":
        raise Conflict(f"This party is {party.status}, not scheduled.", code="party_not_scheduled")
    party.status = "live"
    party.started_at = party.updated_at = utcnow()
    session.add(party)
    await notify_participants(
        session=session, party=party, type="party_starting", title=f"{party.title} is starting"
    )
    await session.commit()
    return view


async def check_end_party(*, session: AsyncSession, view: PartyView) -> PartyView:
    """live -> ended for a party the caller hosts; open polls close, pending invitations expire.

    Raises:
        Conflict: `party_not_live`.
    """
    party = view.party
    if party.status != "live":
        raise Conflict(f"This party is {party.status}, not live.", code="party_not_live")
    party.status = "ended"
    party.ended_at = party.updated_at = now = utcnow()
    session.add(party)
    await expire_invitations(session=session, party=party)
    # Open polls close with the party (those already past their deadline read closed anyway).
    await session.exec(
        update(Poll)
        .where(
            col(Poll.party_id) == party.id,
            col(Poll.closed_at).is_(None),
            sa.or_(col(Poll.closes_at).is_(None), col(Poll.closes_at) > now),
        )
        .values(closed_at=now)
    )
    await session.commit()
    return view
