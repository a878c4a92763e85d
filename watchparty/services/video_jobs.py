"""Video processing jobs: their states in the database and their trips over the job bus.

Design: docs/decisions.md "Job bus" and "Video processing". A job row goes
`queued → probing → transcoding? → ready | failed`. The API queues it (`enqueue`: row
first, then the bus message); a worker claims it (`claim`: a conditional UPDATE, so one
worker wins), renews its lease while working (`progress`, which also notices a deleted
video or a job taken over), and writes the outcome (`finish`). The worker's bus result only
wakes the API up: `announce` reads the outcome from the row and tells the owner
(`video_ready`/`video_failed` notification) and the parties showing the video (a
`video_ready` frame), once per attempt, whichever API process gets there first.

A job the broker did not take (down) is sent again by `resend_unsent` once the bus is back
(`watchparty.worker` calls it), so an upload is accepted during a broker outage and processed
after it. Nothing stays stuck: `sweep` (API start-up, then every `video_job_sweep_seconds`) queues
again jobs whose worker lease ran out (a crashed worker), fails them after the last attempt,
re-sends jobs queued long ago (a bus that lost them: in-memory after a restart), announces
outcomes whose result message was lost, and removes pre-signed uploads that never came.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.metrics import JOB_SECONDS, JOBS_QUEUED
from watchparty.realtime.publish import party_topic, publish_after_commit
from watchparty.runtime import runtime
from watchparty.services.notifications import notify
from watchparty.services.videos import storage, video_prefix, video_summary_json
from watchparty.tables import Party, Video, VideoProcessingJob

__all__ = [
    "ACTIVE_STATES",
    "JobLost",
    "announce",
    "claim",
    "enqueue",
    "finish",
    "new_job",
    "progress",
    "resend_unsent",
    "sweep",
]

logger = logging.getLogger(__name__)

ACTIVE_STATES = ("probing", "transcoding")
TERMINAL_STATES = ("ready", "failed")
# A queued job older than this many leases is sent again (the bus may have lost it).
RESEND_AFTER_LEASES = 5
JOB_KIND = "video_processing"  # the metrics' `kind` label
_JOBS = VideoProcessingJob.__table__  # type: ignore[attr-defined]
_VIDEOS = Video.__table__  # type: ignore[attr-defined]
# Jobs whose message the bus did not take: video id -> (source, attempt). In process only: after
# a restart `sweep` re-sends them (as jobs queued long ago).
_unsent: dict[uuid.UUID, tuple[str, int]] = {}


class JobLost(Exception):
    """The job is no longer this worker's: the video was deleted or another worker took over."""


def new_job(video: Video, *, now: dt.datetime) -> VideoProcessingJob:
    return VideoProcessingJob(video_id=video.id, created_at=now, updated_at=now)


async def enqueue(video: Video, *, attempt: int = 1) -> None:
    """Put the (committed, queued) job of `video` on the bus; a failure is left to `sweep`."""
    bus = runtime().jobs
    if bus is None:
        logger.warning("no job bus in this process: video %s waits for a sweep", video.id)
        return
    try:
        await bus.publish_job(video_id=video.id, source=video.original_key, attempt=attempt)
    except Exception as exc:  # the row is queued: sent again once the bus is back
        _unsent[video.id] = (video.original_key, attempt)
        logger.error("job of video %s not sent, kept to send again: %r", video.id, exc)


async def resend_unsent() -> None:
    """Send the jobs `enqueue` could not send, oldest first; stop at the first failure."""
    bus = runtime().jobs
    for video_id, (source, attempt) in list(_unsent.items()):
        if bus is None:
            return
        try:
            await bus.publish_job(video_id=video_id, source=source, attempt=attempt)
        except Exception:  # noqa: BLE001 - still down: the next round tries again
            return
        _unsent.pop(video_id, None)
        logger.info("job of video %s sent again", video_id)


def _lease(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=runtime().settings.video_job_lease_seconds)


async def _set_video(session: AsyncSession, video_id: uuid.UUID, **values: Any) -> None:
    await session.exec(
        _VIDEOS.update().where(_VIDEOS.c.id == video_id).values(updated_at=utcnow(), **values)
    )


