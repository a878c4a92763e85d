"""RabbitMQ down: uploads are still accepted (the job is recorded in the database) and processed
once the broker is back, without restarting the server or the worker.

The broker is private (its own node, port and data, tests.utils.private_services); the server
and a `watchparty worker` start while it is down, and it goes down again once they are connected.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.faults.conftest import Serve, serve_env
from tests.test_serve import _command
from tests.utils.factories import login, make_user
from tests.utils.media import upload, wait_done
from tests.utils.private_services import PrivateRabbit
from tests.utils.services import require_tool
from watchparty.db import Database
from watchparty.settings import Settings
from watchparty.tables import VideoProcessingJob

PROCESSED_TIMEOUT_SECS = 30.0
PICTURE = ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=5"]


def _clip(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    command = [require_tool("ffmpeg"), "-nostdin", "-v", "error", "-y", *PICTURE]
    command += ["-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(command, check=True, timeout=60)
    return path


async def _job_state(db: Database, video_id: str) -> str | None:
    async with db.session() as session:
        row = await session.exec(
            sa.select(VideoProcessingJob.state).where(  # type: ignore[call-overload]
                VideoProcessingJob.video_id == uuid.UUID(video_id)
            )
        )
        state: str | None = row.scalar_one_or_none()
        return state


async def _upload_while_down(http: httpx.AsyncClient, db: Database, me: object, clip: Path) -> str:
    created = await asyncio.wait_for(upload(http, me, clip), 15)  # type: ignore[arg-type]
    assert created.status_code == 201, created.text
    video_id: str = created.json()["id"]
    assert await _job_state(db, video_id) == "queued"
    ready = await http.get("/api/health/ready/")
    assert (ready.status_code, ready.json()["detail"]) == (503, "Not ready: amqp unreachable.")
    return video_id


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_uploads_during_a_broker_outage_are_processed_when_it_returns(
    db: Database, settings: Settings, tmp_path: Path, servers: list[Serve]
) -> None:
    clip = _clip(tmp_path)
    rabbit = PrivateRabbit(tmp_path)  # its port is chosen, nothing listens there yet
    env = serve_env(settings, WATCHPARTY_AMQP_URL=rabbit.url, WATCHPARTY_AMQP_NAME_PREFIX="wp-")
    server = Serve(env, tmp_path)
    servers.append(server)
    with (tmp_path / "worker.log").open("ab") as log:
        worker = subprocess.Popen(
            [*_command(), "worker"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        server.start()
        owner = await make_user(db, settings)
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as http:
            me = await login(http, owner)
            # 1. Down from the start: the server and the worker run anyway.
            first = await _upload_while_down(http, db, me, clip)
            rabbit.start()
            job = await wait_done(http, me, first, timeout=PROCESSED_TIMEOUT_SECS)
            assert job["state"] == "ready", job

            # 2. Down while connected: the upload waits in the database, not in the request.
            rabbit.stop()
            second = await _upload_while_down(http, db, me, clip)
            rabbit.start()
            job = await wait_done(http, me, second, timeout=PROCESSED_TIMEOUT_SECS)
            assert job["state"] == "ready", job
        assert worker.poll() is None and server.proc is not None and server.proc.poll() is None
        errors = server.errors()
        assert any("broker is unreachable" in e["event"] for e in errors), errors
        assert not [e for e in errors if "exception" in e], "an outage is no traceback"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        server.stop()
        rabbit.close()
