"""REST operations of the `analytics` tag (service: `watchparty.services.analytics`)."""

from __future__ import annotations

from watchparty.deps import Answer, TokenInfo, caller
from watchparty.services import analytics, parties

__all__ = ["get_party_analytics"]


async def get_party_analytics(partyId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        view = await parties.access_party_as_host_or_admin(
            session=session, user=me, party_id=partyId
        )
        return await analytics.party_analytics_json(session=session, party=view.party), 200