async def claim(session: AsyncSession, video_id: uuid.UUID) -> tuple[Video, int] | None:
    """Start an attempt on the job of `video_id`: the video and the attempt number, or None
    when there is nothing to claim (done, deleted, or leased by a live worker)."""
    now = utcnow()
    settings = runtime().settings
    result = await session.exec(
        _JOBS.update()
        .where(
            _JOBS.c.video_id == video_id,
            _JOBS.c.attempt < settings.video_job_max_attempts,
            sa.or_(
                _JOBS.c.state == "queued",
                sa.and_(_JOBS.c.state.in_(ACTIVE_STATES), _JOBS.c.lease_expires_at < now),
            ),
            # A pre-signed upload is queued before its bytes arrive.
            _JOBS.c.video_id.in_(
                sa.select(_VIDEOS.c.id).where(_VIDEOS.c.upload_state == "uploaded")
            ),
        )
        .values(
            state="probing",
            attempt=_JOBS.c.attempt + 1,
            progress=0,
            error=None,
            error_code=None,
            lease_expires_at=_lease(now),
            started_at=now,
            finished_at=None,
            updated_at=now,
        )
    )
    if result.rowcount != 1:
        await session.rollback()
        return None
    await _set_video(session, video_id, processing_state="probing")
    await session.commit()
    video = await session.get(Video, video_id, populate_existing=True)
    job = await _job(session, video_id)
    assert video is not None and job is not None
    return video, job.attempt


async def _job(session: AsyncSession, video_id: uuid.UUID) -> VideoProcessingJob | None:
    stmt = sa.select(VideoProcessingJob).where(VideoProcessingJob.video_id == video_id)  # type: ignore[arg-type]
    row = (await session.exec(stmt.execution_options(populate_existing=True))).first()  # type: ignore[call-overload]
    return row[0] if row else None


async def progress(
    session: AsyncSession,
    video_id: uuid.UUID,
    attempt: int,
    *,
    state: str | None = None,
    percent: int | None = None,
    **video_fields: Any,
) -> None:
    """Record progress of `attempt` and renew its lease (also the heartbeat, with no values).

    Raises:
        JobLost: the job is gone or another attempt owns it.
    """
    now = utcnow()
    values: dict[str, Any] = {"lease_expires_at": _lease(now), "updated_at": now}
    if state is not None:
        values["state"] = state
    if percent is not None:
        values["progress"] = max(0, min(100, percent))
    result = await session.exec(
        _JOBS.update()
        .where(
            _JOBS.c.video_id == video_id,
            _JOBS.c.attempt == attempt,
            _JOBS.c.state.in_(ACTIVE_STATES),
        )
        .values(**values)
    )
    if result.rowcount != 1:
        await session.rollback()
        raise JobLost(f"video {video_id} attempt {attempt}")
    if state is not None or video_fields:
        await _set_video(
            session, video_id, **({"processing_state": state} if state else {}), **video_fields
        )
    await session.commit()


async def finish(
    session: AsyncSession,
    video_id: uuid.UUID,
    attempt: int,
    *,
    error: tuple[str, str] | None = None,
    **video_fields: Any,
) -> str:
    """Write the outcome of `attempt`: `ready` with `video_fields`, or `failed` with
    `error` = (code, message). Answers the state written.

    Raises:
        JobLost: as for `progress`.
    """
    now = utcnow()
    state = "failed" if error else "ready"
    result = await session.exec(
        _JOBS.update()
        .where(
            _JOBS.c.video_id == video_id,
            _JOBS.c.attempt == attempt,
            _JOBS.c.state.in_(ACTIVE_STATES),
        )
        .values(
            state=state,
            progress=100 if state == "ready" else _JOBS.c.progress,
            error=error[1][:500] if error else None,
            error_code=error[0] if error else None,
            lease_expires_at=None,
            finished_at=now,
            updated_at=now,
        )
    )
    if result.rowcount != 1:
        await session.rollback()
        raise JobLost(f"video {video_id} attempt {attempt}")
    ready = {"ready_at": now} if state == "ready" else {}
    await _set_video(session, video_id, processing_state=state, **ready, **video_fields)
    await session.commit()
    return state


