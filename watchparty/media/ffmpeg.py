"""ffprobe and ffmpeg (Debian `ffmpeg`) as asyncio subprocesses: probe, images, transcode.

Nothing here blocks the event loop: the tools run as child processes, and a stuck one is
killed after its timeout. Errors carry a machine code for the job (`not_a_video`,
`probe_failed`, `thumbnail_failed`, `transcode_failed`).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "MediaError",
    "Probe",
    "is_streamable",
    "make_image",
    "probe",
    "transcode",
    "THUMBNAIL_WIDTH",
]

PROBE_TIMEOUT_SECS = 60
IMAGE_TIMEOUT_SECS = 120
THUMBNAIL_WIDTH = 320
# Formats ffprobe reads as "video" that are still pictures, not films.
_IMAGE_FORMATS = ("image2", "png_pipe", "jpeg_pipe", "gif", "webp_pipe", "bmp_pipe", "tiff_pipe")
# What every browser plays without help: MP4/WebM/MOV with these codecs.
_STREAMABLE_CONTAINERS = ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm")
_STREAMABLE_VIDEO = ("h264", "vp8", "vp9", "av1")
_STREAMABLE_AUDIO = (None, "aac", "mp3", "opus", "vorbis")


class MediaError(Exception):
    """A tool refused the file; `code` is the job's `error_code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Probe:
    duration_seconds: float
    width: int
    height: int
    video_codec: str
    audio_codec: str | None
    container: str


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MediaError("tool_missing", f"{name} is not installed (Debian package ffmpeg).")
    return path


async def _run(args: list[str], *, timeout: float) -> tuple[int, bytes, bytes]:
    proc = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except (TimeoutError, asyncio.CancelledError):
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode or 0, out, err


def _last_line(err: bytes) -> str:
    lines = err.decode(errors="replace").strip().splitlines()
    return lines[-1][:300] if lines else "no output"


async def probe(path: Path) -> Probe:
    """Duration, size and codecs of the file's first video stream.

    Raises:
        MediaError: `not_a_video` (unreadable, no video stream, a still image, no duration)
            or `probe_failed` (ffprobe timed out).
    """
    args = [_tool("ffprobe"), "-v", "error", "-print_format", "json", "-show_format"]
    args += ["-show_streams", str(path)]
    try:
        code, out, err = await _run(args, timeout=PROBE_TIMEOUT_SECS)
    except TimeoutError:
        raise MediaError("probe_failed", "ffprobe timed out.") from None
    if code != 0:
        raise MediaError("not_a_video", f"Not a readable media file ({_last_line(err)}).")
    info: dict[str, Any] = json.loads(out or b"{}")
    streams: list[dict[str, Any]] = info.get("streams", [])
    fmt: dict[str, Any] = info.get("format", {})
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    container = str(fmt.get("format_name", ""))
    if video is None:
        raise MediaError("not_a_video", "The file has no video stream.")
    if container in _IMAGE_FORMATS:
        raise MediaError("not_a_video", "The file is a still image, not a video.")
    duration = _number(fmt.get("duration")) or _number(video.get("duration"))
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if not duration or width < 1 or height < 1:
        raise MediaError("not_a_video", "The video has no duration or no picture size.")
    return Probe(
        duration_seconds=round(duration, 3),
        width=width,
        height=height,
        video_codec=str(video.get("codec_name", "unknown")),
        audio_codec=str(audio["codec_name"]) if audio and audio.get("codec_name") else None,
        container=container,
    )


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def is_streamable(found: Probe) -> bool:
    """Whether browsers can play the file as it is (else it is transcoded to H.264/AAC MP4)."""
    return (
        found.container in _STREAMABLE_CONTAINERS
        and found.video_codec in _STREAMABLE_VIDEO
        and found.audio_codec in _STREAMABLE_AUDIO
    )


async def make_image(source: Path, target: Path, *, at_seconds: float, width: int | None) -> None:
    """One JPEG frame of `source` at `at_seconds`, scaled to `width` (None: full size).

    Raises:
        MediaError: `thumbnail_failed`.
    """
    args = [_tool("ffmpeg"), "-nostdin", "-v", "error", "-y", "-ss", f"{at_seconds:.3f}"]
    args += ["-i", str(source), "-frames:v", "1", "-q:v", "3"]
    if width is not None:
        args += ["-vf", f"scale={width}:-2"]
    args.append(str(target))
    try:
        code, _, err = await _run(args, timeout=IMAGE_TIMEOUT_SECS)
    except TimeoutError:
        raise MediaError("thumbnail_failed", "ffmpeg timed out making an image.") from None
    if code != 0 or not target.is_file() or target.stat().st_size == 0:
        raise MediaError("thumbnail_failed", f"Could not make an image ({_last_line(err)}).")


async def transcode(
    source: Path,
    target: Path,
    *,
    duration_seconds: float,
    on_progress: Callable[[float], Awaitable[None]],
) -> None:
    """Re-encode `source` as H.264/AAC MP4 (fast start), reporting the fraction done.

    Raises:
        MediaError: `transcode_failed`.
    """
    args = [_tool("ffmpeg"), "-nostdin", "-v", "error", "-y", "-i", str(source)]
    args += ["-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast"]
    args += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart"]
    args += ["-progress", "pipe:1", "-nostats", "-f", "mp4", str(target)]
    proc = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    stderr_task = asyncio.ensure_future(proc.stderr.read())
    try:
        async for raw in proc.stdout:
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                await on_progress(min(1.0, int(value) / 1e6 / duration_seconds))
        code = await proc.wait()
    except BaseException:
        proc.kill()
        await proc.wait()
        raise
    err = await stderr_task
    if code != 0:
        raise MediaError("transcode_failed", f"Transcoding failed ({_last_line(err)}).")
