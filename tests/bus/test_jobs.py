"""The job bus end to end: API publishes, worker consumes and answers, API gets the result.

Parametrized tests run on the in-memory wire and on RabbitMQ (`wire_kind`); the RabbitMQ
ones skip locally without a broker and fail in CI (tests.utils.services).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aio_pika
import aio_pika.abc
import pytest
from aio_pika import RobustConnection
from asyncapi_python.contrib.wire.in_memory import InMemoryMessage, get_bus
from asyncapi_python_codegen import extract_all_operations  # type: ignore[import-untyped]

from generated.jobs.api import Application as ApiApplication
from tests.bus.helpers import AMQP_URL, JOBS_QUEUE, MakeBus
from watchparty import SPECS_DIR
from watchparty.bus import jobs_wire
from watchparty.bus.jobs import ApiResult, JobBus, WorkerJob, WorkerResult
from watchparty.bus.jobs_wire import JobAmqpWire

WAIT_SECS = 5.0
AMQP_ONLY = pytest.mark.parametrize("wire_kind", ["amqp"], indirect=True)


class Inbox:
    """Collects what a handler receives; `next()` waits for it, with a timeout."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._queue: asyncio.Queue[Any] = asyncio.Queue()

    def put(self, item: Any) -> None:
        self.items.append(item)
        self._queue.put_nowait(item)

    async def next(self) -> Any:
        async with asyncio.timeout(WAIT_SECS):
            return await self._queue.get()


def ready(job: WorkerJob) -> WorkerResult:
    return WorkerResult.model_validate(
        {
            "video_id": job.video_id,
            "attempt": job.attempt,
            "status": "ready",
            "duration_seconds": 12.5,
            "width": 1280,
            "height": 720,
            "codecs": {"video": "h264", "audio": "aac"},
            "thumbnail": f"thumbs/{job.video_id}.jpg",
            "poster": f"posters/{job.video_id}.jpg",
            "finished_at": datetime.now(UTC),
        }
    )


async def start_api(make_bus: MakeBus) -> tuple[JobBus, Inbox]:
    """A started API-side bus whose results land in the returned inbox."""
    bus, results = make_bus(), Inbox()

    @bus.on_result
    async def on_result(result: ApiResult) -> None:
        results.put(result)

    await bus.start()
    return bus, results


async def start_worker(
    make_bus: MakeBus, process: Callable[[WorkerJob], Awaitable[WorkerResult]]
) -> JobBus:
    bus = make_bus()
    bus.on_job(process)
    await bus.start()
    return bus


async def publish_raw(wire_kind: str, prefix: str, body: bytes) -> None:
    """Put `body` on the job queue as is, bypassing the generated producer."""
    if wire_kind == "memory":
        await get_bus().publish(JOBS_QUEUE, InMemoryMessage(_payload=body))
        return
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.default_exchange.publish(
            aio_pika.Message(body), routing_key=prefix + JOBS_QUEUE
        )


# (a) in memory and (b) over RabbitMQ.
async def test_job_round_trip(make_bus: MakeBus) -> None:
    api, results = await start_api(make_bus)
    jobs = Inbox()

    async def process(job: WorkerJob) -> WorkerResult:
        jobs.put(job)
        return ready(job)

    await start_worker(make_bus, process)
    video_id = uuid.uuid4()
    sent = await api.publish_job(video_id=video_id, source="uploads/a.mp4", attempt=3)

    job = await jobs.next()
    result = await results.next()

    # The worker gets its own generated class even when both sides share a process.
    assert isinstance(job, WorkerJob)
    assert job.model_dump() == sent.model_dump()
    assert (job.video_id, job.attempt, job.source) == (video_id, 3, "uploads/a.mp4")
    assert isinstance(result, ApiResult)
    assert (result.video_id, result.attempt, result.status.value) == (video_id, 3, "ready")
    assert result.codecs is not None and result.codecs.video == "h264"
    assert result.error is None


# (c) a raising handler is answered with status=failed and the next job still runs.
async def test_failing_handler_publishes_failed_and_keeps_consuming(make_bus: MakeBus) -> None:
    api, results = await start_api(make_bus)

    async def process(job: WorkerJob) -> WorkerResult:
        if job.source == "broken.mp4":
            raise ValueError("no video stream found")
        return ready(job)

    await start_worker(make_bus, process)
    first, second = uuid.uuid4(), uuid.uuid4()
    await api.publish_job(video_id=first, source="broken.mp4", attempt=2)
    await api.publish_job(video_id=second, source="fine.mp4")

    failed = await results.next()
    succeeded = await results.next()

    assert (failed.video_id, failed.attempt, failed.status.value) == (first, 2, "failed")
    assert failed.error == "ValueError: no video stream found"
    assert (succeeded.video_id, succeeded.status.value) == (second, "ready")


async def test_undecodable_job_is_rejected_and_consuming_goes_on(
    make_bus: MakeBus, wire_kind: str, amqp_prefix: str
) -> None:
    api, results = await start_api(make_bus)
    await start_worker(make_bus, lambda job: asyncio.sleep(0, ready(job)))
    await publish_raw(wire_kind, amqp_prefix, b'{"video_id": "not a uuid"}')
    video_id = uuid.uuid4()
    await api.publish_job(video_id=video_id, source="uploads/b.mp4")

    result = await results.next()

    assert (result.video_id, result.status.value) == (video_id, "ready")
    assert len(results.items) == 1  # the bad delivery produced no result


