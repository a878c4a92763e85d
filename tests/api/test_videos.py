"""Videos over the API (issue 7): uploads, processing with real ffmpeg, access, parties.

Media files are made by ffmpeg during the run (tests/utils/media.py); jobs travel over the
in-memory job bus to the in-process worker, exactly as `watchparty serve` runs without a
broker. tests/bus/test_video_worker.py runs a separate `watchparty worker` over RabbitMQ.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from asyncapi_python.contrib.wire.in_memory import reset_bus

from tests.api.test_notifications import RecordingHub
from tests.utils.factories import login, make_party, make_user
from tests.utils.media import MediaFiles, make_media, upload, wait_done, wait_notification
from watchparty.db import Database, utcnow
from watchparty.plans import PLANS, PlanLimits
from watchparty.runtime import Runtime, use_runtime
from watchparty.services import video_jobs
from watchparty.settings import Settings
from watchparty.tables import Party, PartyInvitation, Video, VideoProcessingJob
from watchparty.worker import open_jobs


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFiles:
    return make_media(tmp_path_factory.mktemp("media"))


@pytest.fixture
async def hub(rt: Runtime) -> RecordingHub:
    recording = RecordingHub()
    rt.hub = recording
    return recording


@pytest.fixture
async def jobs(rt: Runtime, hub: RecordingHub) -> AsyncIterator[Runtime]:
    """The API side of the in-memory job bus with its in-process worker, as `serve` has it."""
    reset_bus()
    async with open_jobs(rt, role="api"):
        yield rt
    reset_bus()


async def test_upload_processes_a_real_video(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles, jobs: Runtime
) -> None:
    owner = await make_user(db, settings)
    me = await login(client, owner)
    created = await upload(client, me, media.mp4, title="  Test clip ", description="2 s")
    assert created.status_code == 201, created.text
    video = created.json()
    assert video["processing_state"] == "queued" and video["upload_state"] == "uploaded"
    assert (video["title"], video["description"]) == ("Test clip", "2 s")
    assert video["size_bytes"] == media.mp4.stat().st_size
    assert video["content_type"] == "video/mp4"
    assert video["original_filename"] == "clip.mp4"
    assert video["stream_url"] is None  # not before it is ready

    job = await wait_done(client, me, video["id"])
    assert (job["state"], job["progress"], job["attempt"], job["error"]) == ("ready", 100, 1, None)
    ready = (await client.get(f"/api/videos/{video['id']}/", headers=me.headers)).json()
    assert ready["processing_state"] == "ready" and ready["ready_at"]
    assert 1.9 <= ready["duration_seconds"] <= 2.2
    assert (ready["width"], ready["height"]) == (160, 120)
    assert (ready["video_codec"], ready["audio_codec"]) == ("h264", "aac")
    assert ready["container"].startswith("mov,mp4")
    assert "/original?" in ready["stream_url"]  # H.264/AAC MP4 is served as uploaded

    thumb = await client.get(ready["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert thumb.content.startswith(b"\xff\xd8")
    poster = await client.get(ready["poster_url"])
    assert poster.status_code == 200 and len(poster.content) > 0
    ranged = await client.get(ready["stream_url"], headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.content == media.mp4.read_bytes()[:10]
    tampered = ready["thumbnail_url"].replace("signature=", "signature=0")
    assert (await client.get(tampered)).status_code == 403

    note = await wait_notification(db, owner.id, "video_ready")
    assert note.data == {"video_id": video["id"]}


async def test_unplayable_codec_is_transcoded(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles, jobs: Runtime
) -> None:
    me = await login(client, await make_user(db, settings))
    created = await upload(client, me, media.avi, content_type="video/x-msvideo")
    assert created.status_code == 201, created.text
    assert created.json()["content_type"] == "video/x-msvideo"
    job = await wait_done(client, me, created.json()["id"])
    assert job["state"] == "ready", job
    video = (await client.get(f"/api/videos/{created.json()['id']}/", headers=me.headers)).json()
    assert video["video_codec"] == "mpeg4"  # what was uploaded
    stream = await client.get(video["stream_url"])
    assert "/stream.mp4?" in video["stream_url"] and stream.content[4:8] == b"ftyp"


async def test_audio_only_file_fails_processing(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles, jobs: Runtime
) -> None:
    owner = await make_user(db, settings)
    me = await login(client, owner)
    created = await upload(client, me, media.m4a, content_type="video/mp4")
    assert created.status_code == 201, created.text  # an MP4 container: only ffprobe can tell
    job = await wait_done(client, me, created.json()["id"])
    assert (job["state"], job["error_code"]) == ("failed", "not_a_video")
    assert "no video stream" in job["error"]
    note = await wait_notification(db, owner.id, "video_failed")
    assert note.data == {"video_id": created.json()["id"]}


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("png", "video/mp4"), ("mp4", "image/png"), ("mp4", "text/plain")],
)
async def test_non_video_is_refused_415(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    kind: str,
    content_type: str,
) -> None:
    me = await login(client, await make_user(db, settings))
    answer = await upload(client, me, getattr(media, kind), content_type=content_type)
    assert answer.status_code == 415, answer.text
    assert answer.json()["code"] == "unsupported_media_type"
    assert (await client.get("/api/videos/", headers=me.headers)).json()["results"] == []
    assert not list((settings.data_dir / "media").rglob("*"))  # nothing left behind


async def test_size_limit_and_quota_are_413(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = await login(client, await make_user(db, settings))
    size = media.mp4.stat().st_size
    settings.video_max_upload_bytes = size - 1
    too_large = await upload(client, me, media.mp4)
    assert too_large.status_code == 413, too_large.text
    assert too_large.json()["code"] == "file_too_large"

    settings.video_max_upload_bytes = 10 * size
    monkeypatch.setitem(
        PLANS, "free", PlanLimits(max_participants=10, uploads=True, upload_quota_bytes=size + 10)
    )
    first = await upload(client, me, media.mp4)
    assert first.status_code == 201, first.text
    second = await upload(client, me, media.mp4)
    assert second.status_code == 413 and second.json()["code"] == "upload_quota_exceeded"
    presign = await client.post(
        "/api/videos/upload-url/",
        headers=me.headers,
        json={"title": "Big", "filename": "b.mp4", "content_type": "video/mp4", "size_bytes": 11},
    )
    assert presign.status_code == 413 and presign.json()["code"] == "upload_quota_exceeded"
    listed = (await client.get("/api/videos/", headers=me.headers)).json()["results"]
    assert [v["id"] for v in listed] == [first.json()["id"]]


async def test_concurrent_uploads_cannot_overrun_the_quota(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = await login(client, await make_user(db, settings))
    size = media.mp4.stat().st_size
    monkeypatch.setitem(
        PLANS, "free", PlanLimits(max_participants=10, uploads=True, upload_quota_bytes=size + 10)
    )
    answers = await asyncio.gather(*(upload(client, me, media.mp4) for _ in range(4)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201, 413, 413, 413], [answer.text for answer in answers]
    listed = (await client.get("/api/videos/", headers=me.headers)).json()["results"]
    assert len(listed) == 1
    originals = list((settings.data_dir / "media").rglob("original"))
    assert len(originals) == 1, originals  # the refused uploads' bytes are removed


async def test_upload_needs_an_allowed_role_and_plan(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = await login(client, await make_user(db, settings))
    settings.video_upload_roles = ["admin"]
    refused = await upload(client, me, media.mp4)
    assert refused.status_code == 403 and refused.json()["code"] == "uploads_not_allowed"
    settings.video_upload_roles = ["user"]
    monkeypatch.setitem(
        PLANS, "free", PlanLimits(max_participants=10, uploads=False, upload_quota_bytes=0)
    )
    body = {"title": "T", "filename": "t.mp4", "content_type": "video/mp4", "size_bytes": 10}
    presign = await client.post("/api/videos/upload-url/", headers=me.headers, json=body)
    assert presign.status_code == 403 and presign.json()["code"] == "uploads_not_allowed"


async def test_upload_form_errors_are_400(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles
) -> None:
    me = await login(client, await make_user(db, settings))
    no_title = await client.post(
        "/api/videos/upload/",
        headers=me.headers,
        files={"file": ("a.mp4", media.mp4.read_bytes(), "video/mp4")},
    )
    assert no_title.status_code == 400 and no_title.json() == {"title": ["This field is required."]}
    blank = await upload(client, me, media.mp4, title="   ")
    assert blank.status_code == 400 and "title" in blank.json()
    no_file = await client.post(
        "/api/videos/upload/", headers=me.headers, data={"title": "x"}, files={"other": ("", b"")}
    )
    assert no_file.status_code == 400, no_file.text
    no_boundary = await client.post(
        "/api/videos/upload/",
        content=b"xx",
        headers={**me.headers, "Content-Type": "multipart/form-data"},
    )
    assert no_boundary.status_code == 400 and no_boundary.json()["code"] == "parse_error"
    unrelated = await client.post(
        "/api/videos/upload/",
        headers=me.headers,
        data={"title": "x"},
        files={"poster": ("p.mp4", media.mp4.read_bytes(), "video/mp4")},
    )
    assert unrelated.status_code == 400
    assert unrelated.json() == {"poster": ["Unexpected file."]}
    assert (await client.post("/api/videos/upload/", data={"title": "x"})).status_code == 401


@pytest.mark.parametrize("file_first", [False, True])
async def test_multipart_in_one_chunk_any_order(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles, file_first: bool
) -> None:
    me = await login(client, await make_user(db, settings))
    title = b'--b0\r\nContent-Disposition: form-data; name="title"\r\n\r\nOne chunk\r\n'
    file = (
        b'--b0\r\nContent-Disposition: form-data; name="file"; filename="c.mp4"\r\n'
        b"Content-Type: video/mp4\r\n\r\n" + media.mp4.read_bytes() + b"\r\n"
    )
    parts = file + title if file_first else title + file
    answer = await client.post(
        "/api/videos/upload/",
        headers={**me.headers, "Content-Type": "multipart/form-data; boundary=b0"},
        content=parts + b"--b0--\r\n",
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["title"] == "One chunk"
    assert answer.json()["size_bytes"] == media.mp4.stat().st_size
    stored = settings.data_dir / "media" / "videos" / answer.json()["id"] / "original"
    assert stored.read_bytes() == media.mp4.read_bytes()


async def test_presigned_upload_round_trip(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles, jobs: Runtime
) -> None:
    me = await login(client, await make_user(db, settings))
    data = media.mp4.read_bytes()
    body = {
        "title": "Presigned",
        "filename": "clip.mp4",
        "content_type": "video/mp4",
        "size_bytes": len(data),
    }
    presign = await client.post("/api/videos/upload-url/", headers=me.headers, json=body)
    assert presign.status_code == 201, presign.text
    target = presign.json()
    assert (target["backend"], target["method"], target["max_bytes"]) == ("local", "PUT", len(data))
    video_id = target["id"]
    waiting = (await client.get(f"/api/videos/{video_id}/", headers=me.headers)).json()
    assert (waiting["upload_state"], waiting["size_bytes"]) == ("awaiting_upload", None)

    missing = await client.post(f"/api/videos/{video_id}/complete/", headers=me.headers)
    assert missing.status_code == 409 and missing.json()["code"] == "upload_missing"
    bad = target["upload_url"].replace("signature=", "signature=f")
    refused = await client.put(bad, content=data, headers=target["headers"])
    assert refused.status_code == 403 and refused.json()["code"] == "invalid_signature"
    # No bytes are no video (the mock answers the same: tests/mocks/test_rest.py).
    empty = await client.put(target["upload_url"], content=b"", headers=target["headers"])
    assert empty.status_code == 415 and empty.json()["code"] == "unsupported_media_type"
    too_big = await client.put(target["upload_url"], content=data + b"x", headers=target["headers"])
    assert too_big.status_code == 413 and too_big.json()["code"] == "file_too_large"
    put = await client.put(target["upload_url"], content=data, headers=target["headers"])
    assert put.status_code == 204, put.text

    done = await client.post(f"/api/videos/{video_id}/complete/", headers=me.headers)
    assert done.status_code == 202, done.text
    assert done.json()["upload_state"] == "uploaded"
    assert (await wait_done(client, me, video_id))["state"] == "ready"
    again = await client.post(f"/api/videos/{video_id}/complete/", headers=me.headers)
    assert again.status_code == 409 and again.json()["code"] == "upload_completed"
    late = await client.put(target["upload_url"], content=data, headers=target["headers"])
    assert late.status_code == 409 and late.json()["code"] == "upload_completed"


async def test_expired_upload_url_is_403_and_wrong_bytes_are_removed(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles
) -> None:
    me = await login(client, await make_user(db, settings))
    png = media.png.read_bytes()
    body = {"title": "P", "filename": "p.mp4", "content_type": "video/mp4", "size_bytes": len(png)}
    target = (await client.post("/api/videos/upload-url/", headers=me.headers, json=body)).json()
    refused = await client.put(target["upload_url"], content=png, headers=target["headers"])
    assert refused.status_code == 415  # magic bytes checked while streaming

    settings.video_upload_url_ttl_seconds = 1
    body["size_bytes"] = 5
    expiring = (await client.post("/api/videos/upload-url/", headers=me.headers, json=body)).json()
    await asyncio.sleep(2.1)
    expired = await client.put(expiring["upload_url"], content=b"12345", headers=target["headers"])
    assert expired.status_code == 403 and expired.json()["code"] == "invalid_signature"


async def test_access_listing_update_and_delete(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    jobs: Runtime,
    hub: RecordingHub,
) -> None:
    owner = await make_user(db, settings)
    guest = await make_user(db, settings)
    me, them = await login(client, owner), await login(client, guest)
    first = (await upload(client, me, media.mp4, title="Night of the Living Dead")).json()
    second = (await upload(client, me, media.mp4, title="Other_100%")).json()
    await wait_done(client, me, first["id"])
    await wait_done(client, me, second["id"])

    listed = await client.get("/api/videos/?search=LIVING", headers=me.headers)
    assert [v["id"] for v in listed.json()["results"]] == [first["id"]]
    literal = await client.get("/api/videos/?search=_100%25", headers=me.headers)
    assert [v["id"] for v in literal.json()["results"]] == [second["id"]]
    newest = await client.get("/api/videos/?processing_state=ready", headers=me.headers)
    assert [v["id"] for v in newest.json()["results"]] == [second["id"], first["id"]]
    assert (await client.get("/api/videos/", headers=them.headers)).json()["results"] == []

    url = f"/api/videos/{first['id']}/"
    assert (await client.get(url, headers=them.headers)).status_code == 404
    assert (await client.patch(url, headers=them.headers, json={"title": "x"})).status_code == 404
    assert (await client.delete(url, headers=them.headers)).status_code == 404

    # A party showing the video opens it to its participants (video-viewer).
    party = await client.post(
        "/api/parties/",
        headers=me.headers,
        json={
            "title": "Movie night",
            "scheduled_for": (utcnow() + dt.timedelta(days=1)).isoformat(),
            "video": first["id"],
            "settings": {"visibility": "public"},
        },
    )
    assert party.status_code == 201, party.text
    assert party.json()["video"]["id"] == first["id"]
    assert party.json()["video"]["thumbnail_url"]
    party_id = party.json()["id"]
    assert (await client.post(f"/api/parties/{party_id}/join/", headers=them.headers)).is_success
    assert (await client.get(url, headers=them.headers)).status_code == 200
    assert (await client.get(f"{url}processing/", headers=them.headers)).status_code == 200
    invitee = await make_user(db, settings)
    assert (
        await client.get(url, headers=(await login(client, invitee)).headers)
    ).status_code == 404
    async with db.session() as session:  # a pending invitation opens it too
        session.add(
            PartyInvitation(
                party_id=uuid.UUID(party_id),
                invitee_id=invitee.id,
                email=invitee.email,
                expires_at=utcnow() + dt.timedelta(days=1),
            )
        )
        await session.commit()
    assert (
        await client.get(url, headers=(await login(client, invitee)).headers)
    ).status_code == 200
    mine = await client.get("/api/parties/", headers=me.headers)
    listed, shown = mine.json()["results"][0]["video"], party.json()["video"]
    # The list reads the video's summary columns only; it shows what the detail shows (the
    # signed thumbnail URL differs by its signing time).
    assert listed.pop("thumbnail_url") and shown.pop("thumbnail_url")
    assert listed == shown and listed["id"] == first["id"]

    renamed = await client.patch(url, headers=me.headers, json={"title": "Night (1968)"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Night (1968)"

    files = settings.data_dir / "media" / "videos" / first["id"]
    assert (files / "thumb.jpg").is_file()
    assert (await client.delete(url, headers=me.headers)).status_code == 204
    assert not files.exists()
    assert (await client.get(url, headers=me.headers)).status_code == 404
    detail = await client.get(f"/api/parties/{party_id}/", headers=me.headers)
    assert detail.json()["video"] is None
    await wait_notification(db, guest.id, "party_updated")


async def test_party_video_must_be_own_and_ready(
    client: httpx.AsyncClient, db: Database, settings: Settings, media: MediaFiles
) -> None:
    owner = await make_user(db, settings)
    other = await make_user(db, settings)
    me, them = await login(client, owner), await login(client, other)
    queued = (await upload(client, me, media.mp4)).json()  # no bus: stays queued
    when = (utcnow() + dt.timedelta(days=1)).isoformat()
    for who, video_id, message in [
        (me, queued["id"], "This video is not ready yet."),
        (them, queued["id"], "Choose one of your own videos."),
        (me, "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d", "Choose one of your own videos."),
    ]:
        answer = await client.post(
            "/api/parties/",
            headers=who.headers,
            json={"title": "P", "scheduled_for": when, "video": video_id},
        )
        assert answer.status_code == 400 and answer.json() == {"video": [message]}
    party_id = await make_party(db, owner)
    cleared = await client.patch(
        f"/api/parties/{party_id}/", headers=me.headers, json={"video": None}
    )
    assert cleared.status_code == 200 and cleared.json()["video"] is None


async def test_video_ready_reaches_the_parties_using_it(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    rt: Runtime,
    hub: RecordingHub,
) -> None:
    owner = await make_user(db, settings)
    me = await login(client, owner)
    video_id = (await upload(client, me, media.mp4)).json()["id"]  # no bus yet: stays queued
    party_id = await make_party(db, owner)
    async with db.session() as session:  # the party picked it before it was ready
        await session.exec(
            sa.update(Party).where(Party.id == party_id).values(video_id=uuid.UUID(video_id))  # type: ignore[arg-type]
        )
        await session.commit()
    reset_bus()
    async with open_jobs(rt, role="api"):  # start-up sweep: old queued jobs are sent again
        async with db.session() as session:
            await session.exec(
                sa.update(VideoProcessingJob).values(queued_at=utcnow() - dt.timedelta(hours=1))
            )
            await session.commit()
            with use_runtime(rt):
                await video_jobs.sweep(session)
        await wait_done(client, me, video_id)
        await wait_notification(db, owner.id, "video_ready")
    reset_bus()
    frames = [frame for topic, frame in hub.frames if topic == f"party:{party_id}"]
    assert [f["type"] for f in frames] == ["video_ready"]
    payload = frames[0]["payload"]
    assert payload["party_id"] == str(party_id)
    assert payload["video"]["id"] == video_id and payload["video"]["processing_state"] == "ready"


async def test_job_of_a_crashed_worker_is_resumed(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    rt: Runtime,
    hub: RecordingHub,
) -> None:
    me = await login(client, await make_user(db, settings))
    video_id = (await upload(client, me, media.mp4)).json()["id"]
    # What a worker killed mid-probe leaves: probing, attempt 1, a lease that ran out.
    async with db.session() as session:
        await session.exec(
            sa.update(VideoProcessingJob).values(
                state="probing", attempt=1, lease_expires_at=utcnow() - dt.timedelta(seconds=1)
            )
        )
        await session.exec(sa.update(Video).values(processing_state="probing"))
        await session.commit()
    reset_bus()
    async with open_jobs(rt, role="api"):  # the start-up sweep finds it
        job = await wait_done(client, me, video_id)
    reset_bus()
    assert (job["state"], job["attempt"]) == ("ready", 2)


async def test_job_out_of_attempts_fails(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    rt: Runtime,
    hub: RecordingHub,
) -> None:
    owner = await make_user(db, settings)
    me = await login(client, owner)
    video_id = (await upload(client, me, media.mp4)).json()["id"]
    async with db.session() as session:
        await session.exec(
            sa.update(VideoProcessingJob).values(
                state="transcoding",
                attempt=settings.video_job_max_attempts,
                lease_expires_at=utcnow() - dt.timedelta(seconds=1),
            )
        )
        await session.commit()
        with use_runtime(rt):
            await video_jobs.sweep(session)
    job = (await client.get(f"/api/videos/{video_id}/processing/", headers=me.headers)).json()
    assert (job["state"], job["error_code"]) == ("failed", "interrupted")
    await wait_notification(db, owner.id, "video_failed")
