"""Generated routers for AsyncAPI operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, Any
from typing_extensions import Unpack

from asyncapi_python.kernel.application import BaseApplication
from asyncapi_python.kernel.endpoint import Publisher, Subscriber, RpcClient, RpcServer
from asyncapi_python.kernel.wire import AbstractWireFactory
from asyncapi_python.kernel.codec import CodecFactory
import asyncapi_python.kernel.document as spec
from .messages import json


class VideoProcessRouter(Subscriber[json.VideoProcessJob]):
    """Receive video processing jobs"""

    def __init__(
        self,
        wire_factory: AbstractWireFactory[Any, Any],
        codec_factory: CodecFactory[Any, Any],
    ):
        operation = spec.Operation(
            action="receive",
            title="Receive video processing jobs",
            summary=None,
            description=None,
            channel=spec.Channel(
                address="video.process",
                title="Video processing work queue",
                summary=None,
                description="Durable work queue on the default exchange. Competing workers share it (prefetch 1); a job is acknowledged after its handler returns, so a job whose worker dies is redelivered to another one.",
                servers=[],
                messages={
                    "VideoProcessJob": spec.Message(
                        content_type="application/json",
                        headers=None,
                        payload={"$ref": "#/components/schemas/VideoProcessJob"},
                        summary="Probe an uploaded video, make its thumbnail and poster.",
                        name="VideoProcessJob",
                        title="Process an uploaded video",
                        description=None,
                        deprecated=None,
                        correlation_id=None,
                        tags=[],
                        externalDocs=None,
                        bindings=None,
                        traits=[],
                        key="",
                    )
                },
                parameters={},
                tags=[],
                external_docs=None,
                bindings=spec.ChannelBindings(
                    http=None,
                    amqp1=None,
                    mqtt=None,
                    nats=None,
                    stomp=None,
                    redis=None,
                    solace=None,
                    ws=None,
                    amqp=spec.AmqpChannelBinding(
                        type="queue",
                        queue=spec.AmqpQueue(
                            name="video.process",
                            durable=True,
                            exclusive=False,
                            auto_delete=None,
                            vhost=None,
                            arguments=None,
                        ),
                        exchange=None,
                        binding_version="0.3.0",
                        extensions={},
                    ),
                    kafka=None,
                    anypointmq=None,
                    jms=None,
                    sns=None,
                    sqs=None,
                    ibmmq=None,
                    googlepubsub=None,
                    pulsar=None,
                ),
                key="/ping/pubsub",
            ),
            messages=[
                spec.Message(
                    content_type="application/json",
                    headers=None,
                    payload={"$ref": "#/components/schemas/VideoProcessJob"},
                    summary="Probe an uploaded video, make its thumbnail and poster.",
                    name="VideoProcessJob",
                    title="Process an uploaded video",
                    description=None,
                    deprecated=None,
                    correlation_id=None,
                    tags=[],
                    externalDocs=None,
                    bindings=None,
                    traits=[],
                    key="",
                )
            ],
            reply=None,
            traits=[],
            security=[],
            tags=[],
            external_docs=None,
            bindings=None,
            key="video_process",
        )

        super().__init__(
            operation=operation, wire_factory=wire_factory, codec_factory=codec_factory
        )


class VideoResultsRouter(Publisher[json.VideoProcessResult]):
    """Publish a video processing result"""

    class Inputs(Publisher.Inputs):
        """Base inputs (no channel parameters)."""

        pass

    def __init__(
        self,
        wire_factory: AbstractWireFactory[Any, Any],
        codec_factory: CodecFactory[Any, Any],
    ):
        operation = spec.Operation(
            action="send",
            title="Publish a video processing result",
            summary=None,
            description=None,
            channel=spec.Channel(
                address="video.results",
                title="Video processing results",
                summary=None,
                description="Fanout exchange: every API server process bound to it receives each result (on its own exclusive, auto-deleted queue).",
                servers=[],
                messages={
                    "VideoProcessResult": spec.Message(
                        content_type="application/json",
                        headers=None,
                        payload={"$ref": "#/components/schemas/VideoProcessResult"},
                        summary="Published once per job attempt, whether it succeeded or failed.",
                        name="VideoProcessResult",
                        title="Outcome of a video processing job",
                        description=None,
                        deprecated=None,
                        correlation_id=None,
                        tags=[],
                        externalDocs=None,
                        bindings=None,
                        traits=[],
                        key="",
                    )
                },
                parameters={},
                tags=[],
                external_docs=None,
                bindings=spec.ChannelBindings(
                    http=None,
                    amqp1=None,
                    mqtt=None,
                    nats=None,
                    stomp=None,
                    redis=None,
                    solace=None,
                    ws=None,
                    amqp=spec.AmqpChannelBinding(
                        type="routingKey",
                        queue=None,
                        exchange=spec.AmqpExchange(
                            name="video.results",
                            type=spec.AmqpExchangeType.FANOUT,
                            durable=True,
                            auto_delete=None,
                            vhost=None,
                            arguments=None,
                        ),
                        binding_version="0.3.0",
                        extensions={},
                    ),
                    kafka=None,
                    anypointmq=None,
                    jms=None,
                    sns=None,
                    sqs=None,
                    ibmmq=None,
                    googlepubsub=None,
                    pulsar=None,
                ),
                key="/ping/pubsub",
            ),
            messages=[
                spec.Message(
                    content_type="application/json",
                    headers=None,
                    payload={"$ref": "#/components/schemas/VideoProcessResult"},
                    summary="Published once per job attempt, whether it succeeded or failed.",
                    name="VideoProcessResult",
                    title="Outcome of a video processing job",
                    description=None,
                    deprecated=None,
                    correlation_id=None,
                    tags=[],
                    externalDocs=None,
                    bindings=None,
                    traits=[],
                    key="",
                )
            ],
            reply=None,
            traits=[],
            security=[],
            tags=[],
            external_docs=None,
            bindings=spec.OperationBindings(
                http=None,
                amqp1=None,
                mqtt=None,
                nats=None,
                stomp=None,
                redis=None,
                solace=None,
                ws=None,
                amqp=spec.AmqpOperationBinding(
                    expiration=None,
                    user_id=None,
                    cc=None,
                    priority=None,
                    delivery_mode=2,
                    mandatory=None,
                    bcc=None,
                    timestamp=None,
                    ack=None,
                    binding_version="0.3.0",
                    extensions={},
                ),
                kafka=None,
                anypointmq=None,
                jms=None,
                sns=None,
                sqs=None,
                ibmmq=None,
                googlepubsub=None,
                pulsar=None,
            ),
            key="video_results",
        )

        super().__init__(
            operation=operation, wire_factory=wire_factory, codec_factory=codec_factory
        )


class ProducerRouter:
    """Router aggregating all producer (send) operations."""

    def __init__(
        self,
        wire_factory: AbstractWireFactory[Any, Any],
        codec_factory: CodecFactory[Any, Any],
    ):
        """Initialize producer router with all send operations."""
        self.video_results = VideoResultsRouter(wire_factory, codec_factory)


class ConsumerRouter:
    """Router aggregating all consumer (receive) operations."""

    def __init__(
        self,
        wire_factory: AbstractWireFactory[Any, Any],
        codec_factory: CodecFactory[Any, Any],
    ):
        """Initialize consumer router with all receive operations."""
        self.video_process = VideoProcessRouter(wire_factory, codec_factory)