async def announce(session: AsyncSession, video_id: uuid.UUID) -> bool:
    """Tell the owner and the video's parties how processing ended, once per attempt.

    Answers whether this call announced (False: not finished, or already announced).
    """
    job = await _job(session, video_id)
    if job is None or job.state not in TERMINAL_STATES or job.announced_attempt >= job.attempt:
        return False
    taken = await session.exec(
        _JOBS.update()
        .where(_JOBS.c.id == job.id, _JOBS.c.announced_attempt < job.attempt)
        .values(announced_attempt=job.attempt)
    )
    if taken.rowcount != 1:  # another API process did it
        await session.rollback()
        return False
    video = await session.get(Video, video_id, populate_existing=True)
    assert video is not None
    ready = job.state == "ready"
    notify(
        session,
        user_id=video.owner_id,
        type="video_ready" if ready else "video_failed",
        title=f"{video.title} is ready" if ready else f"{video.title} could not be processed",
        body="" if ready else (job.error or ""),
        data={"video_id": video.id},
    )
    parties = await session.exec(
        sa.select(Party.id).where(  # type: ignore[call-overload]
            Party.video_id == video.id,
            Party.status.in_(("scheduled", "live")),  # type: ignore[attr-defined]
        )
    )
    summary = video_summary_json(video)
    for (party_id,) in parties.all():
        publish_after_commit(
            session,
            party_topic(party_id),
            {"type": "video_ready", "payload": {"party_id": str(party_id), "video": summary}},
        )
    await session.commit()
    if job.started_at is not None and job.finished_at is not None:
        took = (job.finished_at - job.started_at).total_seconds()
        JOB_SECONDS.labels(JOB_KIND, job.state).observe(took)
    return True


async def sweep(session: AsyncSession) -> None:
    """Recover jobs and uploads that a crash, a lost message or an absent client left behind."""
    settings = runtime().settings
    now = utcnow()
    expired = sa.and_(_JOBS.c.state.in_(ACTIVE_STATES), _JOBS.c.lease_expires_at < now)
    # Out of attempts: failed for good (announced below).
    over = await session.exec(
        _JOBS.update()
        .where(expired, _JOBS.c.attempt >= settings.video_job_max_attempts)
        .values(
            state="failed",
            error="Processing was interrupted too many times.",
            error_code="interrupted",
            lease_expires_at=None,
            finished_at=now,
            updated_at=now,
        )
        .returning(_JOBS.c.video_id)
    )
    for (video_id,) in over.all():
        await _set_video(session, video_id, processing_state="failed")
    stale = now - dt.timedelta(seconds=settings.video_job_lease_seconds * RESEND_AFTER_LEASES)
    resend = await session.exec(
        _JOBS.update()
        .where(
            sa.or_(expired, sa.and_(_JOBS.c.state == "queued", _JOBS.c.queued_at < stale)),
            _JOBS.c.video_id.in_(
                sa.select(_VIDEOS.c.id).where(_VIDEOS.c.upload_state == "uploaded")
            ),
        )
        .values(state="queued", lease_expires_at=None, queued_at=now, updated_at=now)
        .returning(_JOBS.c.video_id, _JOBS.c.attempt)
    )
    requeued = resend.all()
    for video_id, _ in requeued:
        await _set_video(session, video_id, processing_state="queued")
    unannounced = await session.exec(  # type: ignore[call-overload]
        sa.select(_JOBS.c.video_id).where(
            _JOBS.c.state.in_(TERMINAL_STATES), _JOBS.c.announced_attempt < _JOBS.c.attempt
        )
    )
    pending_announcements = [video_id for (video_id,) in unannounced.all()]
    abandoned = await session.exec(  # type: ignore[call-overload]
        sa.select(_VIDEOS.c.id).where(
            _VIDEOS.c.upload_state == "awaiting_upload", _VIDEOS.c.upload_expires_at < now
        )
    )
    abandoned_ids = [video_id for (video_id,) in abandoned.all()]
    if abandoned_ids:
        await session.exec(_JOBS.delete().where(_JOBS.c.video_id.in_(abandoned_ids)))
        await session.exec(_VIDEOS.delete().where(_VIDEOS.c.id.in_(abandoned_ids)))
    await session.commit()
    waiting = await session.exec(  # type: ignore[call-overload]
        sa.select(sa.func.count()).where(_JOBS.c.state.in_(("queued", *ACTIVE_STATES)))
    )
    JOBS_QUEUED.labels(JOB_KIND).set(waiting.scalar_one())
    for video_id in abandoned_ids:
        await storage().delete_prefix(video_prefix(video_id))
    for video_id, attempt in requeued:
        video = await session.get(Video, video_id)
        if video is not None:
            logger.info("re-sending the processing job of video %s", video_id)
            await enqueue(video, attempt=attempt + 1)
    for video_id in pending_announcements:
        await announce(session, video_id)
