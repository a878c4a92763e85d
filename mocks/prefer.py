"""How a caller steers the mock, as in Prism: the `Prefer` header and `__` query forms.

`Prefer: code=404, example=empty, dynamic=true, delay=300` (RFC 7240 preferences, either
comma- or semicolon-separated), or for a browser address bar `?__code=404&__example=empty
&__dynamic=true&__delay=300`. `PreferMiddleware` reads both, *removes* the `__` parameters
from the query string before connexion sees it (so they can never trip the real server's
query validation, strict or not), sleeps for the delay and leaves the parsed `Prefer` in
the scope for the mock handlers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "Prefer",
    "PreferMiddleware",
    "SCOPE_KEY",
    "ORIGINAL_QUERY_KEY",
    "MAX_DELAY_MS",
    "parse_prefer",
    "prefer_of",
]

SCOPE_KEY = "watchparty.mock.prefer"
# The query string as the client sent it (with the `__` forms), for `next`/`previous` links.
ORIGINAL_QUERY_KEY = "watchparty.mock.query"
QUERY_PREFIX = "__"
# A typo in a delay must not hang a test run or a browser tab for an hour.
MAX_DELAY_MS = 60_000


@dataclass(frozen=True, slots=True)
class Prefer:
    code: str | None = None
    example: str | None = None
    dynamic: bool | None = None
    delay_ms: int | None = None


def parse_prefer(header: str, query: dict[str, str]) -> Prefer:
    """
    The caller's preferences; query forms win over the header (the more explicit one).

    Unknown preference names are ignored, as RFC 7240 asks; a malformed value is kept as a
    string and rejected later with a clear mock error (codes) or ignored (flags).
    """
    values: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            values[name.strip().lower()] = value.strip().strip('"')
    for name, value in query.items():
        values[name.lower()] = value
    dynamic = values.get("dynamic")
    delay = values.get("delay", "")
    return Prefer(
        code=values.get("code") or None,
        example=values.get("example") or None,
        dynamic=None if dynamic is None else dynamic.lower() in ("true", "1", "yes", ""),
        delay_ms=min(int(delay), MAX_DELAY_MS) if delay.isdigit() else None,
    )


class PreferMiddleware:
    """
    Parse the preferences of every HTTP request, strip the `__` query forms, apply delays.

    Args:
        delay_ms: the default latency (`watchparty mock --delay`); `Prefer: delay=` wins.
        paths_prefix: only requests under it are mock API calls (the `/__mock/` admin
            routes are never delayed).
    """

    def __init__(self, app: ASGIApp, *, delay_ms: int = 0, paths_prefix: str = "/api/") -> None:
        self.app = app
        self.delay_ms = delay_ms
        self.paths_prefix = paths_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.paths_prefix):
            await self.app(scope, receive, send)
            return
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        ours = {k[len(QUERY_PREFIX) :]: v for k, v in pairs if k.startswith(QUERY_PREFIX)}
        header = ",".join(
            value.decode("latin-1") for key, value in scope["headers"] if key == b"prefer"
        )
        prefer = parse_prefer(header, ours)
        scope = dict(scope)
        scope[ORIGINAL_QUERY_KEY] = scope.get("query_string", b"")
        if ours:
            rest = [(k, v) for k, v in pairs if not k.startswith(QUERY_PREFIX)]
            scope["query_string"] = urlencode(rest).encode("latin-1")
        scope[SCOPE_KEY] = prefer
        delay = prefer.delay_ms if prefer.delay_ms is not None else self.delay_ms
        if delay > 0:
            await asyncio.sleep(delay / 1000)
        await self.app(scope, receive, send)


def prefer_of(scope: Any) -> Prefer:
    """The preferences the middleware stored (defaults outside it)."""
    found = scope.get(SCOPE_KEY) if hasattr(scope, "get") else None
    return found if isinstance(found, Prefer) else Prefer()
