"""Videos: who may see them, their JSON, listing, edits and deletion (issue 7).

Uploads live in `watchparty.services.video_uploads`, processing in
`watchparty.services.video_jobs`. Access rules are decided here and nowhere else: a video
the caller may not see answers 404 exactly like a missing one (STYLE.md), whether they
only may not see it (`access_video`, catalog `video-viewer`) or may not change it
(`access_own_video`, catalog `owner`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Row
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import contains_text, utcnow
from watchparty.errors import Conflict, NotFound
from watchparty.runtime import runtime
from watchparty.services.notifications import notify_many
from watchparty.services.parties import TAKING_PART
from watchparty.services.users import rfc3339, user_summary_json
from watchparty.storage import current_storage as storage
from watchparty.tables import (
    Party,
    PartyInvitation,
    PartyParticipant,
    User,
    Video,
    VideoProcessingJob,
)

__all__ = [
    "access_own_video",
    "access_video",
    "check_delete_video",
    "check_update_video",
    "job_json",
    "storage",
    "video_job",
    "video_json",
    "video_prefix",
    "video_row_json",
    "video_summary_json",
    "videos_query",
]


def video_prefix(video_id: uuid.UUID) -> str:
    """Every object of a video lives under this key prefix."""
    return f"videos/{video_id}/"


def _when(value: Any) -> str | None:
    return rfc3339(value) if value is not None else None


def _media_url(video: Video, key: str | None) -> str | None:
    # Media is only handed out once processing has made it playable.
    if video.processing_state != "ready" or key is None:
        return None
    return storage().download_url(key, expires_in=runtime().settings.media_url_ttl_seconds)


def video_summary_json(video: Video) -> dict[str, Any]:
    """`VideoSummary` (party lists, realtime frames)."""
    return {
        "id": str(video.id),
        "title": video.title,
        "duration_seconds": video.duration_seconds,
        "thumbnail_url": _media_url(video, video.thumbnail_key),
        "processing_state": video.processing_state,
    }


def video_json(video: Video, owner: User) -> dict[str, Any]:
    """`Video`: keep the key set in step with specs/schemas/videos.yaml."""
    return {
        "id": str(video.id),
        "title": video.title,
        "description": video.description,
        "owner": user_summary_json(owner),
        "upload_state": video.upload_state,
        "processing_state": video.processing_state,
        "duration_seconds": video.duration_seconds,
        "width": video.width,
        "height": video.height,
        "video_codec": video.video_codec,
        "audio_codec": video.audio_codec,
        "container": video.container,
        "size_bytes": video.size_bytes,
        "content_type": video.content_type,
        "original_filename": video.original_filename,
        "thumbnail_url": _media_url(video, video.thumbnail_key),
        "poster_url": _media_url(video, video.poster_key),
        "stream_url": _media_url(video, video.stream_key),
        "created_at": rfc3339(video.created_at),
        "updated_at": rfc3339(video.updated_at),
        "ready_at": _when(video.ready_at),
    }


def job_json(job: VideoProcessingJob) -> dict[str, Any]:
    """`VideoProcessingJob`."""
    return {
        "id": str(job.id),
        "video_id": str(job.video_id),
        "state": job.state,
        "progress": job.progress,
        "error": job.error,
        "error_code": job.error_code,
        "attempt": job.attempt,
        "created_at": rfc3339(job.created_at),
        "started_at": _when(job.started_at),
        "finished_at": _when(job.finished_at),
        "updated_at": rfc3339(job.updated_at),
    }


async def video_job(*, session: AsyncSession, video: Video) -> VideoProcessingJob:
    stmt = sa.select(VideoProcessingJob).where(VideoProcessingJob.video_id == video.id)  # type: ignore[arg-type]
    return (await session.exec(stmt)).one()[0]  # type: ignore[call-overload, no-any-return]


def _key(video_id: uuid.UUID | str) -> uuid.UUID:
    try:
        return video_id if isinstance(video_id, uuid.UUID) else uuid.UUID(video_id)
    except ValueError:
        raise NotFound() from None


async def _load(session: AsyncSession, video_id: uuid.UUID | str) -> tuple[Video, User]:
    stmt = (
        sa.select(Video, User)
        .join(User, User.id == Video.owner_id)  # type: ignore[arg-type]
        .where(Video.id == _key(video_id))  # type: ignore[arg-type]
    )
    row = (await session.exec(stmt)).first()  # type: ignore[call-overload]
    if row is None:
        raise NotFound()
    return row[0], row[1]


async def access_own_video(
    *, session: AsyncSession, user: User, video_id: uuid.UUID | str
) -> tuple[Video, User]:
    """Catalog rule `owner`: the video and its owner; anyone else gets 404."""
    video, owner = await _load(session, video_id)
    if video.owner_id != user.id:
        raise NotFound()
    return video, owner


async def access_video(
    *, session: AsyncSession, user: User, video_id: uuid.UUID | str
) -> tuple[Video, User]:
    """Catalog rule `video-viewer`: the owner, or who takes part in or is invited to (pending)
    a party showing it; anyone else gets 404."""
    video, owner = await _load(session, video_id)
    if video.owner_id == user.id:
        return video, owner
    taking_part = sa.exists().where(
        PartyParticipant.party_id == Party.id,  # type: ignore[arg-type]
        PartyParticipant.user_id == user.id,  # type: ignore[arg-type]
        PartyParticipant.status.in_(TAKING_PART),  # type: ignore[attr-defined]
    )
    invited = sa.exists().where(
        PartyInvitation.party_id == Party.id,  # type: ignore[arg-type]
        PartyInvitation.invitee_id == user.id,  # type: ignore[arg-type]
        PartyInvitation.status == "pending",  # type: ignore[arg-type]
        PartyInvitation.expires_at > utcnow(),  # type: ignore[arg-type]
    )
    stmt = (
        sa.select(sa.literal(1))
        .select_from(Party)
        .where(Party.video_id == video.id, sa.or_(taking_part, invited))  # type: ignore[arg-type]
        .limit(1)
    )
    if (await session.exec(stmt)).first() is None:  # type: ignore[call-overload]
        raise NotFound()
    return video, owner


def videos_query(
    *, user: User, processing_state: str | None, search: str | None
) -> sa.Select[*tuple[Any, ...]]:
    """(Video, owner) rows of the caller's own videos, with the listVideos filters."""
    stmt = (
        sa.select(Video, User)
        .join(User, User.id == Video.owner_id)  # type: ignore[arg-type]
        .where(Video.owner_id == user.id)  # type: ignore[arg-type]
    )
    if processing_state is not None:
        stmt = stmt.where(Video.processing_state == processing_state)  # type: ignore[arg-type]
    if search is not None:
        stmt = stmt.where(contains_text(search, col(Video.title)))
    return stmt


