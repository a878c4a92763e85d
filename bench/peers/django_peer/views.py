"""DRF views of the peer: party detail, the caller's parties (first page), chat send."""

from __future__ import annotations

import unicodedata
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, UUIDField
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from django_peer.models import (
    CalendarEvent,
    ChatMessage,
    Party,
    PartyActivity,
    PartyInvitation,
    PartyParticipant,
    PartyPlayback,
    Poll,
    User,
)
from django_peer.serializers import (
    ChatMessageCreateSerializer,
    ChatMessageSerializer,
    PartyDetailSerializer,
    PartySummarySerializer,
)

TAKING_PART = ("joined", "pending", "left")
CHAT_SUMMARY_SIZE = 20


def load_party(user: User, party_id: uuid.UUID) -> Party:
    """The party with its host, video, the caller's live invitation and participation."""
    invitation = (
        PartyInvitation.objects.filter(
            party=OuterRef("pk"), invitee=user, status="pending", expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .values("id")[:1]
    )
    party = (
        Party.objects.select_related("host", "video")
        .annotate(my_invitation_id=Subquery(invitation, output_field=UUIDField()))
        .filter(pk=party_id)
        .first()
    )
    if party is None:
        raise NotFound()
    party.mine = PartyParticipant.objects.filter(party=party, user=user).first()  # type: ignore[attr-defined]
    party.takes_part = party.mine is not None and party.mine.status in TAKING_PART  # type: ignore[attr-defined]
    return party


class PartyDetailView(APIView):
    def get(self, request: Request, party_id: uuid.UUID) -> Response:
        party: Any = load_party(request.user, party_id)
        if party.visibility == "private" and not party.takes_part and not party.my_invitation_id:
            raise NotFound()
        party.participant_rows = list(
            PartyParticipant.objects.filter(party=party, status__in=("pending", "joined"))
            .select_related("user")
            .order_by("rank", "created_at", "id")
        )
        party.participant_count = sum(p.status == "joined" for p in party.participant_rows)
        party.event_id = (
            CalendarEvent.objects.filter(party=party).values_list("id", flat=True).first()
        )
        party.chat_summary = {"message_count": 0, "last_messages": []}
        if party.takes_part:
            latest = (
                ChatMessage.objects.filter(party=party)
                .select_related("author")
                .order_by("-created_at", "-id")[:CHAT_SUMMARY_SIZE]
            )
            party.chat_summary = {
                "message_count": ChatMessage.objects.filter(party=party, deleted_at=None).count(),
                "last_messages": ChatMessageSerializer(reversed(list(latest)), many=True).data,
            }
        party.poll_rows = (
            Poll.objects.filter(party=party)
            .select_related("created_by")
            .prefetch_related("ballots")
            .order_by("-created_at", "-id")
        )
        party.playback_row = PartyPlayback.objects.filter(party_id=party.id).first()
        return Response(PartyDetailSerializer(party).data)


class PartyListView(APIView):
    def get(self, request: Request) -> Response:
        try:
            page_size = int(request.query_params.get("page_size", 20))
        except ValueError:
            raise ValidationError({"page_size": ["A valid integer is required."]}) from None
        if not 1 <= page_size <= 100:
            raise ValidationError({"page_size": ["Ensure 1 <= page_size <= 100."]})
        joined = (
            PartyParticipant.objects.filter(party=OuterRef("party_id"), status="joined")
            .values("party")
            .annotate(n=Count("id"))
            .values("n")
        )
        rows = (
            PartyParticipant.objects.filter(user=request.user, status__in=TAKING_PART)
            .select_related("party", "party__host", "party__video")
            .annotate(party_count=Coalesce(Subquery(joined, output_field=IntegerField()), 0))
            .order_by("-party__scheduled_for", "-party__id")
        )
        if "status" in request.query_params:
            rows = rows.filter(party__status=request.query_params["status"])
        rows = list(rows[: page_size + 1])
        parties = []
        for row in rows[:page_size]:
            party: Any = row.party
            party.mine, party.participant_count = row, row.party_count
            parties.append(party)
        # Cursors past the first page are not part of this peer (bench/compare.py reads page 1).
        more = "more" if len(rows) > page_size else None
        return Response(
            {
                "results": PartySummarySerializer(parties, many=True).data,
                "next": more,
                "previous": None,
                "next_cursor": more,
                "previous_cursor": None,
            }
        )


def clean_content(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()
    if not text:
        raise ValidationError({"content": ["This field may not be blank."]})
    return text


class SendChatMessageView(APIView):
    def post(self, request: Request, party_id: uuid.UUID) -> Response:
        party: Any = load_party(request.user, party_id)
        if not party.takes_part:
            raise NotFound()
        if party.mine.status != "joined":
            raise PermissionDenied("Join the party to chat.")
        if not party.chat_enabled:
            raise PermissionDenied("Chat is turned off in this party.")
        if party.mine.muted:
            raise PermissionDenied("The host has muted you in this chat.")
        incoming = ChatMessageCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        content = clean_content(data["content"])
        client_id, reply_to = data.get("client_id"), data.get("reply_to")
        if client_id is not None:  # a retry answers the stored message
            stored = ChatMessage.objects.filter(
                party=party, author=request.user, client_id=client_id
            ).first()
            if stored is not None:
                return Response(ChatMessageSerializer(stored).data)
        if (
            reply_to is not None
            and not ChatMessage.objects.filter(id=reply_to, party=party).exists()
        ):
            raise ValidationError({"reply_to": ["Not a message of this party."]})
        with transaction.atomic():
            message = ChatMessage.objects.create(
                party=party,
                author=request.user,
                content=content,
                reply_to_id=reply_to,
                client_id=client_id,
            )
            PartyActivity.objects.create(party=party, user=request.user, kind="chat_message")
        body = ChatMessageSerializer(message).data
        async_to_sync(get_channel_layer().group_send)(
            f"chat_{party.id.hex}", {"type": "message.created", "payload": body}
        )
        return Response(body, status=status.HTTP_201_CREATED)
