"""Names shared by the job bus tests and their fixtures."""

from __future__ import annotations

from collections.abc import Callable

from watchparty.bus.jobs import JobBus

__all__ = ["AMQP_URL", "JOBS_QUEUE", "RESULTS_EXCHANGE", "MakeBus"]

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
# As written in specs/jobs/common.yaml; tests prepend a per-test prefix on RabbitMQ.
JOBS_QUEUE = "video.process"
RESULTS_EXCHANGE = "video.results"

MakeBus = Callable[[], JobBus]
