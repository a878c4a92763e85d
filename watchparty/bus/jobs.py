"""The video-processing job bus: the API server publishes jobs, workers publish results.

Design: /work/shared/DESIGN.md §5 (asyncapi-python) and docs/decisions.md "Job bus:
asyncapi-python". The contract is specs/jobs/*.yaml; the code under generated/jobs/ comes
from it (watchparty.codegen.jobs). Jobs go to the durable work queue `video.process`,
results to the fanout exchange `video.results`.

With no AMQP URL the bus runs on asyncapi-python's in-memory wire, so `serve` works with
no configuration (workers then run in the same process). With a URL it uses RabbitMQ
through `JobAmqpWire`. Every delivery is acknowledged after its handler returns: a worker
killed mid-job has its job redelivered to another one.

Invariant: no handler exception ends a consume loop. asyncapi-python 0.3.1 stops
consuming for good after one (and after one undecodable message), so every handler runs
inside a wrapper here: a failing job becomes a `status=failed` result; anything else raises
`Reject`, which drops the delivery (or dead-letters it, if the queue has a DLX) and keeps
the loop going. A result is published before its job is acked, so a worker that dies in
between makes the job run twice: result handlers must be idempotent per (video_id, attempt).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from asyncapi_python.contrib.wire import InMemoryWire
from asyncapi_python.kernel.endpoint import AbstractEndpoint
from asyncapi_python.kernel.exceptions import Reject
from asyncapi_python.kernel.wire import AbstractWireFactory
from pydantic import BaseModel

from generated.jobs.api import Application as ApiApplication
from generated.jobs.api.messages.json import VideoProcessJob as ApiJob
from generated.jobs.api.messages.json import VideoProcessResult as ApiResult
from generated.jobs.worker import Application as WorkerApplication
from generated.jobs.worker.messages.json import Status as WorkerStatus
from generated.jobs.worker.messages.json import VideoProcessJob as WorkerJob
from generated.jobs.worker.messages.json import VideoProcessResult as WorkerResult
from watchparty.bus.jobs_wire import DEFAULT_PREFETCH_COUNT, JobAmqpWire

__all__ = [
    "ApiJob",
    "ApiResult",
    "JobBus",
    "JobHandler",
    "ResultHandler",
    "WorkerJob",
    "failed_result",
    "WorkerResult",
]

logger = logging.getLogger(__name__)

# A worker turns a job into a result; raising makes the bus publish a failed result.
JobHandler = Callable[[WorkerJob], Awaitable[WorkerResult]]
ResultHandler = Callable[[ApiResult], Awaitable[None]]
ERROR_MAX_CHARS = 500

_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True)
class _Undecodable:
    """Stands for a delivery that no codec could decode (malformed or from a newer schema)."""

    error: str


def _tolerate_undecodable(endpoint: AbstractEndpoint) -> None:
    """Make `endpoint` hand undecodable deliveries to its handler as `_Undecodable`.

    asyncapi-python 0.3.1 decodes inside the consume loop's `try` and ends the loop on
    failure, so one bad message would stop a worker and, requeued, every other worker too.
    """
    decode: Callable[[Any], Any] = getattr(endpoint, "_decode_message", None) or _missing_hook()

    def decode_or_mark(payload: Any) -> Any:
        try:
            return decode(payload)
        except RuntimeError as exc:  # what `_try_codecs` raises after every codec failed
            return _Undecodable(error=str(exc))

    setattr(endpoint, "_decode_message", decode_or_mark)  # noqa: B010 (shadows a method)


def _missing_hook() -> Callable[[Any], Any]:
    raise RuntimeError("asyncapi-python changed: Subscriber._decode_message is gone; re-pin it")


def _as(model: type[_Model], message: object) -> _Model:
    """`message` as `model`: the api and worker packages each generate the same classes.

    asyncapi-python caches codecs per message name for the whole process, so in a process
    that runs both sides (in-memory wire, tests) a worker may receive the api's class.
    """
    if isinstance(message, model):
        return message
    if isinstance(message, BaseModel):
        return model.model_validate(message.model_dump())
    raise TypeError(f"expected a {model.__name__}, got {type(message).__name__}")


def failed_result(job: WorkerJob, error: BaseException | str) -> WorkerResult:
    """The `status=failed` result that answers `job`."""
    detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return WorkerResult(
        video_id=job.video_id,
        attempt=job.attempt,
        status=WorkerStatus.FAILED,
        error=detail[:ERROR_MAX_CHARS],
        # Spelled out: mypy reads `Field(None, description=...)` as a required field.
        thumbnail=None,
        poster=None,
        finished_at=datetime.now(UTC),
    )


class JobBus:
    """Publish video jobs and consume jobs or results, in memory or over RabbitMQ.

    The API server registers `on_result` and calls `publish_job`; a worker registers
    `on_job`. Register handlers before `start()`; `stop()` closes the connection.

    Args:
        amqp_url: RabbitMQ URL; None selects the in-memory wire (one process).
        prefetch_count: jobs a worker holds unacknowledged at once (AMQP only).
        name_prefix: prepended to queue and exchange names (AMQP only; tests).
    """

    def __init__(
        self,
        amqp_url: str | None = None,
        *,
        prefetch_count: int = DEFAULT_PREFETCH_COUNT,
        name_prefix: str = "",
    ) -> None:
        self._wire: AbstractWireFactory[Any, Any] = (
            JobAmqpWire(amqp_url, prefetch_count=prefetch_count, name_prefix=name_prefix)
            if amqp_url
            else InMemoryWire()
        )
        self._job_handler: JobHandler | None = None
        self._result_handler: ResultHandler | None = None
        self._api: ApiApplication | None = None
        self._worker: WorkerApplication | None = None

    @property
    def wire(self) -> AbstractWireFactory[Any, Any]:
        return self._wire

    @property
    def started(self) -> bool:
        """`start()` succeeded (and `stop()` was not called since)."""
        return self._api is not None

    def on_job(self, handler: JobHandler) -> JobHandler:
        """Register the worker's job handler (decorator); it returns the job's result."""
        self._check_not_started()
        self._job_handler = handler
        return handler

    def on_result(self, handler: ResultHandler) -> ResultHandler:
        """Register the API server's result handler (decorator)."""
        self._check_not_started()
        self._result_handler = handler
        return handler

    async def start(self) -> None:
        """Connect and start consuming what has a handler; publishing is always available.

        Raises:
            aiormq.exceptions.AMQPConnectionError: the broker is unreachable (nothing is
                left running; `start()` may be called again).
        """
        self._check_not_started()
        try:
            await self._start_apps()
        except BaseException:
            await self.stop()
            raise

    async def _start_apps(self) -> None:
        # Endpoints start one by one: the generated `start()` gathers them, and when one
        # fails the others go on connecting in the background, out of `stop()`'s reach.
        api = ApiApplication(self._wire)
        self._api = api
        await api.producer.video_process.start()
        # Without a result handler the results subscriber stays off: it would bind a
        # results queue that nobody drains.
        if self._result_handler is not None:
            _tolerate_undecodable(api.consumer.video_results)
            api.consumer.video_results(self._handle_result)
            await api.consumer.video_results.start()
        if self._job_handler is not None:
            worker = WorkerApplication(self._wire)
            self._worker = worker
            _tolerate_undecodable(worker.consumer.video_process)
            worker.consumer.video_process(self._handle_job)
            await worker.producer.video_results.start()
            await worker.consumer.video_process.start()

    async def stop(self) -> None:
        """Stop consuming and close the connection (the generated `stop()` leaves it open)."""
        for app in (self._worker, self._api):
            if app is not None:
                await app.stop()
        self._api = self._worker = None
        if isinstance(self._wire, JobAmqpWire):
            await self._wire.close()

    async def publish_job(
        self,
        *,
        video_id: UUID,
        source: str,
        attempt: int = 1,
        requested_at: datetime | None = None,
    ) -> ApiJob:
        """Queue a processing job for `video_id`; `attempt` counts retries from 1."""
        if self._api is None:
            raise RuntimeError("JobBus.publish_job() before start()")
        job = ApiJob(
            video_id=video_id,
            attempt=attempt,
            requested_at=requested_at or datetime.now(UTC),
            source=source,
        )
        await self._api.producer.video_process(job)
        return job

    def _check_not_started(self) -> None:
        if self._api is not None:
            raise RuntimeError("JobBus is already started")

    async def _handle_job(self, message: object) -> None:
        if isinstance(message, _Undecodable):
            logger.error("rejecting an undecodable video job: %s", message.error)
            raise Reject(message.error)
        assert self._job_handler is not None and self._worker is not None
        job = _as(WorkerJob, message)
        try:
            result = await self._job_handler(job)
        except Exception as exc:  # noqa: BLE001 (the loop must survive any handler bug)
            logger.exception("video job %s (attempt %d) failed", job.video_id, job.attempt)
            result = failed_result(job, exc)
        try:
            await self._worker.producer.video_results(result)
        except Exception as exc:
            # Letting it escape would end the loop; the API sees no result and may retry.
            logger.exception("could not publish the result of video job %s", job.video_id)
            raise Reject(f"result not published: {exc}") from exc

    async def _handle_result(self, message: object) -> None:
        if isinstance(message, _Undecodable):
            logger.error("rejecting an undecodable video result: %s", message.error)
            raise Reject(message.error)
        assert self._result_handler is not None
        result = _as(ApiResult, message)
        try:
            await self._result_handler(result)
        except Exception as exc:
            # Redelivering to the same handler would fail the same way.
            logger.exception("video result handler failed for %s", result.video_id)
            raise Reject(f"result handler failed: {exc}") from exc
