"""REST operations of the `videos` tag: parse, call `watchparty.services`, serialize.

`uploadVideo` and `uploadVideoBlob` read their bodies as streams (`streamed_body()`,
see watchparty.storage.body): connexion never buffers them.
"""

from __future__ import annotations

from typing import Any

from watchparty.deps import Answer, Body, TokenInfo, caller, db_session
from watchparty.pagination import paginate
from watchparty.services import video_uploads, videos
from watchparty.services.users import rfc3339
from watchparty.storage.body import streamed_body
from watchparty.tables import Video

__all__ = [
    "list_videos",
    "upload_video",
    "create_video_upload_url",
    "upload_video_blob",
    "complete_video_upload",
    "get_video",
    "update_video",
    "delete_video",
    "get_video_processing",
]


async def list_videos(
    token_info: TokenInfo,
    processing_state: str | None = None,
    search: str | None = None,
    **query: Any,
) -> Answer:
    async with caller(token_info) as (session, me):
        page = await paginate(
            session,
            videos.videos_query(user=me, processing_state=processing_state, search=search),
            params=query,
            serialize=videos.video_row_json,
            order="newest",
            key=(Video.created_at, Video.id),  # type: ignore[arg-type]
        )
        return page, 200


async def upload_video(token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video = await video_uploads.check_upload_video(
            session=session, user=me, body=streamed_body()
        )
        return videos.video_json(video, me), 201


async def create_video_upload_url(body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video, presigned, expires_at = await video_uploads.check_create_upload_url(
            session=session, user=me, body=body
        )
        return {
            "id": str(video.id),
            "upload_url": presigned.url,
            "method": "PUT",
            "headers": presigned.headers,
            "expires_at": rfc3339(expires_at),
            "max_bytes": video.declared_size_bytes,
            "backend": videos.storage().name,
        }, 201


async def upload_video_blob(videoId: str, expires: int, signature: str) -> Answer:
    async with db_session() as session:
        await video_uploads.check_receive_blob(
            session=session,
            video_id=videoId,
            expires=expires,
            signature=signature,
            body=streamed_body(),
        )
        return None, 204


async def complete_video_upload(videoId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video, owner = await videos.access_own_video(session=session, user=me, video_id=videoId)
        video = await video_uploads.check_complete_upload(session=session, user=me, video=video)
        return videos.video_json(video, owner), 202


async def get_video(videoId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video, owner = await videos.access_video(session=session, user=me, video_id=videoId)
        return videos.video_json(video, owner), 200


async def update_video(videoId: str, body: Body, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video, owner = await videos.access_own_video(session=session, user=me, video_id=videoId)
        video = await videos.check_update_video(session=session, video=video, body=body)
        return videos.video_json(video, owner), 200


async def delete_video(videoId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video, _ = await videos.access_own_video(session=session, user=me, video_id=videoId)
        await videos.check_delete_video(session=session, video=video)
        return None, 204


async def get_video_processing(videoId: str, token_info: TokenInfo) -> Answer:
    async with caller(token_info) as (session, me):
        video, _ = await videos.access_video(session=session, user=me, video_id=videoId)
        job = await videos.video_job(session=session, video=video)
        return videos.job_json(job), 200
