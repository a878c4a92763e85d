"""Video upload throughput and server memory (issue 7; docs/benchmarks.md "Video uploads").

    python bench/upload.py                       # 50 MB and 500 MB, multipart and presigned PUT
    python bench/upload.py --sizes-mb 20,200,2000

Starts `watchparty.app:create_app` under uvicorn (one process, in-memory job bus) on a
fresh data directory, logs a user in, and for each size uploads one file twice: multipart
`POST /api/videos/upload/` and the pre-signed `PUT /api/videos/{id}/blob/` (after
`POST /api/videos/upload-url/`). The client streams the file from disk in 1 MiB chunks.
Printed per upload: MB/s (wall time of the request) and the server's peak RSS during it
(`VmHWM`, reset before each upload through /proc/<pid>/clear_refs, so Linux and root or the
server's own user are needed). Flat peaks across sizes show that the body is never held.

The files start with an MP4 `ftyp` box (they pass the magic-number check) followed by
random bytes; their processing job then fails in ffprobe, which is not what is measured.

Then, per size, a support attachment of that size (past its 10 MiB limit) is sent over a raw
socket, its length declared: printed are the answer, how much of the body the client had
written when the answer came (what the kernel's buffers took counts too), and the peak RSS. A
server that reads the body before refusing it writes the whole file and grows by its size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rest import HOST, UVICORN_FLAGS, Server, free_port, log_in, start, stop  # noqa: E402

MB = 1_000_000
CHUNK = 1024 * 1024
FTYP = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
BOUNDARY = "benchboundary7d1f"


def make_file(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(FTYP)
        left = size - len(FTYP)
        while left > 0:
            block = os.urandom(min(CHUNK, left))
            out.write(block)
            left -= len(block)


def file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk


def multipart(path: Path) -> tuple[Iterator[bytes], int]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{path.name}"\r\nContent-Type: video/mp4\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from file_chunks(path)
        yield tail

    return body(), len(head) + path.stat().st_size + len(tail)


async def refused_attachment(port: int, token: str, ticket: str, size: int) -> tuple[str, int]:
    """Send a support attachment of `size` bytes, length declared, until the server answers:
    its status line and the bytes written by then."""
    reader, writer = await asyncio.open_connection(HOST, port)
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + b"\x89PNG\r\n\x1a\n"
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    writer.write(
        f"POST /api/support/tickets/{ticket}/attachments/ HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(head) + size + len(tail)}\r\n\r\n".encode()
        + head
    )
    answer = asyncio.ensure_future(reader.readline())
    sent, block = 0, bytes(CHUNK)
    try:
        while sent < size and not answer.done():
            writer.write(block)
            sent += len(block)
            await writer.drain()
        if not answer.done():
            writer.write(tail)
            await writer.drain()
    except ConnectionError:
        pass  # the server answered and closed
    status = (await asyncio.wait_for(answer, 600)).decode().strip()
    writer.close()
    return status, sent


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc: Linux only")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def timed(pid: int, send: httpx.Client, **request: object) -> tuple[httpx.Response, float, float]:
    reset_peak(pid)
    began = time.perf_counter()
    answer = send.request(**request)  # type: ignore[arg-type]
    if not answer.is_success:
        raise SystemExit(f"{request['method']} answered {answer.status_code}: {answer.text}")
    return answer, time.perf_counter() - began, peak_rss_mb(pid)


def run(sizes_mb: list[int], work: Path) -> None:
    port = free_port()
    data = work / "data"
    server = Server(
        name="upload",
        command=[
            sys.executable,
            "-m",
            "uvicorn",
            "watchparty.app:create_app",
            "--factory",
            "--host",
            HOST,
            "--port",
            str(port),
            *UVICORN_FLAGS,
        ],
        env={
            "WATCHPARTY_DATA_DIR": str(data),
            "WATCHPARTY_THROTTLE_ENABLED": "false",
            "WATCHPARTY_VIDEO_MAX_UPLOAD_BYTES": str(10 * 1024**3),
        },
        port=port,
        ours=True,
    )
    start(server, work)
    assert server.process is not None
    pid = server.process.pid
    try:
        token = log_in(server)
        headers = {"Authorization": f"Bearer {token}"}
        print(f"server pid {pid}, idle peak RSS {peak_rss_mb(pid):.0f} MB")
        print(f"{'size':>8} {'method':<10} {'status':>6} {'MB/s':>8} {'peak RSS MB':>12}")
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=600) as client:
            for size_mb in sizes_mb:
                path = work / f"bench-{size_mb}mb.mp4"
                make_file(path, size_mb * MB)
                body, length = multipart(path)
                answer, secs, peak = timed(
                    pid,
                    client,
                    method="POST",
                    url="/api/videos/upload/",
                    content=body,
                    headers={
                        **headers,
                        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                        "Content-Length": str(length),
                    },
                )
                print(
                    f"{size_mb:>6}MB {'multipart':<10} {answer.status_code:>6} "
                    f"{size_mb / secs:>8.1f} {peak:>12.0f}"
                )
                target = client.post(
                    "/api/videos/upload-url/",
                    headers=headers,
                    json={
                        "title": "Bench",
                        "filename": path.name,
                        "content_type": "video/mp4",
                        "size_bytes": path.stat().st_size,
                    },
                ).json()
                answer, secs, peak = timed(
                    pid,
                    client,
                    method="PUT",
                    url=target["upload_url"],
                    content=file_chunks(path),
                    headers={**target["headers"], "Content-Length": str(path.stat().st_size)},
                )
                print(
                    f"{size_mb:>6}MB {'presigned':<10} {answer.status_code:>6} "
                    f"{size_mb / secs:>8.1f} {peak:>12.0f}"
                )
                path.unlink()
            ticket = client.post(
                "/api/support/tickets/",
                headers=headers,
                json={"subject": "Bench", "category": "other", "body": "Attachments."},
            ).json()["id"]
            for size_mb in sizes_mb:
                reset_peak(pid)
                status, sent = asyncio.run(refused_attachment(port, token, ticket, size_mb * MB))
                print(
                    f"{size_mb:>6}MB {'attachment':<10} {status.split()[1]:>6} "
                    f"{sent / MB:>6.1f}MB written {peak_rss_mb(pid):>6.0f}"
                )
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes-mb", default="50,500", help="comma-separated file sizes (MB)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes_mb.split(",")]
    with tempfile.TemporaryDirectory(prefix="watchparty-bench-upload-") as tmp:
        run(sizes, Path(tmp))


if __name__ == "__main__":
    main()
