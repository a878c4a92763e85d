"""Small real media files made by ffmpeg during the test run, and upload/poll helpers.

`make_media(tmp_dir)` writes them once per session; without ffmpeg the tests that need them
skip locally and fail in CI (`require_tool`).
"""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from tests.utils.factories import Session
from tests.utils.services import require_tool
from watchparty.db import Database
from watchparty.tables import Notification

__all__ = ["MediaFiles", "make_media", "upload", "wait_done", "wait_notification"]

TERMINAL = ("ready", "failed")

PICTURE = ["-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10"]
SOUND = ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"]


@dataclass(frozen=True)
class MediaFiles:
    mp4: Path  # H.264/AAC MP4: streamable as is
    avi: Path  # MPEG-4 Part 2 in AVI: needs transcoding
    m4a: Path  # audio only in an MP4 container: passes the magic check, not the probe
    png: Path  # a still image: refused by the magic check


def make_media(out: Path) -> MediaFiles:
    ffmpeg = require_tool("ffmpeg")
    require_tool("ffprobe")
    files = MediaFiles(
        mp4=out / "clip.mp4", avi=out / "clip.avi", m4a=out / "sound.m4a", png=out / "still.png"
    )
    commands = [
        [
            *PICTURE,
            *SOUND,
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(files.mp4),
        ],
        [*PICTURE, "-c:v", "mpeg4", str(files.avi)],
        [*SOUND, "-c:a", "aac", str(files.m4a)],
        [*PICTURE, "-frames:v", "1", str(files.png)],
    ]
    for args in commands:
        subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-y", *args], check=True, timeout=60)
    return files


async def upload(
    client: httpx.AsyncClient,
    me: Session,
    path: Path,
    *,
    content_type: str = "video/mp4",
    title: str = "Clip",
    **fields: str,
) -> httpx.Response:
    return await client.post(
        "/api/videos/upload/",
        headers=me.headers,
        data={"title": title, **fields},
        files={"file": (path.name, path.read_bytes(), content_type)},
    )


async def wait_done(
    client: httpx.AsyncClient, me: Session, video_id: str, *, timeout: float = 60
) -> dict[str, Any]:
    """The processing job once it is ready or failed."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        answer = await client.get(f"/api/videos/{video_id}/processing/", headers=me.headers)
        assert answer.status_code == 200, answer.text
        job: dict[str, Any] = answer.json()
        if job["state"] in TERMINAL:
            return job
        assert asyncio.get_running_loop().time() < deadline, f"still {job['state']}"
        await asyncio.sleep(0.05)


async def wait_notification(db: Database, user_id: Any, kind: str) -> Notification:
    for _ in range(200):
        async with db.session() as session:
            found = (
                await session.exec(
                    sa.select(Notification).where(  # type: ignore[call-overload]
                        Notification.user_id == user_id, Notification.type == kind
                    )
                )
            ).first()
        if found:
            return found[0]  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {kind} notification")
