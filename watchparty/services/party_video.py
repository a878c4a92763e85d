"""The rule for a party's video (issue 7): the host's own video, processed and ready.

Its own module because `watchparty.services.parties` applies it and
`watchparty.services.videos` builds on the parties' access rules.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.tables import User, Video

__all__ = ["check_party_video"]


async def check_party_video(
    *, session: AsyncSession, host: User, values: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    """A party's `video` (in `values["video_id"]`) must be the host's own ready video.

    Replaces the id by a UUID, or records the error under `video` (PartyCreate/PartyUpdate).
    """
    if values.get("video_id") is None:
        return
    video = await session.get(Video, uuid.UUID(str(values["video_id"])))
    if video is None or video.owner_id != host.id:
        errors["video"] = ["Choose one of your own videos."]
    elif video.processing_state != "ready":
        errors["video"] = ["This video is not ready yet."]
    else:
        values["video_id"] = video.id
