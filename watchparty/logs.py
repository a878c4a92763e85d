"""Structured logs (structlog): JSON lines in production, colours in a terminal.

Every line, ours or a library's (stdlib `logging` goes through the same processors), carries
the request id and, once known, the user id and operationId (bound per request by
`watchparty.web.RequestContextMiddleware` and `watchparty.deps.current_user`). Values under
secret-sounding keys and anything shaped like a JWT are replaced before rendering, so
passwords and tokens never reach a log.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from connexion.context import _operation as _current_operation

from watchparty.settings import Settings

__all__ = ["configure_logging", "get_logger", "log_formatter", "redact"]

REDACTED = "[redacted]"
_SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|^access$|^refresh$|^code$|otp|challenge",
    re.IGNORECASE,
)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _JWT.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: REDACTED if _SECRET_KEY.search(str(k)) else _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def redact(
    logger: Any, method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: no secrets, whatever key or message they hide in."""
    for key, value in list(event_dict.items()):
        event_dict[key] = REDACTED if _SECRET_KEY.search(key) else _clean(value)
    return event_dict


def _drop_color_message(
    logger: Any, method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # uvicorn adds a copy of each message with terminal colour codes as an `extra`.
    event_dict.pop("color_message", None)
    return event_dict


def _add_operation_id(
    logger: Any, method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # Lines written while connexion runs an operation name it (the request line sets its own).
    if "operation_id" not in event_dict:
        operation = _current_operation.get(None)
        if operation is not None:
            event_dict["operation_id"] = operation.operation_id
    return event_dict


_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    _add_operation_id,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    redact,
]


def log_formatter(*, as_json: bool) -> logging.Formatter:
    """The formatter of every line: structlog's and stdlib's records alike."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    return structlog.stdlib.ProcessorFormatter(
        # `extra={...}` of stdlib calls become fields of the line.
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder(), _drop_color_message],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *([structlog.processors.format_exc_info] if as_json else []),
            renderer,
        ],
    )


def configure_logging(settings: Settings) -> None:
    """Route structlog and stdlib logging through one renderer on stderr (call once)."""
    as_json = settings.log_format == "json" or (
        settings.log_format == "auto" and not sys.stderr.isatty()
    )
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(log_formatter(as_json=as_json))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # Our request log replaces uvicorn's: it has the request id, user and operation.
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
