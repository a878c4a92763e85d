"""Expand the catalog's realtime part into AsyncAPI 3.0 and a JSON Schema of every frame.

Each message type becomes a frame schema per direction (`ClientPlaybackSeek`,
`ServerPlaybackState`): the envelope of DESIGN §4 around the payload schema.
"""

from __future__ import annotations

from typing import Any

from watchparty.codegen.catalog import Catalog, frame_name
from watchparty.codegen.schemas import REF_PREFIX, closure, to_json_schema

__all__ = ["build_asyncapi", "frame_schemas", "frames_json_schema", "DIRECTIONS"]

DIRECTIONS = ("client", "server")
OTHER_SIDE = {"client": "server", "server": "client"}

DESCRIPTION = """\
Realtime channels of the Watch Party API (DESIGN §4).

**Connecting.** Authenticate with `?token=<access JWT>` or the subprotocol header
`Sec-WebSocket-Protocol: bearer, <access JWT>` (the server answers with `bearer`).
Close codes: 4401 bad, missing or expired token; 4403 not allowed (not a participant,
or an Origin that is not allowed); 4404 unknown party; 1008 flooding (per-socket rate
limit); 1009 frame too large.

**Envelope.** Every frame, both directions, is
`{"type": "<message type>", "id": "<client message id>", "payload": {...}}`; frames the
server sends add `"ts"` (server time, ms since the epoch). A frame the server cannot
accept (invalid JSON, unknown type, invalid payload, not allowed) is answered with an
`error` frame whose `ref` is the offending frame's `id`; the socket stays open.

**Clock sync.** Send `sync.ping {client_ts: t0}` (your clock, ms); the server answers
`sync.pong {client_ts: t0, server_ts: ts}`. On receipt at your time t1:
`rtt = t1 - t0` and `offset = ts - (t0 + t1) / 2` (server clock minus yours). Keep the
sample with the smallest RTT of the last few.

**Playback position.** The server owns `playback.state {status, position, rate, ref_ts}`.
While playing, the room position at your time `now` is
`position + ((now + offset) - ref_ts) / 1000 * rate`; while paused it is `position`.
"""


def _frame(catalog: Catalog, direction: str, message_type: str) -> dict[str, Any]:
    payload = catalog.messages[message_type][direction]
    properties: dict[str, Any] = {
        "type": {"type": "string", "enum": [message_type]},
        "id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "Client-chosen message id; the server echoes it as `ref` in errors."
            if direction == "client"
            else "Id of the client frame this answers, when it answers one.",
        },
    }
    required = ["type", "payload"]
    if direction == "server":
        properties["ts"] = {"type": "integer", "description": "Server time, ms since the epoch."}
        required.insert(1, "ts")
    properties["payload"] = {"$ref": REF_PREFIX + payload}
    example: dict[str, Any] = {"type": message_type}
    if direction == "client":
        example["id"] = "c-42"
    else:
        example["ts"] = 1764086400123
    example["payload"] = catalog.schemas[payload]["example"]
    entry = catalog.messages[message_type]
    return {
        "type": "object",
        "description": entry.get("description") or entry.get("summary", message_type),
        "required": required,
        "properties": properties,
        "example": example,
    }


def frame_schemas(catalog: Catalog) -> dict[str, Any]:
    """Frame schemas (OpenAPI dialect, like the schema files) keyed by frame name."""
    frames: dict[str, Any] = {}
    for message_type in sorted(catalog.messages):
        for direction in DIRECTIONS:
            if catalog.messages[message_type].get(direction):
                frames[frame_name(direction, message_type)] = _frame(
                    catalog, direction, message_type
                )
    return frames


def _json_schemas(catalog: Catalog, ref_prefix: str) -> dict[str, Any]:
    frames = frame_schemas(catalog)
    payloads = {
        catalog.messages[t][d]
        for t in catalog.messages
        for d in DIRECTIONS
        if catalog.messages[t].get(d)
    }
    reached = closure(catalog.schemas, payloads)
    named = {name: catalog.schemas[name] for name in sorted(reached)} | frames
    return {name: to_json_schema(schema, ref_prefix) for name, schema in named.items()}


