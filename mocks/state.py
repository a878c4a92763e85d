"""Stateful mode (`watchparty mock --stateful`): what a POST creates, later calls see.

Which collection a resource belongs to is read from the spec, never listed by hand:
- an operation whose path ends on a parameter (`/api/parties/{partyId}/`) addresses an item
  of the collection at the path before it (`/api/parties/`);
- a POST creates into that collection when its success response `links` to such an item
  operation (`createParty` -> `getParty`; `sendChatMessage` -> `deleteChatMessage`), or when
  it shares its path with a paginated GET (`sendDirectMessage` and
  `listConversationMessages`); the link's `$response.body#/...` names the id field;
- the paginated GET on the collection path lists it; GET/PATCH/DELETE on the item path read,
  merge into and remove a record; any other operation under the item path answers 404 for
  an unknown id and otherwise its usual mock response.
Collections are keyed by their concrete path, so `/api/chat/<party A>/messages/` and
`/api/chat/<party B>/messages/` hold different messages. State lives in this process only.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mocks.data import Generator
from mocks.operations import MockOperation
from mocks.spec import flatten

__all__ = ["Collection", "Store", "find_collections", "overlay", "project", "snake"]


@dataclass(frozen=True, slots=True)
class Collection:
    path: str  # template, e.g. "/api/chat/{partyId}/messages/"
    param: str | None  # path parameter of an item, None when items have no own path
    id_field: str  # where a created body carries the new id, e.g. "id"

    @property
    def item_path(self) -> str | None:
        return None if self.param is None else f"{self.path}{{{self.param}}}/"


def snake(name: str) -> str:
    """`userId` -> `user_id` (path parameters are camelCase, body fields snake_case)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def find_collections(ops: Mapping[str, MockOperation]) -> dict[str, Collection]:
    """The creating operations: operationId -> the collection it creates into."""
    by_item_path = {op.path: op.item_param for op in ops.values() if op.item_param is not None}
    lists = {op.path for op in ops.values() if op.method == "GET" and op.paginate}
    creators: dict[str, Collection] = {}
    for op in ops.values():
        if op.method != "POST":
            continue
        for link in op.links.values():
            target = ops.get(link.get("operationId", ""))
            if target is None or target.path not in by_item_path:
                continue
            param = by_item_path[target.path]
            pointer = str((link.get("parameters") or {}).get(param, "$response.body#/id"))
            if not pointer.startswith("$response.body#/"):
                continue
            base = target.path[: -len(f"{{{param}}}/")]
            creators[op.id] = Collection(base, param, pointer.removeprefix("$response.body#/"))
            break
        else:
            if op.path in lists:
                item = f"{op.path}{{"
                nested = next(
                    (p for path, p in by_item_path.items() if path.startswith(item)), None
                )
                creators[op.id] = Collection(op.path, nested, "id")
    return creators


class Store:
    """
    Records per concrete collection path, newest last; ids are seeded UUIDs (version 4).

    Args:
        seed: the mock's seed, so a fresh mock hands out the same ids in the same order.
    """

    def __init__(self, *, seed: int) -> None:
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        self._rng = random.Random(f"watchparty-mock-ids:{self.seed}")

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def put(self, collection: str, rid: str, record: dict[str, Any]) -> None:
        self.records.setdefault(collection, {})[rid] = record

    def get(self, collection: str, rid: str) -> dict[str, Any] | None:
        return self.records.get(collection, {}).get(rid)

    def delete(self, collection: str, rid: str) -> bool:
        return self.records.get(collection, {}).pop(rid, None) is not None

    def items(self, collection: str) -> list[tuple[str, dict[str, Any]]]:
        """Newest first, like the real lists' default order."""
        return list(reversed(self.records.get(collection, {}).items()))

    def known(self, collection: str) -> bool:
        return collection in self.records


def overlay(
    record: dict[str, Any], changes: Any, schema: Mapping[str, Any], *, gen: Generator
) -> None:
    """Copy request fields the response also has, each only if it stays valid there."""
    if not isinstance(changes, dict):
        return
    props = flatten(schema, gen.components).get("properties", {})
    for key, value in changes.items():
        if key not in props:
            continue
        current = record.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            candidate = {**current, **value}
        else:
            candidate = value
        if gen.checker.is_valid(candidate, props[key]):
            record[key] = candidate


def project(
    record: dict[str, Any], schema: Mapping[str, Any], rid: str, *, gen: Generator, seed: int
) -> Any:
    """The record seen through another schema (a detail as a list summary, ...)."""
    if gen.checker.is_valid(record, schema):
        return record
    out = gen.generate(schema, seed=f"{seed}|project|{rid}")
    if not isinstance(out, dict):
        return out
    for key, sub in flatten(schema, gen.components).get("properties", {}).items():
        value = rid if key == "id" else record.get(key)
        if (key in record or key == "id") and gen.checker.is_valid(value, sub):
            out[key] = value
    return out
