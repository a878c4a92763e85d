"""Realtime benchmarks of issue 8, with a bare `websockets.broadcast` server beside ours.

    python bench/realtime.py                       # all four, default sizes
    python bench/realtime.py --fanout 1000 --idle 5000 --chat 2000 --client-procs 2

Servers are real processes on free loopback ports, started here and stopped at the end:
`watchparty serve` on a fresh SQLite data directory (throttles off, flood limit raised so the
load generator is not refused), and `python bench/realtime.py bare-server`, a `websockets`
server that answers a trigger frame with one `websockets.broadcast` to every socket. Clients
are real `websockets` clients ((b): a leaner one, see there), split over `--client-procs`
processes (the client is part of every latency figure; compare the ratio of the two servers
measured by the same client).

(a) fan-out: one `playback.seek` (ours, stored then broadcast) or one trigger (bare) reaches
    N sockets of one party; latency = receive time - trigger send time, p50/p99 over all
    sockets and rounds. The client holds N sockets on each server and the rounds alternate
    between them (after one unmeasured round each), so the machine's drift during the run
    reaches both alike; besides the pooled p99 ratio it prints the median of the per-pair
    ratios (round r of ours over round r of bare).
(b) chat: `message.send` from 5 of 50 sockets of one party, all pipelined; stored and
    delivered messages/s (until every socket has every message) and lost messages. Bare:
    the same frames relayed to every socket by one `broadcast` each (the delivery ceiling).
    The 45 other sockets read in `--client-procs` processes, the 5 senders in this one. All
    50 are `LightSocket`s (handshake by hand, frames cut from the byte stream): with
    `websockets` clients, 300,000 frames to parse cost the 2 cores more than either server,
    and both servers measured that ceiling.
(c) sync: 50 clients with clock skew in ±5 s and 0-40 ms random one-way delays run the
    documented NTP-style estimate (8 pings, median offset of the 3 smallest-rtt samples), then
    compute the playback position at one instant; p99 of |error| against the true position.
(d) memory: server RSS growth per idle socket with N sockets open (ours: party channel),
    with permessage-deflate off (as ours ships, `WATCHPARTY_WS_PER_MESSAGE_DEFLATE`) and on
    (the `websockets` default) on both servers.

(a)-(c) run both servers without permessage-deflate unless `--deflate` (clients offer it, as
browsers do; the servers decline). The bare server and the clients run on uvloop and parse
with orjson, as `watchparty serve` does: the limit row is not slowed by a slower loop, and
the client (on the same 2 cores) takes less of the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gc
import json
import multiprocessing as mp
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import uvloop
from websockets.asyncio.client import ClientConnection, connect

HOST = "127.0.0.1"
START_TIMEOUT_SECS = 60.0
ROUNDS = 30
BARE, OURS = 0, 1  # the two servers of (a), in `measure_fanout`'s `urls`
USER = {"username": "rtbench", "email": "rtbench@example.com", "password": "bench-password-1"}
DEFAULT_OPEN_BATCH = 200
OPEN_BATCH = DEFAULT_OPEN_BATCH  # set from --open-batch
CHAT_TIMEOUT_SECS = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_secs(pid: int) -> float:
    """CPU time (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# -- the bare baseline -----------------------------------------------------------------------------


async def bare_server(port: int, deflate: bool) -> None:
    from websockets.asyncio.server import ServerConnection, broadcast, serve

    sockets: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        sockets.add(ws)
        try:
            async for message in ws:
                data = orjson.loads(message)
                frame = {"type": "tick", "ts": time.time_ns() // 1_000_000, "payload": data}
                broadcast(sockets, orjson.dumps(frame).decode())
        finally:
            sockets.discard(ws)

    # websockets' default is permessage-deflate; `compression=None` turns it off.
    options: dict[str, Any] = {} if deflate else {"compression": None}
    async with serve(handler, HOST, port, max_size=2**20, **options):
        await asyncio.Future()


# -- servers ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{command[0]} exited:\n{log.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{command} did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def ours_env(data_dir: Path, deflate: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHPARTY_")}
    env.update(
        {
            "WATCHPARTY_DATA_DIR": str(data_dir),
            "WATCHPARTY_THROTTLE_ENABLED": "false",
            "WATCHPARTY_WS_FRAMES_PER_SECOND": "1000000",
            "WATCHPARTY_WS_FRAME_BURST": "1000000",
            "WATCHPARTY_WS_PER_MESSAGE_DEFLATE": "true" if deflate else "false",
        }
    )
    return env


def set_up_party(base: str) -> tuple[str, str]:
    """Register and log in the bench user over the API; a party it hosts. (token, party id)"""
    with httpx.Client(base_url=base, timeout=30) as client:
        client.post("/api/auth/register/", json=USER)
        login = client.post(
            "/api/auth/login/", json={"email": USER["email"], "password": USER["password"]}
        )
        login.raise_for_status()
        token = login.json()["access"]
        headers = {"Authorization": f"Bearer {token}"}
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        party = client.post(
            "/api/parties/", json={"title": "bench", "scheduled_for": when}, headers=headers
        )
        party.raise_for_status()
        return token, party.json()["id"]


# -- client processes ------------------------------------------------------------------------------


async def open_many(url: str, count: int, greeting: str | None) -> list[ClientConnection]:
    """`count` sockets, each once the server sent it `greeting` (its join is complete)."""

    async def one() -> ClientConnection:
        ws = await connect(url, max_size=2**22, open_timeout=300, ping_interval=None)
        while greeting is not None and json.loads(await ws.recv())["type"] != greeting:
            pass
        return ws

    sockets: list[ClientConnection] = []
    for start in range(0, count, OPEN_BATCH):
        sockets += await asyncio.gather(*(one() for _ in range(min(OPEN_BATCH, count - start))))
    return sockets


class LightSocket:
    """A lean WebSocket client for (b): the opening handshake by hand, the server's (unmasked)
    frames cut from the byte stream, pings answered, text frames sent masked by zeros. With
    `websockets` clients (b)'s 50 sockets cost the 2 cores more than either server did, so
    both servers measured the client's ceiling (docs/benchmarks.md)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.buf, self.pos = bytearray(), 0  # bytes read, and where the next frame starts

    @classmethod
    async def open(cls, url: str, greeting: str | None) -> LightSocket:
        """Connected to `url`, once the server sent `greeting` (its join is complete)."""
        where = urlsplit(url)
        reader, writer = await asyncio.open_connection(where.hostname, where.port)
        key = base64.b64encode(os.urandom(16)).decode()
        target = where.path + (f"?{where.query}" if where.query else "")
        writer.write(
            f"GET {target} HTTP/1.1\r\nHost: {where.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"handshake refused: {head.decode(errors='replace')}")
        self = cls(reader, writer)
        if greeting is not None:
            async for raw in self:
                if orjson.loads(raw)["type"] == greeting:
                    break
        return self

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """The payloads of text frames, until the connection ends (a loop that stops early
        leaves the frames after it for the next)."""
        while True:
            frame = self._cut()
            if frame is None:
                data = await self.reader.read(1 << 16)
                if not data:
                    return
                del self.buf[: self.pos]
                self.buf += data
                self.pos = 0
                continue
            opcode, payload = frame
            if opcode == 0x1:
                yield payload
            elif opcode == 0x9:  # ping: a pong with the same payload, masked by zeros
                self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
            elif opcode == 0x8:
                return

    def _cut(self) -> tuple[int, bytes] | None:
        """The next whole frame in the buffer (opcode, payload), if there is one."""
        buf, at = self.buf, self.pos
        if len(buf) - at < 2:
            return None
        opcode, size, at = buf[at] & 0x0F, buf[at + 1] & 0x7F, at + 2
        if size >= 126:
            width = 2 if size == 126 else 8
            if len(buf) - at < width:
                return None
            size, at = int.from_bytes(buf[at : at + width], "big"), at + width
        if len(buf) - at < size:
            return None
        self.pos = at + size
        return opcode, bytes(buf[at : self.pos])

    def send(self, text: str) -> None:
        data = text.encode()
        size = len(data)
        if size < 126:
            head = bytes([0x81, 0x80 | size])
        elif size < 1 << 16:
            head = bytes([0x81, 0x80 | 126]) + size.to_bytes(2, "big")
        else:
            head = bytes([0x81, 0x80 | 127]) + size.to_bytes(8, "big")
        self.writer.write(head + b"\0\0\0\0" + data)

    async def close(self) -> None:
        with contextlib.suppress(OSError):
            self.writer.write(b"\x88\x82\0\0\0\0\x03\xe8")  # close 1000, masked by zeros
            await self.writer.drain()
        self.writer.close()


def fanout_client(
    targets: tuple[tuple[str, bool], ...], count: int, rounds: int, queue: Any, go: Any
) -> None:
    """`count` sockets on each target, (url, whether it is ours: a party channel answering
    `playback.seek`, else a bare trigger server); reports (target index, round, receive time)."""

    async def main() -> None:
        groups = [
            await open_many(url, count, "presence" if ours else None) for url, ours in targets
        ]
        received: list[tuple[int, int, float]] = []
        done = asyncio.Event()

        async def read(ws: ClientConnection, index: int, ours: bool) -> None:
            async for raw in ws:
                frame = orjson.loads(raw)
                if ours:
                    if frame["type"] != "playback.state" or frame["payload"]["cause"] != "seek":
                        continue
                    tag = int(frame["payload"]["position"])
                else:
                    tag = frame["payload"]["round"]
                received.append((index, tag, time.time()))
                if len(received) >= len(targets) * count * rounds:
                    done.set()

        readers = [
            asyncio.create_task(read(ws, index, ours))
            for index, ((_, ours), sockets) in enumerate(zip(targets, groups, strict=True))
            for ws in sockets
        ]
        # Out of the collector's sight: a full collection over 1,000 sockets' objects paused
        # this reader for tens of ms, an outlier round for whichever server it fell on.
        gc.collect()
        gc.freeze()
        queue.put(("ready", count))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 60 + rounds * 10)
        queue.put(("received", received))
        await asyncio.to_thread(go.wait)  # keep the sockets open until told
        for task in readers:
            task.cancel()
        sockets = [ws for group in groups for ws in group]
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

    uvloop.run(main())


def idle_client(url: str, count: int, greeting: str | None, queue: Any, go: Any) -> None:
    async def main() -> None:
        sockets = await open_many(url, count, greeting)
        queue.put(("ready", count))
        await asyncio.to_thread(go.wait)
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

    uvloop.run(main())


def spread(target: Any, total: int, procs: int, *args: Any) -> tuple[list[mp.Process], Any, Any]:
    queue: Any = mp.Queue()
    go = mp.Event()
    workers = []
    for n in range(procs):
        count = total // procs + (1 if n < total % procs else 0)
        worker = mp.Process(target=target, args=(args[0], count, *args[1:], queue, go))
        worker.start()
        workers.append(worker)
    return workers, queue, go


def wait_ready(queue: Any, procs: int) -> None:
    for _ in range(procs):
        kind, _count = queue.get(timeout=600)
        assert kind == "ready"


def finish(workers: list[mp.Process], go: Any) -> None:
    go.set()
    for worker in workers:
        worker.join(timeout=60)
        if worker.is_alive():
            worker.kill()


# -- (a) fan-out -----------------------------------------------------------------------------------


def measure_fanout(urls: tuple[str, str], n: int, procs: int) -> dict[str, Any]:
    """Rounds of one event to `n` sockets, alternating between the bare server and ours (the
    first of each pair alternating too), so drift of the machine reaches both alike."""
    targets = ((urls[BARE], False), (urls[OURS], True))
    # One unmeasured round first on each server (tag 0 is never sent: `ROUNDS + 1` stands
    # for it), so that neither pays its first-use costs (our statements' compilation) in
    # the figures.
    workers, queue, go = spread(fanout_client, n, procs, targets, ROUNDS + 1)
    wait_ready(queue, procs)
    sent: dict[tuple[int, int], float] = {}

    async def trigger() -> None:
        async with (
            connect(urls[BARE], max_size=2**22) as bare,
            connect(urls[OURS], max_size=2**22) as ours,
        ):
            triggers = {BARE: bare, OURS: ours}
            for r in (ROUNDS + 1, *range(1, ROUNDS + 1)):
                for server in (BARE, OURS) if r % 2 else (OURS, BARE):
                    sent[server, r] = time.time()
                    frame: dict[str, Any] = (
                        {"type": "playback.seek", "payload": {"position": r}}
                        if server == OURS
                        else {"round": r}
                    )
                    await triggers[server].send(json.dumps(frame))
                    await asyncio.sleep(max(0.3, n / 2000))

    uvloop.run(trigger())
    latencies: dict[tuple[int, int], list[float]] = {
        (server, r): [] for server, r in sent if r <= ROUNDS
    }
    for _ in range(procs):
        kind, received = queue.get(timeout=600)
        for server, r, at in received:
            if (server, r) in latencies:
                latencies[server, r].append((at - sent[server, r]) * 1000)
    finish(workers, go)
    rows = {}
    for server in (BARE, OURS):
        pooled = [ms for (s, _r), values in latencies.items() if s == server for ms in values]
        rows[server] = {
            "p50": pct(pooled, 50),
            "p99": pct(pooled, 99),
            "delivered": len(pooled),
            "expected": n * ROUNDS,
        }
    per_round = [
        pct(latencies[OURS, r], 99) / pct(latencies[BARE, r], 99)
        for r in range(1, ROUNDS + 1)
        if latencies[OURS, r] and latencies[BARE, r]
    ]
    return {"bare": rows[BARE], "ours": rows[OURS], "round_p99_ratios": per_round}


# -- (b) chat --------------------------------------------------------------------------------------


async def chat_read(
    conns: Sequence[ClientConnection | LightSocket], messages: int, is_ours: bool, timeout: float
) -> tuple[int, int, float]:
    """Read until every socket has every message (or `timeout`): (delivered, errors, the
    wall-clock time of the last message received)."""
    seen = [set[str]() for _ in conns]
    errors = 0
    last = 0.0
    all_in = asyncio.Event()

    async def read(i: int, ws: ClientConnection | LightSocket) -> None:
        nonlocal errors, last
        async for raw in ws:
            frame = orjson.loads(raw)
            if frame["type"] == "error":
                errors += 1
            elif frame["type"] in ("message.created", "tick"):
                # Bare: the sent frame comes back whole, as the `tick` payload.
                payload = frame["payload"] if is_ours else frame["payload"]["payload"]
                seen[i].add(payload["client_id"])
                last = time.time()
                if len(seen[i]) >= messages and all(len(s) >= messages for s in seen):
                    all_in.set()

    readers = [asyncio.create_task(read(i, ws)) for i, ws in enumerate(conns)]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_in.wait(), timeout)
    for task in readers:
        task.cancel()
    return sum(len(s) for s in seen), errors, last


async def open_light(url: str, count: int, greeting: str | None) -> list[LightSocket]:
    return list(await asyncio.gather(*(LightSocket.open(url, greeting) for _ in range(count))))


def chat_client(url: str, count: int, messages: int, is_ours: bool, queue: Any, go: Any) -> None:
    """`count` of the party's reading sockets, in a process of their own."""

    async def main() -> None:
        conns = await open_light(url, count, "session.welcome" if is_ours else None)
        queue.put(("ready", count))
        queue.put(("received", await chat_read(conns, messages, is_ours, CHAT_TIMEOUT_SECS)))
        await asyncio.to_thread(go.wait)
        await asyncio.gather(*(ws.close() for ws in conns), return_exceptions=True)

    uvloop.run(main())


def measure_chat(
    url: str,
    pid: int,
    messages: int,
    is_ours: bool,
    procs: int,
    senders: int = 5,
    sockets: int = 50,
) -> dict[str, float]:
    """`senders` sockets of this process send, pipelined; they and the other sockets of the
    party (spread over `procs` processes) must each receive every message. The server's CPU
    time per message does not depend on what else runs on the machine, msg/s does."""
    workers, queue, go = spread(chat_client, sockets - senders, procs, url, messages, is_ours)
    wait_ready(queue, procs)

    async def send_all() -> tuple[float, tuple[int, int, float]]:
        conns = await open_light(url, senders, "session.welcome" if is_ours else None)
        reading = asyncio.create_task(chat_read(conns, messages, is_ours, CHAT_TIMEOUT_SECS))
        await asyncio.sleep(0.5)
        start = time.time()

        async def send(ws: LightSocket, k: int) -> None:
            for n in range(k, messages, senders):
                payload = {"content": f"m{n}", "client_id": f"b{n}"}
                ws.send(json.dumps({"type": "message.send", "payload": payload}))
                await ws.writer.drain()

        await asyncio.gather(*(send(conns[k], k) for k in range(senders)))
        own = await reading
        await asyncio.gather(*(ws.close() for ws in conns), return_exceptions=True)
        return start, own

    cpu_before = cpu_secs(pid)
    start, own = uvloop.run(send_all())
    results = [own] + [queue.get(timeout=CHAT_TIMEOUT_SECS + 60)[1] for _ in range(procs)]
    cpu = cpu_secs(pid) - cpu_before
    finish(workers, go)
    delivered = sum(r[0] for r in results)
    last = max(r[2] for r in results)
    return {
        "msg_per_s": messages / (last - start) if last > start else 0.0,
        "lost": messages * sockets - delivered,
        "errors": sum(r[1] for r in results),
        "cpu_us": cpu / messages * 1e6,
    }


# -- (c) sync agreement ----------------------------------------------------------------------------


async def measure_sync(url: str, host_url: str, clients: int = 50) -> dict[str, float]:
    rng = random.Random(8)

    async def estimate(skew_ms: float) -> tuple[ClientConnection, float]:
        ws = await connect(url, max_size=2**22)

        def local() -> float:  # this client's clock, ms
            return time.time() * 1000 + skew_ms

        samples = []
        for _ in range(8):
            t0 = local()
            await asyncio.sleep(rng.uniform(0, 0.040))  # uplink delay
            await ws.send(json.dumps({"type": "sync.ping", "payload": {"client_ts": t0}}))
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "sync.pong":
                    break
            await asyncio.sleep(rng.uniform(0, 0.040))  # downlink delay
            t1 = local()
            server_ts = frame["payload"]["server_ts"]
            samples.append((t1 - t0, server_ts - (t0 + t1) / 2))
        best = sorted(samples)[:3]
        return ws, statistics.median(offset for _, offset in best)

    skews = [rng.uniform(-5000, 5000) for _ in range(clients)]
    estimates = await asyncio.gather(*(estimate(s) for s in skews))
    async with connect(host_url, max_size=2**22) as host:
        await host.send(json.dumps({"type": "playback.play", "payload": {"position": 100}}))
        while True:
            frame = json.loads(await host.recv())
            if frame["type"] == "playback.state" and frame["payload"]["cause"] == "play":
                state = frame["payload"]
                break
    now_real = time.time() * 1000
    truth = state["position"] + (now_real - state["ref_ts"]) / 1000 * state["rate"]
    errors = []
    for (ws, offset), skew in zip(estimates, skews, strict=True):
        local_now = now_real + skew
        estimate_pos = (
            state["position"] + (local_now + offset - state["ref_ts"]) / 1000 * state["rate"]
        )
        errors.append(abs(estimate_pos - truth) * 1000)
        await ws.close()
    return {"p50": pct(errors, 50), "p99": pct(errors, 99), "max": max(errors)}


# -- (d) idle memory -------------------------------------------------------------------------------


def measure_idle(url: str, pid: int, n: int, procs: int, greeting: str | None) -> float:
    before = rss_kib(pid)
    workers, queue, go = spread(idle_client, n, procs, url, greeting)
    wait_ready(queue, procs)
    time.sleep(2.0)
    after = rss_kib(pid)
    finish(workers, go)
    return (after - before) / n


# -- main ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "bare-server"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fanout", type=int, default=1000)
    parser.add_argument("--chat", type=int, default=2000)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--only", default="abcd", help="measurements to run, e.g. `ab`")
    parser.add_argument(
        "--open-batch",
        type=int,
        default=DEFAULT_OPEN_BATCH,
        help="sockets each client process opens at once (joins write to the database: "
        "on a busy machine SQLite may time out under hundreds at once)",
    )
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="(a)-(c): both servers with permessage-deflate (default: both without, as ours "
        "ships); (d) always measures both ways",
    )
    args = parser.parse_args()
    global OPEN_BATCH
    OPEN_BATCH = args.open_batch
    if args.mode == "bare-server":
        uvloop.run(bare_server(args.port, args.deflate))
        return

    watchparty = shutil.which("watchparty", path=str(Path(sys.executable).parent))
    assert watchparty, "install the project first (pip install -e .)"
    tmp = Path(tempfile.mkdtemp(prefix="rtbench-"))
    results: dict[str, Any] = {}
    procs = args.client_procs

    def ours(stack: contextlib.ExitStack, deflate: bool) -> tuple[int, str, str]:
        """A `watchparty serve`: its pid and the party and chat URLs of a party it hosts."""
        port, name = free_port(), f"ours-{'deflate' if deflate else 'plain'}"
        cmd = [watchparty, "serve", "--host", HOST, "--port", str(port)]
        env = ours_env(tmp / name, deflate)
        pid = stack.enter_context(running(cmd, env, port, tmp / f"{name}.log"))
        token, party = set_up_party(f"http://{HOST}:{port}")
        base = f"ws://{HOST}:{port}/ws"
        return pid, f"{base}/party/{party}/?token={token}", f"{base}/chat/{party}/?token={token}"

    def bare(stack: contextlib.ExitStack, deflate: bool) -> tuple[int, str]:
        port = free_port()
        cmd = [sys.executable, __file__, "bare-server", "--port", str(port)]
        log = tmp / f"bare-{deflate}.log"
        pid = stack.enter_context(
            running([*cmd, *(["--deflate"] if deflate else [])], dict(os.environ), port, log)
        )
        return pid, f"ws://{HOST}:{port}/"

    try:
        with contextlib.ExitStack() as stack:
            ours_pid, party_url, chat_url = ours(stack, args.deflate)
            bare_pid, bare_url = bare(stack, args.deflate)
            if "a" in args.only:
                results["a"] = measure_fanout((bare_url, party_url), args.fanout, procs)
            if "b" in args.only:
                results["b"] = (
                    measure_chat(bare_url, bare_pid, args.chat, False, procs),
                    measure_chat(chat_url, ours_pid, args.chat, True, procs),
                )
            if "c" in args.only:
                results["c"] = uvloop.run(measure_sync(party_url, party_url))
            if "d" in args.only:
                other_pid, other_party_url, _ = ours(stack, not args.deflate)
                other_bare_pid, other_bare_url = bare(stack, not args.deflate)
                by_deflate = {
                    args.deflate: (bare_pid, bare_url, ours_pid, party_url),
                    not args.deflate: (other_bare_pid, other_bare_url, other_pid, other_party_url),
                }
                results["d"] = {
                    deflate: (
                        measure_idle(b_url, b_pid, args.idle, procs, None),
                        measure_idle(o_url, o_pid, args.idle, procs, "presence"),
                    )
                    for deflate, (b_pid, b_url, o_pid, o_url) in sorted(by_deflate.items())
                }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, args)


