"""Video uploads: multipart through the API, or pre-signed straight to storage (issue 7).

Both ways end the same: the bytes are in storage under `videos/<id>/original`, checked
against the size limit, the owner's plan quota and the video magic numbers, and the video's
processing job is queued (`watchparty.services.video_jobs.enqueue`). Bytes are streamed:
`_VideoSink` counts, sniffs the first bytes and forwards chunks to the storage writer, so
memory stays flat whatever the file size.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from watchparty.db import utcnow
from watchparty.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    UnsupportedMediaType,
)
from watchparty.media.sniff import ACCEPTED_TYPES, HEAD_BYTES, sniff_video_type
from watchparty.plans import plan_limits
from watchparty.runtime import runtime
from watchparty.services.support_files import safe_filename
from watchparty.services.video_jobs import enqueue, new_job
from watchparty.services.videos import storage
from watchparty.storage import PresignedPut, StorageWriter
from watchparty.storage.body import FilePart, StreamedBody, read_upload_form
from watchparty.storage.signing import verify
from watchparty.tables import User, Video, VideoProcessingJob

__all__ = [
    "check_complete_upload",
    "check_create_upload_url",
    "check_receive_blob",
    "check_upload_video",
    "check_uploader",
    "original_key",
]


def original_key(video_id: uuid.UUID) -> str:
    return f"videos/{video_id}/original"


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The file is larger than the {limit} byte limit.", code="file_too_large"
    )


def _over_quota(remaining: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The file exceeds your plan's remaining upload quota ({max(remaining, 0)} bytes).",
        code="upload_quota_exceeded",
    )


def _not_video(what: str) -> UnsupportedMediaType:
    return UnsupportedMediaType(f"{what} is not a video container.", code="unsupported_media_type")


def check_uploader(user: User) -> None:
    """Catalog rule `uploader`: the role and the plan must both allow uploads (else 403)."""
    if user.role not in runtime().settings.video_upload_roles or not plan_limits(user).uploads:
        raise PermissionDenied("Your account may not upload videos.", code="uploads_not_allowed")


async def _used_bytes(session: AsyncSession, user: User, *, besides: uuid.UUID | None) -> int:
    """Bytes the user's videos take, counting announced sizes of awaited uploads."""
    size = sa.func.coalesce(Video.size_bytes, Video.declared_size_bytes, 0)
    stmt = sa.select(sa.func.coalesce(sa.func.sum(size), 0)).where(Video.owner_id == user.id)  # type: ignore[arg-type]
    if besides is not None:
        stmt = stmt.where(Video.id != besides)  # type: ignore[arg-type]
    return int((await session.exec(stmt)).one()[0])  # type: ignore[call-overload]


async def _remaining_quota(
    session: AsyncSession, user: User, *, besides: uuid.UUID | None = None
) -> int:
    """The user's unused quota, read under their row's write lock until the commit.

    Two uploads checking the quota at once would both pass; the no-op UPDATE makes them
    queue (a row lock on PostgreSQL, the write lock on SQLite), as `lock_party` does.
    """
    await session.exec(sa.update(User).where(col(User.id) == user.id).values(role=col(User.role)))
    return plan_limits(user).upload_quota_bytes - await _used_bytes(session, user, besides=besides)


class _VideoSink:
    """Counts, sniffs and forwards an upload's bytes to a storage writer.

    Raises PayloadTooLarge past `max_bytes` (`file_too_large` when the size limit is what
    binds, `upload_quota_exceeded` when the quota is) and UnsupportedMediaType when the
    first bytes are no video container.
    """

    def __init__(self, writer: StorageWriter, *, limit: int, remaining: int) -> None:
        self.writer = writer
        self.size = 0
        self.content_type: str | None = None
        self._limit, self._remaining = limit, remaining
        self._head = bytearray()

    async def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._limit:
            raise _too_large(self._limit)
        if self.size > self._remaining:
            raise _over_quota(self._remaining)
        if self.content_type is None:
            self._head += chunk
            if len(self._head) < HEAD_BYTES:
                return
            await self._sniff()
            chunk, self._head = bytes(self._head), bytearray()
        await self.writer.write(chunk)

    async def _sniff(self) -> None:
        self.content_type = sniff_video_type(bytes(self._head))
        if self.content_type is None:
            raise _not_video("The file")

    async def finish(self) -> None:
        """Flush a file shorter than the sniff window and commit the object."""
        if self.content_type is None:
            await self._sniff()
            await self.writer.write(bytes(self._head))
        await self.writer.commit()

    async def abort(self) -> None:
        await self.writer.abort()


def _new_video(user: User, **fields: Any) -> tuple[Video, VideoProcessingJob]:
    video_id = uuid.uuid4()
    now = utcnow()
    video = Video(
        id=video_id,
        owner_id=user.id,
        original_key=original_key(video_id),
        created_at=now,
        updated_at=now,
        **fields,
    )
    return video, new_job(video, now=now)


