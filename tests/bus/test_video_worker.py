"""`watchparty worker` as its own process on RabbitMQ, processing real uploads (issue 7).

The API side runs in the test (`open_jobs(role="api")` on RabbitMQ with a per-test name
prefix); the worker is a separate `watchparty worker` process on the same database, storage
and broker. The second test kills a worker with SIGKILL in the middle of a transcode and
checks that another worker finishes the job (lease expiry, sweep, re-send).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.bus.conftest import delete_amqp_names
from tests.bus.helpers import AMQP_URL
from tests.utils.factories import Session, login, make_user
from tests.utils.media import MediaFiles, make_media, upload, wait_done, wait_notification
from tests.utils.services import require_service, require_tool
from watchparty.db import Database
from watchparty.runtime import Runtime
from watchparty.settings import Settings
from watchparty.worker import open_jobs

# Short leases so a killed worker's job is taken over within seconds.
LEASE_SECS = 2
StartWorker = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFiles:
    return make_media(tmp_path_factory.mktemp("media"))


@pytest.fixture
def long_avi(tmp_path: Path) -> Path:
    """An AVI that needs a transcode of a few seconds: time to kill the worker in it."""
    ffmpeg = require_tool("ffmpeg")
    path = tmp_path / "long.avi"
    source = ["-f", "lavfi", "-i", "testsrc=duration=40:size=640x480:rate=25"]
    subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-y", *source, "-c:v", "mpeg4", "-q:v", "5", str(path)],
        check=True,
        timeout=120,
    )
    return path


@pytest.fixture
def amqp_settings(settings: Settings, amqp_prefix: str) -> Settings:
    require_service("rabbitmq")
    settings.amqp_url = AMQP_URL
    settings.amqp_name_prefix = amqp_prefix
    settings.video_job_lease_seconds = LEASE_SECS
    settings.video_job_sweep_seconds = 0.5
    return settings


@pytest.fixture
def start_worker(amqp_settings: Settings) -> Iterator[StartWorker]:
    """Start `watchparty worker` processes on this test's database, storage and broker."""
    settings = amqp_settings
    env = {
        **os.environ,
        "WATCHPARTY_ENV": "test",
        "WATCHPARTY_AMQP_URL": AMQP_URL,
        "WATCHPARTY_AMQP_NAME_PREFIX": settings.amqp_name_prefix,
        "WATCHPARTY_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database_url,
        "WATCHPARTY_SECRET_KEY": settings.secret_key.get_secret_value(),
        "WATCHPARTY_VIDEO_JOB_LEASE_SECONDS": str(LEASE_SECS),
    }
    if settings.database_schema:
        env["WATCHPARTY_DATABASE_SCHEMA"] = settings.database_schema
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        cli = [sys.executable, "-c", "from watchparty.cli import app; app()", "worker"]
        procs.append(subprocess.Popen(cli, env=env, stderr=subprocess.DEVNULL))
        return procs[-1]

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
async def api_side(amqp_settings: Settings, rt: Runtime) -> AsyncIterator[Runtime]:
    async with open_jobs(rt, role="api"):
        yield rt
    await delete_amqp_names(amqp_settings.amqp_name_prefix)


async def _until_transcoding(client: httpx.AsyncClient, me: Session, url: str) -> None:
    for _ in range(600):
        state = (await client.get(url, headers=me.headers)).json()["state"]
        if state == "transcoding":
            return
        assert state in ("queued", "probing"), state
        await asyncio.sleep(0.05)
    raise AssertionError("the job never started transcoding")


async def test_worker_process_handles_uploads_over_rabbitmq(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    media: MediaFiles,
    api_side: Runtime,
    start_worker: StartWorker,
) -> None:
    owner = await make_user(db, settings)
    me = await login(client, owner)
    start_worker()
    created = await upload(client, me, media.mp4)
    assert created.status_code == 201, created.text
    job = await wait_done(client, me, created.json()["id"], timeout=60)
    assert (job["state"], job["attempt"]) == ("ready", 1)
    video = (await client.get(f"/api/videos/{job['video_id']}/", headers=me.headers)).json()
    assert video["video_codec"] == "h264" and video["thumbnail_url"]
    # The result came back over the fanout exchange and was announced by the API side.
    await wait_notification(db, owner.id, "video_ready")


async def test_job_of_a_killed_worker_is_finished_by_another(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    long_avi: Path,
    api_side: Runtime,
    start_worker: StartWorker,
) -> None:
    me = await login(client, await make_user(db, settings))
    first = start_worker()
    created = await upload(client, me, long_avi, content_type="video/x-msvideo")
    assert created.status_code == 201, created.text
    video_id = created.json()["id"]
    url = f"/api/videos/{video_id}/processing/"
    await _until_transcoding(client, me, url)
    first.kill()  # SIGKILL mid-transcode: no cleanup, no result, no ack
    first.wait()
    stuck = (await client.get(url, headers=me.headers)).json()
    assert stuck["state"] == "transcoding"
    start_worker()
    job = await wait_done(client, me, video_id, timeout=120)
    assert (job["state"], job["attempt"]) == ("ready", 2), job


async def test_a_stopped_worker_finishes_its_job_first(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    long_avi: Path,
    api_side: Runtime,
    start_worker: StartWorker,
) -> None:
    me = await login(client, await make_user(db, settings))
    worker = start_worker()
    created = await upload(client, me, long_avi, content_type="video/x-msvideo")
    assert created.status_code == 201, created.text
    video_id = created.json()["id"]
    await _until_transcoding(client, me, f"/api/videos/{video_id}/processing/")
    worker.send_signal(signal.SIGTERM)  # a deploy or `systemctl stop`, mid-transcode
    exit_code = await asyncio.to_thread(worker.wait, 120)
    assert exit_code == 0
    job = await wait_done(client, me, video_id, timeout=30)
    assert (job["state"], job["attempt"]) == ("ready", 1), job  # finished, not taken over
