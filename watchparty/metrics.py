"""Prometheus metrics (prometheus-client), exposed at `/metrics` in the text format.

One registry per process. Label values are bounded: operations are operationIds (requests
no operation matched count as `unmatched`), never raw paths. Realtime and the job bus
update their own series through the helpers here.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "REGISTRY",
    "REQUESTS",
    "REQUEST_SECONDS",
    "THROTTLED",
    "WS_OPEN",
    "WS_MESSAGES",
    "JOBS_QUEUED",
    "JOB_SECONDS",
    "metrics_endpoint",
]

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "watchparty_http_requests_total",
    "HTTP requests answered, by operationId, method and status.",
    ["operation", "method", "status"],
    registry=REGISTRY,
)
REQUEST_SECONDS = Histogram(
    "watchparty_http_request_duration_seconds",
    "Time to answer an HTTP request, by operationId.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
THROTTLED = Counter(
    "watchparty_throttled_total",
    "Requests refused with 429, by throttle scope.",
    ["scope"],
    registry=REGISTRY,
)
WS_OPEN = Gauge(
    "watchparty_websockets_open", "Open WebSockets, by channel.", ["channel"], registry=REGISTRY
)
WS_MESSAGES = Counter(
    "watchparty_ws_messages_total",
    "WebSocket frames, by channel and direction (in, out).",
    ["channel", "direction"],
    registry=REGISTRY,
)
JOBS_QUEUED = Gauge(
    "watchparty_jobs_queued",
    "Jobs published and not yet finished, by kind.",
    ["kind"],
    registry=REGISTRY,
)
JOB_SECONDS = Histogram(
    "watchparty_job_duration_seconds",
    "Time a job took, by kind and outcome.",
    ["kind", "outcome"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900),
    registry=REGISTRY,
)


async def metrics_endpoint(request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
