"""CORS for browsers on other origins and the WebSocket Origin check (issue 11).

Kept apart from `watchparty.web` so the mock can use it without loading the server's logging
and metrics (its start-up budget is under a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

__all__ = ["cors_middleware", "origin_allowed", "EXPOSED_HEADERS"]

# What browsers may read cross-origin: throttling, created resources, request ids.
EXPOSED_HEADERS = ("Retry-After", "Location", "Link", "X-Request-ID")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID", "Prefer")
CORS_MAX_AGE_SECS = 600


def cors_middleware(origins: Sequence[str]) -> list[Middleware]:
    """CORS for `origins` (`*`: any, echoed so credentials work); [] when none is allowed.

    Credentials are allowed (the refresh flow may use a cookie); preflights are answered
    here, before authentication.
    """
    if not origins:
        return []
    any_origin = "*" in origins
    options: dict[str, Any] = {
        "allow_origins": [] if any_origin else list(origins),
        "allow_origin_regex": ".*" if any_origin else None,
        "allow_credentials": True,
        "allow_methods": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        "allow_headers": list(ALLOWED_HEADERS),
        "expose_headers": list(EXPOSED_HEADERS),
        "max_age": CORS_MAX_AGE_SECS,
    }
    return [Middleware(CORSMiddleware, **options)]


def origin_allowed(headers: Headers, origins: Sequence[str]) -> bool:
    """Whether a WebSocket handshake's `Origin` may connect (against cross-site hijacking).

    No Origin (not a browser), the server's own origin, or an allowed one pass.
    """
    origin = headers.get("origin")
    if origin is None or "*" in origins or origin.rstrip("/") in origins:
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()
