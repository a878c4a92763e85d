"""The spec's `x-bearerInfoFunc`: check an access JWT for connexion (DESIGN §5).

Connexion calls this synchronously for every operation with `bearerAuth`, so it only decodes
and checks the token; it must not touch the database. Whether the user still exists, is
allowed in, and still holds the session is checked by `watchparty.deps.current_user`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import jwt
from connexion.security import AbstractSecurityHandler, BearerSecurityHandler

from watchparty.auth.tokens import decode_access_token
from watchparty.settings import Settings, get_settings

__all__ = ["BearerHandler", "bearer_info"]

logger = logging.getLogger(__name__)


def _settings() -> Settings:
    from watchparty.runtime import runtime

    try:
        return runtime().settings
    except RuntimeError:
        # Outside a served request (scripts, tests of this function alone).
        return get_settings()


def bearer_info(token: str) -> dict[str, Any] | None:
    """The claims of a valid access token (`sub` becomes the handler's `user`), else None."""
    try:
        return decode_access_token(token, settings=_settings())
    except jwt.InvalidTokenError as exc:
        logger.debug("refused bearer token: %s", exc)
        return None


class BearerHandler(BearerSecurityHandler):  # type: ignore[misc]
    """connexion's bearer scheme, registered by `watchparty.app` through `security_map`.

    connexion 3.3 runs `inspect.signature` on `bearer_info` twice per request to learn
    which keyword arguments it takes (~0.1 ms, 2.3% of a loaded server's samples); the
    answer never changes for a function, so it is cached.
    """

    @staticmethod
    @functools.cache
    def _accepts_kwarg(func: Callable[..., Any], keyword: str) -> bool:
        return bool(AbstractSecurityHandler._accepts_kwarg(func, keyword))
