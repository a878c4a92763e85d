"""Job bus fixtures: buses on the in-memory wire or on RabbitMQ, torn down after each test.

Each RabbitMQ test gets its own queue and exchange names (a random `name_prefix`), deleted
afterwards, so reruns and concurrent runs on one broker do not see each other's jobs.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import aio_pika
import pytest
from asyncapi_python.contrib.wire.in_memory import reset_bus

from tests.bus.helpers import AMQP_URL, JOBS_QUEUE, RESULTS_EXCHANGE, MakeBus
from tests.utils.services import require_service
from watchparty.bus.jobs import JobBus


@pytest.fixture(autouse=True)
def fresh_memory_bus() -> Iterator[None]:
    """The in-memory wire keeps one process-wide bus; start and end each test with a new one."""
    reset_bus()
    yield
    reset_bus()


@pytest.fixture(params=["memory", "amqp"])
def wire_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    if kind == "amqp":
        require_service("rabbitmq")
    return kind


@pytest.fixture
def amqp_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}."


@pytest.fixture
async def make_bus(wire_kind: str, amqp_prefix: str) -> AsyncIterator[MakeBus]:
    """Factory of unstarted buses on `wire_kind`; every bus made is stopped afterwards."""
    buses: list[JobBus] = []

    def make() -> JobBus:
        bus = JobBus(AMQP_URL, name_prefix=amqp_prefix) if wire_kind == "amqp" else JobBus()
        buses.append(bus)
        return bus

    yield make
    for bus in reversed(buses):
        await bus.stop()
    if wire_kind == "amqp":
        await delete_amqp_names(amqp_prefix)


async def delete_amqp_names(prefix: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(prefix + JOBS_QUEUE)
        await channel.exchange_delete(prefix + RESULTS_EXCHANGE)
