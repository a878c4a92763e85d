"""Videos and their processing jobs (issue 7; see watchparty.services.videos).

A video's files live in the storage backend under `videos/<id>/` (original, transcoded copy,
thumbnail, poster); the row keeps their keys, never paths, so the backend can change.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from watchparty.tables.columns import fk, user_fk, uuid_pk, when

__all__ = ["Video", "VideoProcessingJob"]


class Video(SQLModel, table=True):
    __tablename__ = "videos"

    id: uuid.UUID = uuid_pk()
    owner_id: uuid.UUID = user_fk()
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    # awaiting_upload (pre-signed upload not completed), uploaded
    upload_state: str = Field(default="uploaded", max_length=16)
    # queued, probing, transcoding, ready, failed (mirrors the job's state)
    processing_state: str = Field(default="queued", max_length=16, index=True)
    # Stored size once the bytes are in; for a pre-signed upload, the size announced first.
    size_bytes: int | None = Field(default=None, sa_type=sa.BigInteger, nullable=True)
    declared_size_bytes: int | None = Field(default=None, sa_type=sa.BigInteger, nullable=True)
    content_type: str | None = Field(default=None, max_length=64)
    original_filename: str | None = Field(default=None, max_length=255)
    original_key: str = Field(max_length=255)
    stream_key: str | None = Field(default=None, max_length=255)
    thumbnail_key: str | None = Field(default=None, max_length=255)
    poster_key: str | None = Field(default=None, max_length=255)
    duration_seconds: float | None = Field(default=None)
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    video_codec: str | None = Field(default=None, max_length=64)
    audio_codec: str | None = Field(default=None, max_length=64)
    container: str | None = Field(default=None, max_length=128)
    # Until when a pre-signed upload may arrive; unfinished uploads are removed after it.
    upload_expires_at: dt.datetime | None = when(nullable=True)
    created_at: dt.datetime = when(index=True)
    updated_at: dt.datetime = when()
    ready_at: dt.datetime | None = when(nullable=True)


class VideoProcessingJob(SQLModel, table=True):
    """The processing job of one video (one row per video, reused by every attempt).

    A worker claims it by setting `lease_expires_at` and renews the lease while it works; a
    job whose lease ran out was interrupted (worker crash) and is queued again.
    """

    __tablename__ = "video_processing_jobs"
    __table_args__ = (sa.UniqueConstraint("video_id"),)

    id: uuid.UUID = uuid_pk()
    video_id: uuid.UUID = fk("videos.id", index=False)
    state: str = Field(default="queued", max_length=16, index=True)
    progress: int = Field(default=0)
    error: str | None = Field(default=None, max_length=500)
    error_code: str | None = Field(default=None, max_length=32)
    # Times a worker started the job.
    attempt: int = Field(default=0)
    lease_expires_at: dt.datetime | None = when(nullable=True)
    # When it was last put on the bus: a queued job not picked up for long is sent again.
    queued_at: dt.datetime | None = when(nullable=True)
    # The attempt whose outcome was announced (notification, video_ready), so it happens once.
    announced_attempt: int = Field(default=0)
    created_at: dt.datetime = when()
    started_at: dt.datetime | None = when(nullable=True)
    finished_at: dt.datetime | None = when(nullable=True)
    updated_at: dt.datetime = when()
