"""Bind each operationId to its handler (DESIGN §1), with throttling and a 501 fallback.

`generated.operations.OPERATIONS` says where each operation lives
(`createParty` -> `handlers.parties.create_party`) and which throttle scope it has. A handler
that does not exist yet is bound to one that answers 501 `not_implemented`, so the whole spec
is always served and the missing operations are listed, not hidden.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from connexion.context import context as request_context
from connexion.context import scope as current_scope
from connexion.resolver import Resolution, Resolver

from generated.operations import OPERATIONS, OperationInfo
from watchparty.errors import NotImplementedYet
from watchparty.runtime import runtime

__all__ = [
    "Handler",
    "OperationResolver",
    "find_handler",
    "implemented_operations",
    "throttle_key",
]

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]


def find_handler(info: OperationInfo) -> Handler | None:
    """The function at `info.handler`, or None when its module or function does not exist."""
    module_name, _, function_name = info.handler.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Only a missing handler module means "not implemented"; a handler module that fails
        # to import one of *its* dependencies is a bug and must stay loud.
        if exc.name != module_name:
            raise
        return None
    found = getattr(module, function_name, None)
    return found if callable(found) else None


def implemented_operations() -> list[str]:
    """operationIds whose handler exists, in catalog order."""
    return [op_id for op_id, info in OPERATIONS.items() if find_handler(info) is not None]


def throttle_key() -> str:
    """Who a throttle counts: the authenticated subject, else the client address."""
    user = request_context.get("user") if request_context else None
    if user:
        return f"user:{user}"
    client = current_scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


def _not_implemented(info: OperationInfo) -> Handler:
    async def not_implemented(**_: Any) -> Any:
        raise NotImplementedYet(f"{info.method} {info.path} ({info.id}) is not implemented yet.")

    not_implemented.__name__ = f"not_implemented_{info.id}"
    return not_implemented


def _throttled(handler: Handler, scope: str) -> Handler:
    @functools.wraps(handler)
    async def throttled(*args: Any, **kwargs: Any) -> Any:
        await runtime().throttler.hit(scope, throttle_key())
        return await handler(*args, **kwargs)

    return throttled


def _ensure_async(handler: Callable[..., Any], op_id: str) -> Handler:
    if not inspect.iscoroutinefunction(handler):
        # AsyncApp awaits every handler; a sync one would block the event loop anyway.
        raise TypeError(f"handler of {op_id} must be `async def`: {handler!r}")
    return handler


class OperationResolver(Resolver):
    """
    connexion resolver over `generated.operations.OPERATIONS`.

    Args:
        overrides: operationId -> handler, used instead of the catalog's (tests install
            failing or fake handlers this way without touching `handlers/`).
    """

    def __init__(self, overrides: Mapping[str, Handler] | None = None) -> None:
        super().__init__()
        self.overrides = dict(overrides or {})
        self.missing: list[str] = []

    def resolve(self, operation: Any) -> Resolution:
        op_id: str = operation.operation_id
        return Resolution(self.bind(op_id), op_id)

    def bind(self, op_id: str) -> Handler:
        info = OPERATIONS.get(op_id)
        if info is None:
            raise LookupError(f"operationId {op_id!r} is not in generated/operations.py")
        handler = self.overrides.get(op_id) or find_handler(info)
        if handler is None:
            self.missing.append(op_id)
            return _not_implemented(info)
        handler = _ensure_async(handler, op_id)
        if info.throttle:
            handler = _throttled(handler, info.throttle)
        return handler
