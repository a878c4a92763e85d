"""The demo page (`/demo/`, issue 12) in a real browser: two users watch in sync.

Debian's chromium (never a downloaded browser) is driven by the pinned playwright-core of
tools/browser from `demo.test.mjs` under node's test runner, against a real `watchparty serve`
(SQLite in a fresh data dir). The clip is made here with ffmpeg and uploaded through the page,
so it goes through the real upload, processing job and signed /media/ URL. docs/demo.md
explains the measurement. Skipped without node, npm, chromium or ffmpeg; a failure in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.test_serve import server  # noqa: F401  (the real-server fixture)
from tests.utils.services import require_node_tool, require_tool
from watchparty import PROJECT_ROOT

pytestmark = pytest.mark.service("node")

TOOL_DIR = PROJECT_ROOT / "tools" / "browser"
SCRIPT = Path(__file__).parent / "demo.test.mjs"
# Git-ignored (var/); kept after the run so CI can publish the screenshots.
ARTIFACTS = PROJECT_ROOT / "var" / "artifacts" / "browser"
NODE_TIMEOUT_SECS = 240


def make_clip(out: Path) -> Path:
    """30 s of H.264/AAC MP4, a keyframe every second (cheap seeks), index up front."""
    ffmpeg = require_tool("ffmpeg")
    clip = out / "demo-clip.mp4"
    subprocess.run(
        [
            ffmpeg, "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=duration=30:size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=30",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25",
            "-c:a", "aac", "-shortest", "-movflags", "+faststart",
            str(clip),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return clip


def test_two_pages_watch_in_sync(server: str, tmp_path: Path) -> None:  # noqa: F811
    node = require_node_tool(TOOL_DIR)
    chromium = require_tool("chromium")
    clip = make_clip(tmp_path)
    # The guest logs in through the page, the host registers through it: both forms are used.
    guest = {"username": "guest_demo", "email": "guest_demo@example.com"}
    answer = httpx.post(
        f"{server}/api/auth/register/", json={**guest, "password": "demo-password-1"}, timeout=30
    )
    assert answer.status_code == 201, answer.text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):  # a stale screenshot must not pass for this run's
        old.unlink()
    print(f"screenshots: {ARTIFACTS / 'host.png'}, {ARTIFACTS / 'guest.png'}")
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(SCRIPT)],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "WATCHPARTY_SERVER": server,
            "WATCHPARTY_CHROMIUM": chromium,
            "WATCHPARTY_CLIP": str(clip),
            "WATCHPARTY_ARTIFACTS": str(ARTIFACTS),
        },
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECS,
        check=False,
    )
    output = result.stdout + result.stderr
    print(output)  # the measured sync figures, with -s
    assert result.returncode == 0, output
    # The spec reporter's summary: every step ran and none failed.
    assert re.search(r"^ℹ fail 0$", output, re.MULTILINE), output
    assert re.search(r"^ℹ pass 8$", output, re.MULTILINE), output
    assert (ARTIFACTS / "host.png").stat().st_size > 0
    assert (ARTIFACTS / "guest.png").stat().st_size > 0
