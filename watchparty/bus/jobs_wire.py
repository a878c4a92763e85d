"""AMQP wire of the job bus: asyncapi-python's `AmqpWire` with the patches we rely on.

Design: /work/shared/DESIGN.md §5 (asyncapi-python, "needs our care") and
docs/decisions.md "Job bus: asyncapi-python". Each patch is small and has a test in
tests/bus/test_jobs.py; asyncapi-python is pinned (0.3.1) because they reach into it.

- Publishes are persistent (delivery mode 2, or the operation's `deliveryMode` binding):
  stock producers send transient messages, which a broker restart loses even from a
  durable queue.
- Consumer channels get `basic.qos(prefetch_count)`: stock consumers set none, so the first
  worker to subscribe takes every queued job and later workers starve.
- A queue binding without `durable` is declared durable (stock declares it transient).
- Connecting is serialized: endpoints start concurrently and would each open a connection,
  leaking all but the last one (which is the only one `close()` closes).
- A robust connection whose first connect fails is closed: aio-pika leaves its reconnect
  task running, retrying forever and ignoring the event loop's shutdown.
- Settling (ack, reject, nack) a delivery whose channel died with the broker is a no-op: the
  broker redelivers it by itself, and the error would end asyncapi-python's consume loop for
  good (a broker restart during a job left the worker consuming nothing).
- `name_prefix` namespaces queue and exchange names (tests, shared brokers).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable
from dataclasses import dataclass, fields
from typing import Any

from aio_pika import DeliveryMode, RobustConnection, connect_robust
from aio_pika import Message as AmqpMessage
from aio_pika.abc import AbstractConnection, TimeoutType
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError
from asyncapi_python.contrib.wire.amqp import AmqpWire
from asyncapi_python.contrib.wire.amqp.config import AmqpBindingType, AmqpConfig
from asyncapi_python.contrib.wire.amqp.consumer import AmqpConsumer
from asyncapi_python.contrib.wire.amqp.message import AmqpIncomingMessage, AmqpWireMessage
from asyncapi_python.contrib.wire.amqp.producer import AmqpProducer
from asyncapi_python.contrib.wire.amqp.resolver import resolve_amqp_config
from asyncapi_python.kernel.wire import EndpointParams
from asyncapi_python.kernel.wire.typing import Consumer, Producer
from typing_extensions import Unpack

__all__ = ["DEFAULT_PREFETCH_COUNT", "JobAmqpWire"]

logger = logging.getLogger(__name__)

# One job at a time per worker: video jobs are long, so a worker must not hoard them.
DEFAULT_PREFETCH_COUNT = 1
# What settling a delivery raises once its channel is gone (broker stopped or restarting).
_CHANNEL_GONE = (ChannelInvalidStateError, AMQPError, ConnectionError)


async def _settle(action: Awaitable[None], what: str) -> None:
    try:
        await action
    except _CHANNEL_GONE as exc:
        logger.warning("job bus: %s lost with its channel, the broker redelivers: %r", what, exc)


@dataclass
class _IncomingMessage(AmqpIncomingMessage):
    """`AmqpIncomingMessage` whose settling survives the loss of its channel."""

    async def ack(self) -> None:
        await _settle(super().ack(), "ack")

    async def nack(self, requeue: bool = True) -> None:
        await _settle(super().nack(requeue), "nack")

    async def reject(self, requeue: bool = False) -> None:
        await _settle(super().reject(requeue), "reject")


class _PersistentProducer(AmqpProducer):
    """`AmqpProducer` whose messages carry a delivery mode (persistent by default)."""

    def __init__(self, *, delivery_mode: DeliveryMode, **config: Any) -> None:
        super().__init__(**config)
        self._delivery_mode = delivery_mode

    async def send_batch(
        self, messages: list[AmqpWireMessage], *, address_override: str | None = None
    ) -> None:
        # Same as AmqpProducer.send_batch (0.3.1) but for `delivery_mode`, which it never sets.
        if not self._started or self._target_exchange is None:
            raise RuntimeError("Producer not started")
        routing_key = address_override if address_override is not None else self._routing_key
        for message in messages:
            await self._target_exchange.publish(
                AmqpMessage(
                    body=message.payload,
                    headers=message.headers,
                    correlation_id=message.correlation_id,
                    reply_to=message.reply_to,
                    delivery_mode=self._delivery_mode,
                ),
                routing_key=routing_key,
            )


class _PrefetchConsumer(AmqpConsumer):
    """`AmqpConsumer` that limits unacknowledged deliveries on its channel and yields
    deliveries whose settling survives the loss of the channel."""

    def __init__(self, *, prefetch_count: int, **config: Any) -> None:
        super().__init__(**config)
        self._prefetch_count = prefetch_count

    async def start(self) -> None:
        await super().start()
        # Before recv() issues basic.consume; a robust channel re-applies it on reconnect.
        if self._channel is not None:
            await self._channel.set_qos(prefetch_count=self._prefetch_count)

    def recv(self) -> AsyncGenerator[AmqpIncomingMessage, None]:
        return self._tolerant(super().recv())

    async def _tolerant(
        self, messages: AsyncGenerator[AmqpIncomingMessage, None]
    ) -> AsyncGenerator[AmqpIncomingMessage, None]:
        async for message in messages:
            yield _IncomingMessage(**{f.name: getattr(message, f.name) for f in fields(message)})


class _ClosingRobustConnection(RobustConnection):
    """`RobustConnection` that stops reconnecting when its first connect fails."""

    async def connect(self, timeout: TimeoutType = None) -> None:
        try:
            await super().connect(timeout)
        except BaseException:
            await self.close()
            raise


class JobAmqpWire(AmqpWire):
    """`AmqpWire` for the job bus: robust connection, persistent jobs, prefetch, durability.

    Args:
        connection_url: `amqp://user:password@host:port/vhost`.
        robust: reconnect after a broker restart (without it a worker is left with no
            consumer); on by default.
        prefetch_count: unacknowledged deliveries per consumer channel.
        name_prefix: prepended to every queue and exchange name.
        **options: other `AmqpWire` options (heartbeat, connection_timeout, ...).
    """

    def __init__(
        self,
        connection_url: str,
        *,
        robust: bool = True,
        prefetch_count: int = DEFAULT_PREFETCH_COUNT,
        name_prefix: str = "",
        **options: Any,
    ) -> None:
        super().__init__(connection_url, robust=robust, **options)
        self._prefetch_count = prefetch_count
        self._name_prefix = name_prefix
        self._connect_lock = asyncio.Lock()

    async def _get_connection(self) -> AbstractConnection:
        async with self._connect_lock:
            if self._robust and (self._connection is None or self._connection.is_closed):
                # AmqpWire._get_connection's robust branch, plus `connection_class`.
                self._connection = await connect_robust(
                    self._connection_url,
                    reconnect_interval=self._reconnect_interval,
                    connection_attempts=self._connection_attempts,
                    heartbeat=self._heartbeat,
                    timeout=self._connection_timeout,
                    connection_class=_ClosingRobustConnection,
                )
            return await super()._get_connection()

    def resolve(self, params: EndpointParams) -> AmqpConfig:
        """asyncapi-python's binding resolution, plus our durability default and prefix."""
        config = resolve_amqp_config(
            params, self._generate_operation_name(params), params.get("app_id", self.app_id)
        )
        if config.binding_type is AmqpBindingType.QUEUE:
            if config.queue_properties.get("durable") is None:
                config.queue_properties["durable"] = True
            # On the default exchange the routing key is the queue name.
            config.routing_key = config.queue_name = self._name_prefix + config.queue_name
        elif config.exchange_name:
            config.exchange_name = self._name_prefix + config.exchange_name
        return config

    async def create_consumer(
        self, **params: Unpack[EndpointParams]
    ) -> Consumer[AmqpIncomingMessage]:
        config = self.resolve(params)
        return _PrefetchConsumer(
            connection=await self._get_connection(),
            prefetch_count=self._prefetch_count,
            **config.to_consumer_args(),
        )

    async def create_producer(self, **params: Unpack[EndpointParams]) -> Producer[AmqpWireMessage]:
        config = self.resolve(params)
        op_bindings = params.get("op_bindings")
        wanted = op_bindings.amqp.delivery_mode if op_bindings and op_bindings.amqp else None
        return _PersistentProducer(
            connection=await self._get_connection(),
            delivery_mode=DeliveryMode(wanted or DeliveryMode.PERSISTENT),
            **config.to_producer_args(),
        )