def video_row_json(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    video, owner = row
    return video_json(video, owner)


async def check_update_video(
    *, session: AsyncSession, video: Video, body: Mapping[str, Any]
) -> Video:
    """Apply a VideoUpdate body (the spec validated its fields)."""
    if "title" in body:
        video.title = str(body["title"]).strip()
    if "description" in body:
        video.description = str(body["description"])
    video.updated_at = utcnow()
    session.add(video)
    await session.commit()
    return video


async def check_delete_video(*, session: AsyncSession, video: Video) -> None:
    """Delete a video, its job and its files; its scheduled parties lose it.

    Raises:
        Conflict: `video_in_use` while a live party shows it.
    """
    parties = (
        await session.exec(
            sa.select(Party).where(  # type: ignore[call-overload]
                Party.video_id == video.id,  # type: ignore[arg-type]
                Party.status.in_(("scheduled", "live")),  # type: ignore[attr-defined]
            )
        )
    ).all()
    if any(party.status == "live" for (party,) in parties):
        raise Conflict("A live party is playing this video.", code="video_in_use")
    for (party,) in parties:
        party.video_id = None
        party.updated_at = utcnow()
        session.add(party)
        joined = await session.exec(
            sa.select(PartyParticipant.user_id).where(  # type: ignore[call-overload]
                PartyParticipant.party_id == party.id,
                PartyParticipant.status == "joined",
            )
        )
        notify_many(
            session,
            [user_id for (user_id,) in joined.all() if user_id != video.owner_id],
            type="party_updated",
            title=f"{party.title}: the video was removed",
            body="The host deleted the party's video; a new one can be chosen.",
            data={"party_id": party.id},
        )
    job_of_video = VideoProcessingJob.video_id == video.id
    await session.exec(sa.delete(VideoProcessingJob).where(job_of_video))  # type: ignore[arg-type]
    await session.delete(video)
    await session.commit()
    # After the commit: a failed delete must not leave a row whose files are gone. A worker
    # still busy with the video notices the missing job and removes what it wrote.
    await storage().delete_prefix(video_prefix(video.id))
