"""Mock server throughput on three operations, and Stoplight Prism's in the same run (issue 4).

    python bench/mock.py                    # 5 s per operation and server, one client process
    python bench/mock.py --seconds 10 --no-prism

Servers are real processes on free loopback ports: `watchparty mock` (one uvicorn worker,
response validation on, as shipped) and, when `npx` is on PATH, `npx @stoplight/prism-cli
mock specs/openapi.yaml` (fetched from the npm registry on first use). Load comes from
asyncio + httpx clients in separate processes, bounded in time and connections. Operations:
`listParties` (an example), `getParty` with `Prefer: dynamic=true` (generated data) and
`login` (a validated JSON body). Results go to docs/benchmarks.md, "Mock server".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjIn0.sig"  # the spec's example access token
PARTY = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None


OPERATIONS = [
    Operation(
        "listParties (example)", "GET", "/api/parties/", {"Authorization": f"Bearer {TOKEN}"}
    ),
    Operation(
        "getParty (dynamic)",
        "GET",
        f"/api/parties/{PARTY}/",
        {"Authorization": f"Bearer {TOKEN}", "Prefer": "dynamic=true"},
    ),
    Operation(
        "login (JSON body)",
        "POST",
        "/api/auth/login/",
        {"Content-Type": "application/json"},
        b'{"email": "ana@example.com", "password": "correct-horse-battery"}',
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(command: list[str], port: int, *, ready_timeout: float) -> Iterator[float]:
    """Start `command`, wait until the port answers HTTP; yields the start-up time in s."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = started + ready_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://{HOST}:{port}/api/billing/plans/", timeout=0.5)
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{' '.join(command)} did not answer in {ready_timeout} s")
            time.sleep(0.02)
        yield time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def _load(url: str, op: Operation, seconds: float, connections: int) -> tuple[int, int]:
    ok = failed = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal ok, failed
            while time.perf_counter() < stop:
                response = await client.request(
                    op.method, url + op.path, headers=op.headers, content=op.body
                )
                if response.status_code < 300:
                    ok += 1
                else:
                    failed += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
    return ok, failed


def _client(args: tuple[str, Operation, float, int]) -> tuple[int, int]:
    return asyncio.run(_load(*args))


def measure(url: str, op: Operation, *, seconds: float, connections: int, clients: int) -> float:
    """Requests/s with `clients` processes of `connections` connections each."""
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        _client((url, op, 0.3, 2))  # warm-up: first-request costs stay out of the figure
        results = pool.map(_client, [(url, op, seconds, connections)] * clients)
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    if failed:
        raise RuntimeError(f"{op.name} on {url}: {failed} non-2xx answers")
    return ok / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16, help="per client process")
    parser.add_argument(
        "--clients", type=int, default=1, help="client processes (the server keeps a core)"
    )
    parser.add_argument("--no-prism", action="store_true")
    args = parser.parse_args(argv)

    servers: dict[str, list[str]] = {
        "watchparty mock": [
            sys.executable,
            "-c",
            "import typer; from mocks.cli import mock; typer.run(mock)",
            "--port",
        ],
    }
    npx = shutil.which("npx")
    if npx and not args.no_prism:
        servers["prism mock"] = [
            npx,
            "--yes",
            "@stoplight/prism-cli@5",
            "mock",
            "specs/openapi.yaml",
            "--host",
            HOST,
            "--port",
        ]
    figures: dict[str, dict[str, float]] = {}
    for name, command in servers.items():
        port = free_port()
        timeout = 300.0 if "prism" in name else 30.0  # npx fetches Prism on first use
        with server([*command, str(port)], port, ready_timeout=timeout) as startup:
            print(f"{name}: ready after {startup:.2f} s", flush=True)
            figures[name] = {
                op.name: measure(
                    f"http://{HOST}:{port}",
                    op,
                    seconds=args.seconds,
                    connections=args.connections,
                    clients=args.clients,
                )
                for op in OPERATIONS
            }
    print(
        f"\n{'operation':<24}"
        + "".join(f"{name:>18}" for name in figures)
        + ("      ratio" if len(figures) > 1 else "")
    )
    for op in OPERATIONS:
        row: list[Any] = [figures[name][op.name] for name in figures]
        ratio = f"{row[0] / row[1]:>10.2f}x" if len(row) > 1 and row[1] else ""
        print(f"{op.name:<24}" + "".join(f"{value:>14.0f} r/s" for value in row) + ratio)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