async def test_result_handler_error_does_not_stop_result_consumption(make_bus: MakeBus) -> None:
    api, seen = make_bus(), Inbox()

    @api.on_result
    async def on_result(result: ApiResult) -> None:
        seen.put(result)
        if len(seen.items) == 1:
            raise RuntimeError("database is down")

    await api.start()
    await start_worker(make_bus, lambda job: asyncio.sleep(0, ready(job)))
    await api.publish_job(video_id=uuid.uuid4(), source="uploads/c.mp4")
    await api.publish_job(video_id=uuid.uuid4(), source="uploads/d.mp4")

    await seen.next()
    await seen.next()


async def test_publish_job_needs_start(make_bus: MakeBus) -> None:
    with pytest.raises(RuntimeError, match="before start"):
        await make_bus().publish_job(video_id=uuid.uuid4(), source="x")


# (d) durable queue + persistent message: a job waits for a worker that starts later.
@AMQP_ONLY
async def test_job_published_without_worker_is_durable_and_delivered_later(
    make_bus: MakeBus, amqp_prefix: str
) -> None:
    api, results = await start_api(make_bus)
    video_id = uuid.uuid4()
    await api.publish_job(video_id=video_id, source="uploads/late.mp4")

    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        # Re-declaring with durable=True fails (PRECONDITION_FAILED) on a transient queue.
        queue = await channel.declare_queue(amqp_prefix + JOBS_QUEUE, durable=True)
        waiting = await queue.get(timeout=WAIT_SECS)
        assert waiting.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        await waiting.nack(requeue=True)

    await start_worker(make_bus, lambda job: asyncio.sleep(0, ready(job)))
    result = await results.next()

    assert (result.video_id, result.status.value) == (video_id, "ready")


# (d) prefetch 1: a busy worker holds one job, an idle one takes the rest.
@AMQP_ONLY
async def test_prefetch_one_shares_jobs_between_workers(make_bus: MakeBus) -> None:
    api, results = await start_api(make_bus)
    video_ids = [uuid.uuid4() for _ in range(4)]
    for video_id in video_ids:  # queued before any worker, the case where hoarding shows
        await api.publish_job(video_id=video_id, source=f"uploads/{video_id}.mp4")
    busy_started, release = asyncio.Event(), asyncio.Event()
    done_by: dict[str, list[uuid.UUID]] = {"slow": [], "fast": []}

    async def slow(job: WorkerJob) -> WorkerResult:
        busy_started.set()
        await release.wait()
        done_by["slow"].append(job.video_id)
        return ready(job)

    async def fast(job: WorkerJob) -> WorkerResult:
        done_by["fast"].append(job.video_id)
        return ready(job)

    await start_worker(make_bus, slow)
    async with asyncio.timeout(WAIT_SECS):
        await busy_started.wait()
    await start_worker(make_bus, fast)
    for _ in range(3):
        await results.next()

    assert len(done_by["fast"]) == 3 and done_by["slow"] == []
    release.set()
    await results.next()
    assert sorted(done_by["slow"] + done_by["fast"]) == sorted(video_ids)


@AMQP_ONLY
async def test_endpoints_share_one_connection_that_stop_closes(
    make_bus: MakeBus, amqp_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[aio_pika.abc.AbstractRobustConnection] = []

    async def counting_connect(*args: Any, **kwargs: Any) -> Any:
        opened.append(await aio_pika.connect_robust(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(jobs_wire, "connect_robust", counting_connect)
    wire = JobAmqpWire(AMQP_URL, name_prefix=amqp_prefix)
    app = ApiApplication(wire)
    app.consumer.video_results(lambda result: asyncio.sleep(0))
    await app.start()  # the generated start() starts its endpoints concurrently
    await app.stop()
    assert len(opened) == 1 and not opened[0].is_closed  # the generated stop() leaves it
    await wire.close()

    bus = make_bus()
    bus.on_result(lambda result: asyncio.sleep(0))
    bus.on_job(lambda job: asyncio.sleep(0, ready(job)))
    await bus.start()
    assert len(opened) == 2
    await bus.stop()
    assert opened[1].is_closed


async def test_failed_start_leaves_nothing_running_and_can_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created: list[RobustConnection] = []
    init = RobustConnection.__init__

    def recording_init(self: RobustConnection, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(RobustConnection, "__init__", recording_init)
    bus = JobBus("amqp://guest:guest@127.0.0.1:1/")  # nothing listens on port 1
    bus.on_result(lambda result: asyncio.sleep(0))
    try:
        for _ in range(2):
            with pytest.raises(ConnectionError):  # aiormq's AMQPConnectionError
                await bus.start()
        with pytest.raises(RuntimeError, match="before start"):
            await bus.publish_job(video_id=uuid.uuid4(), source="x")
        # An unclosed one would retry forever and hang the event loop's shutdown.
        assert len(created) == 2 and all(c.is_closed for c in created)
    finally:
        for connection in created:
            await connection.close()


def test_work_queue_resolves_durable_with_prefix() -> None:
    operations = extract_all_operations(SPECS_DIR / "jobs" / "api.yaml")
    channel = operations["video_process"].channel
    wire = JobAmqpWire(AMQP_URL, name_prefix="t.")

    def resolve(channel: Any) -> Any:
        return wire.resolve(
            {"channel": channel, "parameters": {}, "op_bindings": None, "is_reply": False}
        )

    config = resolve(channel)
    assert (config.queue_name, config.routing_key) == ("t.video.process", "t.video.process")
    assert config.queue_properties["durable"] is True
    # A queue binding that leaves `durable` out is still declared durable.
    binding = channel.bindings.amqp
    unset = dataclasses.replace(binding.queue, durable=None)
    bare = dataclasses.replace(
        channel,
        bindings=dataclasses.replace(
            channel.bindings, amqp=dataclasses.replace(binding, queue=unset)
        ),
    )
    assert resolve(bare).queue_properties["durable"] is True
    results = resolve(operations["video_results"].channel)
    assert (results.exchange_name, results.exchange_type) == ("t.video.results", "fanout")
