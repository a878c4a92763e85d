"""WebSocket mocks: `ws.ts`, one MSW `ws.link` handler per AsyncAPI channel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from watchparty.codegen.msw.templates import dump_json, dump_table, fill_template, msw_path, resolve

__all__ = ["GREETING", "REPLIES", "ws_ts"]

# Server frames a socket receives on join, in this order, when its channel sends them.
GREETING = (
    "session.welcome",
    "playback.state",
    "presence",
    "poll.list",
    "share.state",
    "voice.state",
)
# Client frame -> (server frame answering it, who receives it), from the message descriptions of
# specs/backend-endpoints.json. Receivers, in mocks/ws_replies.py's words: `self` (the sender),
# the `room` (every socket on the address), `others` (the room but the sender). A client type
# missing here is answered by the server frame of the same type, sent to the whole room.
REPLIES: dict[str, tuple[str, str]] = {
    "auth.refresh": ("auth.refreshed", "self"),
    "sync.ping": ("sync.pong", "self"),
    **{
        f"playback.{verb}": ("playback.state", "room") for verb in ("play", "pause", "seek", "rate")
    },
    **{
        f"ready_check.{verb}": ("ready_check.state", "room")
        for verb in ("start", "answer", "cancel")
    },
    "message.send": ("message.created", "room"),
    "typing": ("typing", "others"),
    "resume": ("resume.complete", "self"),
    "poll.create": ("poll.created", "room"),
    "poll.vote": ("poll.results", "room"),
    "poll.close": ("poll.closed", "room"),
    **{f"share.{verb}": ("share.state", "room") for verb in ("start", "stop", "force_stop")},
    "voice.status": ("voice.state", "room"),
    **{f"rtc.{verb}": (f"rtc.{verb}", "others") for verb in ("offer", "answer", "ice", "leave")},
}


def ws_ts(asyncapi: Mapping[str, Any], msw_major: int) -> str:
    """`ws.ts` for the channels of `asyncapi` (an AsyncAPI 3 document)."""
    server_examples: dict[str, Any] = {}
    sides: dict[str, dict[str, list[str]]] = {}
    for operation in asyncapi["operations"].values():
        channel = operation["channel"]["$ref"].rsplit("/", 1)[-1]
        side = "client" if operation["action"] == "receive" else "server"  # receive: server inbox
        for ref in operation["messages"]:
            message = resolve(ref, asyncapi)  # operation -> channel message -> components message
            sides.setdefault(channel, {"client": [], "server": []})[side].append(message["name"])
            if side == "server":
                server_examples[message["name"]] = message["examples"][0]["payload"]["payload"]
    channels = []
    for name, channel in asyncapi["channels"].items():
        client, server = sides[name]["client"], sides[name]["server"]
        replies = {}
        for message_type in client:
            reply, audience = REPLIES.get(message_type, (message_type, "room"))
            if reply in server:
                replies[message_type] = [reply, audience]
        channels.append(
            {
                "id": name,
                "path": msw_path(channel["address"]).rstrip("/"),  # see `Channel.path` in ws.ts
                "greeting": [message_type for message_type in GREETING if message_type in server],
                "replies": replies,
            }
        )
    parts = {
        "EXAMPLES": dump_json(dict(sorted(server_examples.items()))),
        "CHANNELS": dump_table(channels),
    }
    return fill_template("ws.ts", msw_major, parts)