def frames_json_schema(catalog: Catalog) -> dict[str, Any]:
    """One JSON Schema document: every frame and payload, and the `ClientFrame`/`ServerFrame`
    unions."""
    defs = _json_schemas(catalog, "#/$defs/")
    for direction in DIRECTIONS:
        members = {
            t: frame_name(direction, t)
            for t in sorted(catalog.messages)
            if catalog.messages[t].get(direction)
        }
        defs[f"{direction.capitalize()}Frame"] = {
            "description": f"Any frame the {direction} sends, told apart by `type`.",
            "oneOf": [{"$ref": f"#/$defs/{name}"} for name in members.values()],
            "discriminator": {
                "propertyName": "type",
                "mapping": {t: f"#/$defs/{name}" for t, name in members.items()},
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "WatchPartyFrames",
        "$defs": defs,
    }


def build_asyncapi(catalog: Catalog) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for message_type in sorted(catalog.messages):
        entry = catalog.messages[message_type]
        for direction in DIRECTIONS:
            if not entry.get(direction):
                continue
            name = frame_name(direction, message_type)
            frame = _frame(catalog, direction, message_type)
            message: dict[str, Any] = {
                "name": message_type,
                "title": f"{message_type} ({direction} → {OTHER_SIDE[direction]})",
            }
            if entry.get("summary"):
                message["summary"] = entry["summary"]
            if entry.get("description"):
                message["description"] = entry["description"]
            message["payload"] = {"$ref": REF_PREFIX + name}
            message["examples"] = [{"name": "default", "payload": frame["example"]}]
            messages[name] = message
    for channel in catalog.channels:
        names = {d: [frame_name(d, t) for t in getattr(channel, d)] for d in DIRECTIONS}
        body: dict[str, Any] = {
            "address": channel.address,
            "title": channel.id,
            "summary": channel.summary,
        }
        if channel.description:
            body["description"] = channel.description
        if channel.params:
            body["parameters"] = {p: {"description": f"`{p}` (UUID)."} for p in channel.params}
        body["messages"] = {
            n: {"$ref": f"#/components/messages/{n}"} for n in names["client"] + names["server"]
        }
        channels[channel.id] = body
        # The document describes the server: it receives client frames and sends server frames.
        for direction, action in (("client", "receive"), ("server", "send")):
            if names[direction]:
                operations[f"{channel.id}.{action}"] = {
                    "action": action,
                    "channel": {"$ref": f"#/channels/{channel.id}"},
                    "summary": f"Frames the {direction} sends on {channel.address}",
                    "messages": [
                        {"$ref": f"#/channels/{channel.id}/messages/{n}"} for n in names[direction]
                    ],
                }
        if channel.access:
            body["x-access"] = channel.access
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"{catalog.info['title']} realtime",
            "version": catalog.info["version"],
            "description": DESCRIPTION,
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "localhost:8000",
                "protocol": "ws",
                "description": "`watchparty serve` on its defaults.",
                "security": [
                    {"$ref": "#/components/securitySchemes/queryToken"},
                    {"$ref": "#/components/securitySchemes/bearerProtocol"},
                ],
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "securitySchemes": {
                "queryToken": {
                    "type": "httpApiKey",
                    "name": "token",
                    "in": "query",
                    "description": "Access JWT in the query string.",
                },
                "bearerProtocol": {
                    "type": "httpApiKey",
                    "name": "Sec-WebSocket-Protocol",
                    "in": "header",
                    "description": "`bearer, <access JWT>` as WebSocket subprotocols.",
                },
            },
            "messages": messages,
            "schemas": _json_schemas(catalog, REF_PREFIX),
        },
    }
