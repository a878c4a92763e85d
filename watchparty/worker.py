"""The video worker: takes processing jobs off the job bus and does the ffprobe/ffmpeg work.

Design: docs/decisions.md "Video processing". `watchparty worker` runs it as its own
process on RabbitMQ (`WATCHPARTY_AMQP_URL`); without a broker the API server runs it in
process on the in-memory wire (`open_jobs(role="api")`). A job is claimed in the database
before any work (`video_jobs.claim`), its lease is renewed every third of the lease while
ffmpeg runs, and the outcome is written before the result is published, so a worker killed
at any point leaves a job that `video_jobs.sweep` (or the broker's redelivery) resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from watchparty.bus.jobs import ApiResult, JobBus, WorkerJob, WorkerResult, failed_result
from watchparty.media.ffmpeg import (
    THUMBNAIL_WIDTH,
    MediaError,
    is_streamable,
    make_image,
    probe,
    transcode,
)
from watchparty.runtime import Runtime, runtime, use_runtime
from watchparty.services import video_jobs
from watchparty.services.videos import storage, video_prefix
from watchparty.settings import Settings
from watchparty.tables import Video

__all__ = ["open_jobs", "process_job", "run_worker"]

logger = logging.getLogger(__name__)

# Where in the film the thumbnail and poster are taken: a third in, at most this far.
IMAGE_AT_MAX_SECS = 30.0
# Seconds between attempts to reach the broker, and to send again jobs it did not take.
BUS_RETRY_SECS = 1.0
# Progress (percent) at each step; transcoding spreads over the span in between.
PROBED_PERCENT, TRANSCODE_END_PERCENT, IMAGES_PERCENT = 20, 85, 95


async def process_job(job: WorkerJob) -> WorkerResult:
    """Claim and process the job of `job.video_id`; the result describes the row's outcome."""
    db = runtime().db
    async with db.session() as session:
        claimed = await video_jobs.claim(session, job.video_id)
    if claimed is None:
        # Done already, deleted, awaiting its bytes, or leased by a live worker (a duplicate
        # delivery): nothing to do. The API reads outcomes from the database, not from here.
        return failed_result(job, "not claimable: finished, deleted or running elsewhere")
    video, attempt = claimed
    logger.info("video %s: processing, attempt %d", video.id, attempt)
    error: tuple[str, str] | None = None
    fields: dict[str, Any] = {}
    try:
        fields = await _with_heartbeat(video, attempt)
    except MediaError as exc:
        error = (exc.code, exc.message)
    except video_jobs.JobLost:
        logger.info("video %s was deleted or taken over during attempt %d", video.id, attempt)
        await _clean_if_deleted(video.id)
        return failed_result(job, "the job was deleted or taken over")
    async with db.session() as session:
        try:
            await video_jobs.finish(session, video.id, attempt, error=error, **fields)
        except video_jobs.JobLost:
            await _clean_if_deleted(video.id)
            return failed_result(job, "the job was deleted or taken over")
        row = await session.get(Video, video.id)
        assert row is not None
        logger.info("video %s: %s", video.id, f"failed ({error[0]})" if error else "ready")
        return _result(row, attempt=attempt, error=error)


def _result(video: Video, *, attempt: int, error: tuple[str, str] | None) -> WorkerResult:
    return WorkerResult.model_validate(
        {
            "video_id": video.id,
            "attempt": attempt,
            "status": "failed" if error else "ready",
            "error": error[1] if error else None,
            "duration_seconds": video.duration_seconds,
            "width": video.width,
            "height": video.height,
            "codecs": {"video": video.video_codec, "audio": video.audio_codec},
            "thumbnail": video.thumbnail_key,
            "poster": video.poster_key,
            "finished_at": datetime.now(UTC),
        }
    )


async def _clean_if_deleted(video_id: uuid.UUID) -> None:
    """Remove files written for a video deleted while this worker processed it."""
    async with runtime().db.session() as session:
        if await session.get(Video, video_id) is None:
            await storage().delete_prefix(video_prefix(video_id))


async def _with_heartbeat(video: Video, attempt: int) -> dict[str, Any]:
    """`_process` while renewing the lease; JobLost cancels the work."""
    interval = runtime().settings.video_job_lease_seconds / 3
    work = asyncio.ensure_future(_process(video, attempt))
    try:
        while not (await asyncio.wait({work}, timeout=interval))[0]:
            async with runtime().db.session() as session:
                await video_jobs.progress(session, video.id, attempt)
    except BaseException:
        work.cancel()
        with contextlib.suppress(BaseException):
            await work
        raise
    return work.result()


async def _report(video_id: uuid.UUID, attempt: int, **values: Any) -> None:
    async with runtime().db.session() as session:
        await video_jobs.progress(session, video_id, attempt, **values)


