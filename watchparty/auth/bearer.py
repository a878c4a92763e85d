"""The spec's `x-bearerInfoFunc`: check an access JWT for connexion (DESIGN §5).

Connexion calls this synchronously for every operation with `bearerAuth`, so it only decodes
and checks the token; it must not touch the database. Whether the user still exists, is
allowed in, and still holds the session is checked by `watchparty.deps.current_user`.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt

from watchparty.auth.tokens import decode_access_token
from watchparty.settings import Settings, get_settings

__all__ = ["bearer_info"]

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
