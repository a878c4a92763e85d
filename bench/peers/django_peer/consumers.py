"""The party socket as a Channels consumer: a `playback.seek` is stored, then group-sent to
the party as `playback.state` (the in-memory layer, or channels_redis across processes)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone
from rest_framework.exceptions import APIException

from django_peer.auth import user_of_token
from django_peer.models import Party, PartyPlayback, User
from django_peer.serializers import now_ms, playback_event
from django_peer.views import load_party


def frame(type_: str, payload: Any) -> dict[str, Any]:
    return {"type": type_, "ts": now_ms(), "payload": payload}


class PartyConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    user: User
    party_id: uuid.UUID
    group: str

    async def connect(self) -> None:
        self.party_id = self.scope["url_route"]["kwargs"]["party_id"]
        token = parse_qs(self.scope["query_string"].decode()).get("token", [""])[0]
        try:
            joined = await self.join(token)
        except APIException:
            await self.close(code=4403)
            return
        self.group = f"party_{self.party_id.hex}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(frame("playback.state", joined))
        await self.send_json(frame("presence", {"count": None}))

    @database_sync_to_async
    def join(self, token: str) -> dict[str, Any]:
        self.user = user_of_token(token)
        party: Any = load_party(self.user, self.party_id)
        if not party.takes_part:
            raise APIException("not a participant")
        row = PartyPlayback.objects.filter(party_id=party.id).first()
        return playback_event(row, party, cause="join", actor=None)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        payload = content.get("payload") or {}
        if content.get("type") == "playback.seek":
            event = await self.seek(float(payload["position"]))
            if event is None:
                await self.send_json(frame("error", {"code": "permission_denied"}))
                return
            await self.channel_layer.group_send(
                self.group, {"type": "playback.state", "payload": event}
            )
        elif content.get("type") == "sync.ping":
            await self.send_json(
                frame("sync.pong", {"client_ts": payload.get("client_ts"), "server_ts": now_ms()})
            )

    @database_sync_to_async
    def seek(self, position: float) -> dict[str, Any] | None:
        """Store the new position (seq + 1); the event to send, or None if not allowed."""
        party = Party.objects.select_related("video").get(pk=self.party_id)
        if party.host_id != self.user.id and not party.allow_guest_control:
            return None
        row = PartyPlayback.objects.filter(party_id=party.id).first()
        if row is None:
            row = PartyPlayback(party=party, ref_ts=now_ms())
        row.position, row.ref_ts, row.seq, row.updated_at = (
            position,
            now_ms(),
            row.seq + 1,
            timezone.now(),
        )
        row.save()
        return playback_event(row, party, cause="seek", actor=self.user)

    async def playback_state(self, event: dict[str, Any]) -> None:
        await self.send_json(frame("playback.state", event["payload"]))

    async def message_created(self, event: dict[str, Any]) -> None:
        await self.send_json(frame("message.created", event["payload"]))
