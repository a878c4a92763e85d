"""Django models over our tables (`managed = False`: our Alembic migrations own the schema).

Only the columns the peer reads or writes; tables it inserts into are mapped whole.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

NO_ACTION = models.DO_NOTHING  # the database's own ON DELETE rules apply


class User(models.Model):
    id = models.UUIDField(primary_key=True)
    email = models.CharField(max_length=254)
    username = models.CharField(max_length=64)
    display_name = models.CharField(max_length=60)
    avatar_url = models.CharField(max_length=500, null=True)
    role = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    suspended_until = models.DateTimeField(null=True)

    is_authenticated = True  # what DRF's IsAuthenticated asks

    class Meta:
        managed = False
        db_table = "users"


class RefreshTokenFamily(models.Model):
    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, NO_ACTION, related_name="+")
    revoked_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "refresh_token_families"


class Video(models.Model):
    id = models.UUIDField(primary_key=True)
    title = models.CharField(max_length=200)
    processing_state = models.CharField(max_length=16)
    duration_seconds = models.FloatField(null=True)
    thumbnail_key = models.CharField(max_length=255, null=True)

    class Meta:
        managed = False
        db_table = "videos"


class Party(models.Model):
    id = models.UUIDField(primary_key=True)
    host = models.ForeignKey(User, NO_ACTION, related_name="+")
    title = models.CharField(max_length=120)
    description = models.TextField()
    status = models.CharField(max_length=16)
    visibility = models.CharField(max_length=16)
    max_participants = models.IntegerField()
    allow_guest_control = models.BooleanField()
    chat_enabled = models.BooleanField()
    reactions_enabled = models.BooleanField()
    require_approval = models.BooleanField()
    video = models.ForeignKey(Video, NO_ACTION, null=True, related_name="+")
    scheduled_for = models.DateTimeField()
    started_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "parties"


class PartyParticipant(models.Model):
    id = models.UUIDField(primary_key=True)
    party = models.ForeignKey(Party, NO_ACTION, related_name="participants")
    user = models.ForeignKey(User, NO_ACTION, related_name="+")
    role = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    muted = models.BooleanField()
    rank = models.IntegerField()
    joined_at = models.DateTimeField(null=True)
    left_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "party_participants"


class PartyInvitation(models.Model):
    id = models.UUIDField(primary_key=True)
    party = models.ForeignKey(Party, NO_ACTION, related_name="+")
    invitee = models.ForeignKey(User, NO_ACTION, null=True, related_name="+")
    status = models.CharField(max_length=16)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "party_invitations"


class CalendarEvent(models.Model):
    id = models.UUIDField(primary_key=True)
    party = models.ForeignKey(Party, NO_ACTION, null=True, related_name="+")

    class Meta:
        managed = False
        db_table = "calendar_events"


class ChatMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    party = models.ForeignKey(Party, NO_ACTION, related_name="+")
    author = models.ForeignKey(User, NO_ACTION, null=True, related_name="+")
    content = models.TextField()
    reply_to = models.ForeignKey("self", NO_ACTION, null=True, related_name="+")
    client_id = models.CharField(max_length=64, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True)
    deleted_by = models.ForeignKey(User, NO_ACTION, null=True, related_name="+")

    class Meta:
        managed = False
        db_table = "chat_messages"


class PartyActivity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    party = models.ForeignKey(Party, NO_ACTION, related_name="+")
    user = models.ForeignKey(User, NO_ACTION, null=True, related_name="+")
    kind = models.CharField(max_length=16)
    data = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        managed = False
        db_table = "party_activity"


class PartyPlayback(models.Model):
    party = models.OneToOneField(Party, NO_ACTION, primary_key=True, related_name="+")
    status = models.CharField(max_length=8, default="paused")
    position = models.FloatField(default=0.0)
    rate = models.FloatField(default=1.0)
    ref_ts = models.BigIntegerField()
    seq = models.IntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        managed = False
        db_table = "party_playback"


class Poll(models.Model):
    id = models.UUIDField(primary_key=True)
    party = models.ForeignKey(Party, NO_ACTION, related_name="+")
    question = models.CharField(max_length=200)
    options = models.JSONField()
    multiple = models.BooleanField()
    created_by = models.ForeignKey(User, NO_ACTION, db_column="created_by", related_name="+")
    created_at = models.DateTimeField()
    closes_at = models.DateTimeField(null=True)
    closed_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "polls"


class PollBallot(models.Model):
    id = models.UUIDField(primary_key=True)
    poll = models.ForeignKey(Poll, NO_ACTION, related_name="ballots")
    user = models.ForeignKey(User, NO_ACTION, related_name="+")
    option_ids = models.JSONField()

    class Meta:
        managed = False
        db_table = "poll_ballots"
