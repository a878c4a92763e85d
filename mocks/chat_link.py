"""Stateful mode: party chat over REST and over `/ws/chat/` is one conversation (issue 4).

A message sent on the socket is stored where `GET /api/chat/{partyId}/messages/` lists it;
one sent over REST reaches the chat room as `message.created`, and a REST delete as
`message.deleted`, as on the real server. The REST collection is found from the specs: the
one whose created items have the schema of the `message.created` frame's payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generated.channels import CHANNELS
from mocks.engine import MockEngine
from mocks.spec import resolve
from mocks.state import Collection
from mocks.ws import MockRealtime

__all__ = ["link_chat"]

PARTY_PARAM = "partyId"


def _chat_collection(engine: MockEngine, asyncapi: Mapping[str, Any]) -> Collection | None:
    components = asyncapi["components"]
    frames = [m for m in components["messages"].values() if m.get("name") == "message.created"]
    if not frames:
        return None
    payload = resolve(frames[0]["payload"], components)["properties"]["payload"]
    for op_id, coll in engine.creators.items():
        op = engine.ops[op_id]
        if op.schema(op.success) == payload and PARTY_PARAM in coll.path:
            return coll
    return None


def link_chat(engine: MockEngine, realtime: MockRealtime, asyncapi: Mapping[str, Any]) -> bool:
    """Join the REST chat store and the chat rooms; False when the mock is not stateful."""
    store, coll = engine.store, _chat_collection(engine, asyncapi)
    if store is None or coll is None:
        return False
    rest_prefix, rest_suffix = coll.path.split(f"{{{PARTY_PARAM}}}")
    room_prefix, room_suffix = CHANNELS["chat"].address.split(f"{{{PARTY_PARAM}}}")

    def from_socket(party_id: str, message: dict[str, Any]) -> None:
        store.put(f"{rest_prefix}{party_id}{rest_suffix}", message["id"], message)

    def from_rest(
        event: str, where: str, rid: str, record: dict[str, Any], claims: Mapping[str, Any]
    ) -> None:
        if not (where.startswith(rest_prefix) and where.endswith(rest_suffix)):
            return
        party_id = where[len(rest_prefix) : len(where) - len(rest_suffix)]
        room = f"{room_prefix}{party_id}{room_suffix}"
        if event == "created":
            realtime.announce(room, "message.created", record)
        else:
            deleted = {
                "message_id": rid,
                "party_id": party_id,
                "deleted_by": realtime.user_summary(str(claims.get("sub", ""))),
            }
            realtime.announce(room, "message.deleted", deleted)

    realtime.on_chat_message = from_socket
    engine.on_change = from_rest
    return True
