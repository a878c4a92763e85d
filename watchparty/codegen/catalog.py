"""Read `specs/backend-endpoints.json` and answer the questions every generator asks.

See docs/catalog.md for the format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchparty.codegen.schemas import load_schemas

__all__ = ["Catalog", "Operation", "Channel", "load_catalog", "handler_name", "frame_name"]

PATH_PARAM = re.compile(r"\{([A-Za-z][A-Za-z0-9]*)\}")
AUTH_LEVELS = ("public", "user", "moderator", "admin")


def handler_name(operation_id: str) -> str:
    """`createParty` -> `create_party` (the function in handlers/<tag>.py)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def frame_name(direction: str, message_type: str) -> str:
    """`("client", "playback.seek")` -> `ClientPlaybackSeek`."""
    words = re.split(r"[._]", message_type)
    return direction.capitalize() + "".join(word.capitalize() for word in words)


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    tag: str
    summary: str
    auth: str
    description: str = ""
    access: str | None = None
    throttle: str | None = None
    paginate: bool = False
    query: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    request: str | None = None
    responses: dict[str, str | None] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    idempotent: bool | str = False  # True: optional Idempotency-Key header; "required"
    links: dict[str, list[str]] = field(default_factory=dict)

    @property
    def path_params(self) -> list[str]:
        return PATH_PARAM.findall(self.path)

    @property
    def handler(self) -> str:
        return f"handlers.{self.tag}.{handler_name(self.id)}"


@dataclass(frozen=True)
class Channel:
    id: str
    address: str
    summary: str
    client: tuple[str, ...]
    server: tuple[str, ...]
    description: str = ""
    access: str | None = None

    @property
    def params(self) -> list[str]:
        return PATH_PARAM.findall(self.address)


@dataclass
class Catalog:
    info: dict[str, Any]
    throttles: dict[str, str]
    access: dict[str, dict[str, Any]]  # rule -> {meaning, forbidden}
    operations: list[Operation]
    messages: dict[str, dict[str, str]]
    channels: list[Channel]
    schemas: dict[str, Any]

    def check(self) -> list[str]:
        """Everything in the catalog that the generators could not honour."""
        problems: list[str] = []
        seen: set[str] = set()
        routes: set[tuple[str, str]] = set()
        for op in self.operations:
            where = f"operation {op.id}"
            if op.id in seen:
                problems.append(f"{where}: duplicate operationId")
            seen.add(op.id)
            if (op.method, op.path) in routes:
                problems.append(f"{where}: duplicate {op.method} {op.path}")
            routes.add((op.method, op.path))
            if not re.fullmatch(r"/api/(.+/)?", op.path):
                problems.append(f"{where}: path must start with /api/ and end with /")
            if op.auth not in AUTH_LEVELS:
                problems.append(f"{where}: auth must be one of {AUTH_LEVELS}")
            if op.access and op.access not in self.access:
                problems.append(f"{where}: unknown access rule {op.access!r}")
            if op.idempotent not in (False, True, "required"):
                problems.append(f'{where}: idempotent must be true or "required"')
            if op.throttle and op.throttle not in self.throttles:
                problems.append(f"{where}: unknown throttle scope {op.throttle!r}")
            problems += self._link_problems(op, where)
        for message_type, message in self.messages.items():
            for direction in ("client", "server"):
                name = message.get(direction)
                if name and name not in self.schemas:
                    problems.append(f"message {message_type}: unknown schema {name}")
        for channel in self.channels:
            for direction in ("client", "server"):
                for message_type in getattr(channel, direction):
                    if not self.messages.get(message_type, {}).get(direction):
                        problems.append(
                            f"channel {channel.id}: no {direction} message {message_type!r}"
                        )
        return problems

    def _link_problems(self, op: Operation, where: str) -> list[str]:
        """A link names a path parameter or a JSON body field of its target, once per target."""
        by_id = {o.id: o for o in self.operations}
        problems: list[str] = []
        targets: list[str] = []
        for param, target_ids in op.links.items():
            for target_id in target_ids:
                targets.append(target_id)
                target = by_id.get(target_id)
                if target is None:
                    problems.append(f"{where}: link to unknown {target_id}")
                    continue
                request = self.schemas.get(target.request or "", {})
                if param not in target.path_params and param not in request.get("properties", {}):
                    problems.append(
                        f"{where}: link {param!r} is neither a path parameter nor a JSON body "
                        f"field of {target_id}"
                    )
        twice = sorted({t for t in targets if targets.count(t) > 1})
        problems += [f"{where}: two links to {target_id}" for target_id in twice]
        return problems


def load_catalog(specs_dir: Path) -> Catalog:
    raw = json.loads((specs_dir / "backend-endpoints.json").read_text(encoding="utf-8"))
    operations = [
        Operation(**{**entry, "errors": tuple(entry.get("errors", ()))})
        for entry in raw["operations"]
    ]
    channels = [
        Channel(**{**entry, "client": tuple(entry["client"]), "server": tuple(entry["server"])})
        for entry in raw.get("channels", [])
    ]
    return Catalog(
        info=raw["info"],
        throttles=raw["throttles"],
        access=raw["access"],
        operations=operations,
        messages=raw.get("messages", {}),
        channels=channels,
        schemas=load_schemas(specs_dir / "schemas"),
    )