async def check_upload_video(*, session: AsyncSession, user: User, body: StreamedBody) -> Video:
    """Stream a multipart VideoUpload to storage, then create the video and queue its job."""
    check_uploader(user)
    limit = runtime().settings.video_max_upload_bytes
    remaining = await _remaining_quota(session, user)
    if body.form_exceeds(limit):
        raise _too_large(limit)  # refused before reading a byte
    # No transaction stays open (and no connection held) while the file streams in.
    await session.commit()
    video, job = _new_video(user, upload_state="uploaded")

    async def open_file(part: FilePart) -> _VideoSink:
        declared = part.content_type.split(";")[0].strip().lower() or "application/octet-stream"
        if declared not in ACCEPTED_TYPES:
            raise _not_video(f'"{declared}"')
        writer = storage().open_writer(video.original_key, content_type=declared)
        return _VideoSink(writer, limit=limit, remaining=remaining)

    fields, part, sink = await read_upload_form(
        body, schema=("videos.yaml", "VideoUpload"), open_file=open_file
    )
    # Checked again now that the bytes are in: another upload may have finished meanwhile.
    remaining = await _remaining_quota(session, user)
    if sink.size > remaining:
        await storage().delete_prefix(video.original_key)
        raise _over_quota(remaining)
    video.title = fields["title"].strip()
    video.description = fields.get("description", "")
    video.size_bytes = sink.size
    video.content_type = sink.content_type
    video.original_filename = safe_filename(part.filename, default="") or None
    return await _save_and_enqueue(session, video, job)


async def _save_and_enqueue(session: AsyncSession, video: Video, job: VideoProcessingJob) -> Video:
    job.queued_at = utcnow()
    session.add(video)
    await session.flush()
    session.add(job)
    await session.commit()
    await enqueue(video)
    return video


async def check_create_upload_url(
    *, session: AsyncSession, user: User, body: dict[str, Any]
) -> tuple[Video, PresignedPut, dt.datetime]:
    """Create a video awaiting a pre-signed upload of `size_bytes`, and the URL to send it to."""
    check_uploader(user)
    settings = runtime().settings
    size = int(body["size_bytes"])
    if size > settings.video_max_upload_bytes:
        raise _too_large(settings.video_max_upload_bytes)
    remaining = await _remaining_quota(session, user)
    if size > remaining:
        raise _over_quota(remaining)
    expires_at = utcnow() + dt.timedelta(seconds=settings.video_upload_url_ttl_seconds)
    video, job = _new_video(
        user,
        title=str(body["title"]).strip(),
        description=str(body.get("description", "")),
        upload_state="awaiting_upload",
        declared_size_bytes=size,
        content_type=body["content_type"],
        original_filename=safe_filename(body["filename"], default="") or None,
        upload_expires_at=expires_at,
    )
    session.add(video)
    await session.flush()
    session.add(job)
    await session.commit()
    presigned = storage().presigned_put(
        video.original_key,
        video_id=str(video.id),
        content_type=body["content_type"],
        expires_at=int(expires_at.timestamp()),
    )
    return video, presigned, expires_at


async def check_receive_blob(
    *, session: AsyncSession, video_id: str, expires: int, signature: str, body: StreamedBody
) -> None:
    """Store the bytes of a local pre-signed upload (`PUT /api/videos/{id}/blob/`)."""
    secret = runtime().settings.secret_key.get_secret_value()
    if not verify(secret, f"put:{video_id}", expires, signature):
        raise PermissionDenied("The upload URL is expired or invalid.", code="invalid_signature")
    video = await session.get(Video, uuid.UUID(video_id))
    if video is None:
        raise NotFound()
    if video.upload_state == "uploaded":
        raise Conflict("This upload is already completed.", code="upload_completed")
    declared = video.declared_size_bytes or 0
    await session.commit()
    if body.content_length is not None and body.content_length > declared:
        raise _too_large(declared)
    sink = _VideoSink(
        storage().open_writer(video.original_key, content_type="application/octet-stream"),
        limit=declared,
        remaining=declared,
    )
    try:
        async for chunk in body.chunks():
            await sink.write(chunk)
        await sink.finish()
    except BaseException:
        await sink.writer.abort()
        raise


async def check_complete_upload(*, session: AsyncSession, user: User, video: Video) -> Video:
    """Check the bytes of a pre-signed upload, mark the video uploaded and queue its job.

    Refused objects (too large, over quota, not a video) are removed.
    """
    if video.upload_state == "uploaded":
        raise Conflict("This upload is already completed.", code="upload_completed")
    store = storage()
    size = await store.size(video.original_key)
    if size is None:
        raise Conflict("No bytes have been uploaded yet.", code="upload_missing")
    limit = min(video.declared_size_bytes or 0, runtime().settings.video_max_upload_bytes)
    remaining = await _remaining_quota(session, user, besides=video.id)
    sniffed = sniff_video_type(await store.read_head(video.original_key, HEAD_BYTES))
    refusal: Exception | None = None
    if size > limit:
        refusal = _too_large(limit)
    elif size > remaining:
        refusal = _over_quota(remaining)
    elif sniffed is None:
        refusal = _not_video("The uploaded file")
    if refusal is not None:
        await store.delete_prefix(video.original_key)
        raise refusal
    job = (
        await session.exec(
            sa.select(VideoProcessingJob).where(VideoProcessingJob.video_id == video.id)  # type: ignore[call-overload, arg-type]
        )
    ).one()[0]
    video.upload_state = "uploaded"
    video.size_bytes = size
    video.content_type = sniffed
    video.upload_expires_at = None
    video.updated_at = utcnow()
    return await _save_and_enqueue(session, video, job)