def report(r: dict[str, Any], args: argparse.Namespace) -> None:
    if set(r) & set("abc"):
        print(f"(a)-(c): permessage-deflate {'on' if args.deflate else 'off'} on both servers")
    if "a" in r:
        fb, fo, ratios = r["a"]["bare"], r["a"]["ours"], r["a"]["round_p99_ratios"]
        print(
            f"(a) fan-out of one event to {args.fanout} sockets, {ROUNDS} rounds per server "
            f"interleaved, {args.client_procs} client processes"
        )
        print("    server          p50 ms   p99 ms   delivered")
        for name, row in (("bare broadcast", fb), ("watchparty", fo)):
            delivered = f"{row['delivered']}/{row['expected']}"
            print(f"    {name:<14}  {row['p50']:7.1f}  {row['p99']:7.1f}   {delivered}")
        print(
            f"    p99 ratio: {fo['p99'] / fb['p99']:.2f}x over all rounds; per pair of rounds "
            f"median {statistics.median(ratios):.2f}x, quartiles "
            f"{pct(ratios, 25):.2f}-{pct(ratios, 75):.2f}x (target <= 1.5x)"
        )
    if "b" in r:
        cb, co = r["b"]
        print(f"(b) chat, {args.chat} messages from 5 senders into 50 sockets")
        for name, row in (("bare broadcast", cb), ("watchparty", co)):
            print(
                f"    {name:<14}  {row['msg_per_s']:6.0f} msg/s delivered, lost {row['lost']}, "
                f"errors {row['errors']}; server CPU {row['cpu_us']:.0f} us/message "
                f"(= {1e6 / row['cpu_us']:,.0f} msg/s on one free core)"
            )
        print("    (bare relays each frame to every socket; ours stores it first)")
    if "c" in r:
        s = r["c"]
        print(
            f"(c) sync agreement, 50 clients, skew ±5 s, delay 0-40 ms: |error| "
            f"p50 {s['p50']:.1f} ms, p99 {s['p99']:.1f} ms, max {s['max']:.1f} ms"
        )
    if "d" in r:
        (plain_b, plain_o), (deflate_b, deflate_o) = r["d"][False], r["d"][True]
        print(f"(d) memory per idle socket at {args.idle} (KiB of server RSS growth)")
        print("    permessage-deflate     bare   watchparty   ratio")
        for name, (b, o) in (
            ("off (ours ships)", (plain_b, plain_o)),
            ("on", (deflate_b, deflate_o)),
        ):
            print(f"    {name:<18}  {b:7.1f}  {o:11.1f}   {o / b:5.2f}x")
        print(
            f"    ours as shipped vs bare with its defaults (deflate on): "
            f"{plain_o / deflate_b:.2f}x (target <= 1.2x)"
        )


if __name__ == "__main__":
    main()
