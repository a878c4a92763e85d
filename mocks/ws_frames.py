"""Building blocks of the mock's WebSocket replies: reply frames, errors, room state."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

__all__ = ["Reply", "FrameError", "RoomState", "Audience", "now_ms", "iso_now", "new_id"]

Audience = Literal["self", "room", "others", "peer", "user"]


@dataclass(frozen=True, slots=True)
class Reply:
    audience: Audience
    type: str
    payload: dict[str, Any]
    peer: str | None = None  # connection id, for audience "peer"


class FrameError(Exception):
    """A client frame that cannot be applied: answered with an `error` frame."""

    def __init__(self, code: str, detail: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.fields = code, detail, fields


@dataclass
class RoomState:
    playback: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    polls: dict[str, dict[str, Any]] = field(default_factory=dict)
    ballots: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    ready_check: dict[str, Any] | None = None


def now_ms() -> int:
    return int(time.time() * 1000)


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return str(uuid.uuid4())
