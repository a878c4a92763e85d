"""DRF serializers answering our JSON (`PartySummary`, `PartyDetail`, `ChatMessage`, ...)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from django_peer.models import (
    ChatMessage,
    Party,
    PartyParticipant,
    PartyPlayback,
    Poll,
    User,
    Video,
)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "avatar_url"]


class VideoSummarySerializer(serializers.ModelSerializer):
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = ["id", "title", "duration_seconds", "thumbnail_url", "processing_state"]

    def get_thumbnail_url(self, video: Video) -> None:
        return None  # media URLs of ready videos are not part of the peer


class PartySummarySerializer(serializers.ModelSerializer):
    """Reads `participant_count` and `mine` (the caller's participation) set by the view."""

    host = UserSummarySerializer()
    video = VideoSummarySerializer(allow_null=True)
    participant_count = serializers.IntegerField()
    my_role = serializers.SerializerMethodField()
    my_status = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = [
            "id",
            "title",
            "status",
            "visibility",
            "scheduled_for",
            "started_at",
            "ended_at",
            "host",
            "video",
            "participant_count",
            "max_participants",
            "my_role",
            "my_status",
            "created_at",
        ]

    def get_my_role(self, party: Party) -> str | None:
        return party.mine.role if party.mine else None  # type: ignore[attr-defined]

    def get_my_status(self, party: Party) -> str | None:
        return party.mine.status if party.mine else None  # type: ignore[attr-defined]


class PartySettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "visibility",
            "max_participants",
            "allow_guest_control",
            "chat_enabled",
            "reactions_enabled",
            "require_approval",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer()

    class Meta:
        model = PartyParticipant
        fields = ["user", "role", "status", "muted", "joined_at", "left_at"]


class ChatMessageSerializer(serializers.ModelSerializer):
    party_id = serializers.UUIDField()
    author = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    reply_to = serializers.UUIDField(source="reply_to_id", allow_null=True)
    deleted = serializers.SerializerMethodField()

    class Meta:
        model = ChatMessage
        fields = [
            "id",
            "party_id",
            "author",
            "content",
            "reply_to",
            "client_id",
            "created_at",
            "deleted",
        ]

    def get_author(self, message: ChatMessage) -> Any:
        author = message.author
        if author is None or author.status == "deleted":
            return None
        return UserSummarySerializer(author).data

    def get_content(self, message: ChatMessage) -> str:
        return "" if message.deleted_at is not None else message.content

    def get_deleted(self, message: ChatMessage) -> bool:
        return message.deleted_at is not None


class ChatMessageCreateSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=2000)  # trimmed; blank refused
    reply_to = serializers.UUIDField(required=False, allow_null=True)
    client_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", required=False)


class PollSerializer(serializers.ModelSerializer):
    """Reads the poll's prefetched `ballots`."""

    party_id = serializers.UUIDField()
    options = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    created_by = UserSummarySerializer()
    closes_at = serializers.SerializerMethodField()
    total_votes = serializers.SerializerMethodField()

    class Meta:
        model = Poll
        fields = [
            "id",
            "party_id",
            "question",
            "options",
            "multiple",
            "status",
            "created_by",
            "created_at",
            "closes_at",
            "total_votes",
        ]

    def get_options(self, poll: Poll) -> list[dict[str, Any]]:
        votes = Counter(o for b in poll.ballots.all() for o in b.option_ids)
        return [{"id": o["id"], "text": o["text"], "votes": votes[o["id"]]} for o in poll.options]

    def get_status(self, poll: Poll) -> str:
        closes = poll.closes_at is not None and poll.closes_at <= timezone.now()
        return "closed" if poll.closed_at is not None or closes else "open"

    def get_closes_at(self, poll: Poll) -> str | None:
        when = poll.closed_at or poll.closes_at
        return serializers.DateTimeField().to_representation(when) if when else None

    def get_total_votes(self, poll: Poll) -> int:
        return len(poll.ballots.all())


def playback_json(row: PartyPlayback | None, party: Party) -> dict[str, Any]:
    if row is None:
        state = {"status": "paused", "position": 0.0, "rate": 1.0, "ref_ts": now_ms()}
    else:
        state = {
            "status": row.status,
            "position": round(row.position, 3),
            "rate": row.rate,
            "ref_ts": row.ref_ts,
        }
    return {**state, "video_id": str(party.video_id) if party.video_id else None}


class PartyDetailSerializer(PartySummarySerializer):
    """Reads what the view loaded: `my_invitation_id`, `participant_rows`, `event_id`,
    `chat_summary`, `poll_rows`, `playback_row`."""

    my_invitation_id = serializers.UUIDField(allow_null=True)
    settings = PartySettingsSerializer(source="*")
    participants = ParticipantSerializer(source="participant_rows", many=True)
    chat_summary = serializers.DictField()
    polls = PollSerializer(source="poll_rows", many=True)
    playback = serializers.SerializerMethodField()
    event_id = serializers.UUIDField(allow_null=True)

    class Meta(PartySummarySerializer.Meta):
        fields = [
            *PartySummarySerializer.Meta.fields,
            "description",
            "my_invitation_id",
            "settings",
            "participants",
            "chat_summary",
            "polls",
            "playback",
            "event_id",
            "updated_at",
        ]

    def get_playback(self, party: Party) -> dict[str, Any]:
        return playback_json(party.playback_row, party)  # type: ignore[attr-defined]


def playback_event(
    row: PartyPlayback | None, party: Party, *, cause: str, actor: User | None
) -> dict[str, Any]:
    """`PlaybackStateEvent`, the payload of `playback.state` frames."""
    return {
        **playback_json(row, party),
        "seq": row.seq if row else 0,
        "cause": cause,
        "actor": UserSummarySerializer(actor).data if actor else None,
        "video": VideoSummarySerializer(party.video).data if party.video_id else None,
    }
