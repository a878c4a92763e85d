"""Every endpoint and channel the frontend guide names is in the specs (the customer's contract)."""

from __future__ import annotations

import re
from typing import Any

METHOD_PATH = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/api/[^`\s]*)`")
ANY_API_PATH = re.compile(r"(/api/[A-Za-z0-9_{}/-]+/)")
WS_PATH = re.compile(r"`(?:ws://\.\.\./)?(ws/[A-Za-z0-9_{}/-]+/)`")


def shape(path: str) -> str:
    """Compare paths without parameter names: the guide says `{id}` where we say `{videoId}`."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_method_and_path_of_the_guide_is_an_operation(
    guide: str, openapi: dict[str, Any]
) -> None:
    ours = {(m.upper(), shape(p)) for p, item in openapi["paths"].items() for m in item}
    named = {(m, shape(p)) for m, p in METHOD_PATH.findall(guide)}
    assert len(named) >= 15
    assert sorted(named - ours) == []


def test_every_api_path_the_guide_mentions_exists(guide: str, openapi: dict[str, Any]) -> None:
    ours = {shape(p) for p in openapi["paths"]}
    # Paths end with "/", so the frontend's own `app/api/auth/refresh/route.ts` reads as the
    # refresh endpoint and `docs/api/backend-endpoints.json` not at all.
    mentioned = {shape(p) for p in ANY_API_PATH.findall(guide)}
    assert len(mentioned) >= 25
    assert sorted(mentioned - ours) == []


def test_every_realtime_route_of_the_guide_is_a_channel(
    guide: str, asyncapi: dict[str, Any]
) -> None:
    ours = {shape(ch["address"]) for ch in asyncapi["channels"].values()}
    named = {shape("/" + p) for p in WS_PATH.findall(guide)}
    assert {"/ws/party/{}/", "/ws/chat/{}/", "/ws/notifications/"} <= named
    # "Polls, screen share, and voice chat routes" of apps/interactive/routing.py:
    named |= {
        "/ws/interactive/{}/polls/",
        "/ws/interactive/{}/screen-share/",
        "/ws/interactive/{}/voice/",
    }
    assert sorted(named - ours) == []