async def _process(video: Video, attempt: int) -> dict[str, Any]:
    """Probe, transcode when browsers could not play the file, make thumbnail and poster.

    Answers the video's columns to set when it is ready.
    """
    store, prefix = storage(), video_prefix(video.id)
    async with store.local_copy(video.original_key) as source:
        found = await probe(source)
        await _report(
            video.id,
            attempt,
            percent=PROBED_PERCENT,
            duration_seconds=found.duration_seconds,
            width=found.width,
            height=found.height,
            video_codec=found.video_codec,
            audio_codec=found.audio_codec,
            container=found.container,
        )
        with tempfile.TemporaryDirectory(prefix="watchparty-video-") as tmp:
            work_dir = Path(tmp)
            stream_key = video.original_key
            if not is_streamable(found):
                stream_key = await _transcode(
                    video, attempt, source, work_dir, found.duration_seconds
                )
            at = min(found.duration_seconds / 3, IMAGE_AT_MAX_SECS)
            keys = {"thumbnail_key": f"{prefix}thumb.jpg", "poster_key": f"{prefix}poster.jpg"}
            for column, width in (("thumbnail_key", THUMBNAIL_WIDTH), ("poster_key", None)):
                image = work_dir / f"{column}.jpg"
                await make_image(source, image, at_seconds=at, width=width)
                await store.put_file(keys[column], image, content_type="image/jpeg")
            await _report(video.id, attempt, percent=IMAGES_PERCENT)
    return {"stream_key": stream_key, **keys}


async def _transcode(
    video: Video, attempt: int, source: Path, work_dir: Path, duration: float
) -> str:
    await _report(video.id, attempt, state="transcoding", percent=PROBED_PERCENT)
    last = PROBED_PERCENT

    async def on_progress(fraction: float) -> None:
        nonlocal last
        percent = PROBED_PERCENT + int(fraction * (TRANSCODE_END_PERCENT - PROBED_PERCENT))
        if percent >= last + 5:  # a row update per 5 %, not per ffmpeg report
            last = percent
            await _report(video.id, attempt, percent=percent)

    target = work_dir / "stream.mp4"
    await transcode(source, target, duration_seconds=duration, on_progress=on_progress)
    key = f"{video_prefix(video.id)}stream.mp4"
    await storage().put_file(key, target, content_type="video/mp4")
    return key


async def _sweep_forever(rt: Runtime) -> None:
    with use_runtime(rt):
        while True:
            try:
                async with rt.db.session() as session:
                    await video_jobs.sweep(session)
            except Exception:  # the next round tries again; never end the loop
                logger.exception("video job sweep failed")
            await asyncio.sleep(rt.settings.video_job_sweep_seconds)


async def _keep_bus(rt: Runtime, bus: JobBus) -> None:
    """Connect the bus when the broker was down at start, then send what it did not take."""
    with use_runtime(rt):
        while True:
            await asyncio.sleep(BUS_RETRY_SECS)
            if not bus.started:
                try:
                    await bus.start()
                except Exception:  # noqa: BLE001 - logged once by open_jobs; retried
                    continue
                logger.warning("job bus: connected to the broker")
            await video_jobs.resend_unsent()


class _Busy:
    """How many jobs this process is working on, to let them finish before stopping."""

    def __init__(self) -> None:
        self.count = 0
        self._done = asyncio.Event()
        self._done.set()

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        self.count += 1
        self._done.clear()
        try:
            yield
        finally:
            self.count -= 1
            if self.count == 0:
                self._done.set()

    async def idle(self, *, timeout: float) -> bool:
        """Wait until no job runs (True), or `timeout` seconds (False)."""
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except TimeoutError:
            return False
        return True


@asynccontextmanager
async def open_jobs(rt: Runtime, *, role: Literal["api", "worker"]) -> AsyncIterator[JobBus]:
    """Start the job bus for `rt` and set `rt.jobs`; stop it on exit.

    `api`: receive results (announce them) and sweep for stuck jobs, and without a broker
    also process jobs in this process. `worker`: process jobs.
    """
    settings = rt.settings
    bus = JobBus(settings.amqp_url, name_prefix=settings.amqp_name_prefix)
    busy = _Busy()
    if role == "api":

        async def on_result(result: ApiResult) -> None:
            with use_runtime(rt):
                async with rt.db.session() as session:
                    await video_jobs.announce(session, result.video_id)

        bus.on_result(on_result)
    if role == "worker" or not settings.amqp_url:

        async def on_job(job: WorkerJob) -> WorkerResult:
            with use_runtime(rt), busy.working():
                return await process_job(job)

        bus.on_job(on_job)
    try:
        await bus.start()
    except Exception as exc:
        if not settings.amqp_url:
            raise
        # Serve anyway: uploads are stored and queued, and sent once the broker answers.
        logger.error("job bus: the broker is unreachable, retrying: %r", exc)
    rt.jobs = bus
    sweeper = asyncio.create_task(_sweep_forever(rt)) if role == "api" else None
    keeper = asyncio.create_task(_keep_bus(rt, bus)) if settings.amqp_url else None
    try:
        yield bus
        # Stopping: jobs under way get up to the graceful-shutdown time to finish; what is
        # cut off after that keeps its expiring lease and is taken up again (`sweep`).
        if not await busy.idle(timeout=settings.graceful_shutdown_secs):
            logger.warning("stopping with a job still running; its lease will expire")
    finally:
        for task in (sweeper, keeper):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        rt.jobs = None
        await bus.stop()


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Process jobs until `stop` is set (or forever): the `watchparty worker` command."""
    from watchparty.runtime import open_runtime

    async with open_runtime(settings) as rt, open_jobs(rt, role="worker"):
        logger.info("video worker consuming jobs")
        await (stop or asyncio.Event()).wait()
