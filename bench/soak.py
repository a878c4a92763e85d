"""Soak test of issue 10 (load, bounded, on loopback): many sockets, steady traffic, nothing lost.

    python bench/soak.py                          # 5,000 clients in 200 parties, 60 s, 2 waves
    python bench/soak.py --clients 500 --parties 20 --duration 15      # a short run
    python bench/soak.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
    python bench/soak.py --redis redis://127.0.0.1:6379/0      # two server processes

One `watchparty serve` (two with `--redis`: `--workers 2` sharing rooms through Redis) on a
fresh SQLite data directory, or a fresh schema of `--postgres` (dropped afterwards). Seeding
goes straight to the database: users (one precomputed password hash, so no argon2 per user),
a session (refresh family) each with an access token minted as login does, parties made by
the party service with their host (plan "pro") and the other clients inserted as joined
participants. The server runs as shipped except for a longer access-token lifetime (the run
outlives the default 15 minutes): throttles and the per-socket flood limit stay on, and the
load stays under them (each user sends far below `chat_send` 30/minute, each socket far below
20 frames/s; the script refuses rates that would not).

Each client is one user with two sockets, `/ws/party/{id}/` and `/ws/chat/{id}/`, in client
processes that own whole parties. Per wave: connect every socket (greeting received), then for
`--duration` seconds send chat (`message.send` with a `client_id`, round-robin over users),
playback (the host's play/seek/pause, round-robin over parties) and `sync.ping`, while another
process sends REST traffic (party detail and list, chat list and send, notifications); wait for
the last answers, close every socket (paced, `--close-rate`), let the server settle, and have
each host reopen its party socket to read the room's presence. Waves repeat all of it with the
same users, so memory a wave leaves behind shows as growth between waves.

Pass criteria (exit status 1 otherwise): no 5xx or other unexpected REST status, no error frame,
no unexpected close or refused connection, no error line in the server log; every chat message
acknowledged to its sender (its own `message.created`, or REST 201) is in the database; every
socket got every message, every playback change (no `seq` gap) and every `sync.pong`; the
REST client never at its in-flight cap (the load was delivered); after the disconnect the
open-socket gauge is 0 and the rooms' presence is empty; memory flat: RSS after the last
wave's settle is within 5% of one wave's peak growth (at least 8 MiB) of RSS after the first
wave's settle (needs `--waves` >= 2).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import json
import multiprocessing as mp
import os
import random
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from rest import postgres_schema  # bench/rest.py: a fresh migrated schema
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

HOST = "127.0.0.1"
START_TIMEOUT_SECS = 90.0
OPEN_BATCH = 50  # handshakes in flight per client process
TOKEN_TTL_SECS = 4 * 3600
PASSWORD = "soak-password-1"
PLAYBACK_CYCLE = ("playback.play", "playback.seek", "playback.pause")
# REST mix: operation -> weight (per 20 requests).
REST_MIX = {"getParty": 6, "listParties": 3, "sendChatMessage": 4, "listChatMessages": 3,
            "listNotifications": 2, "getUnreadNotificationCount": 2}  # fmt: skip
REST_IN_FLIGHT = 64
# Memory is flat when a later wave ends (after its settle) within 5% of one wave's peak RSS
# growth of where the first ended, or within 8 MiB (allocator noise; small runs).
MEMORY_TOLERANCE = 0.05
MEMORY_FLOOR_MIB = 8.0


# -- small helpers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (uvicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def cpu_secs(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def paced(rate: float, secs: float, action: Callable[[int], Any], lag: list[float]) -> int:
    """Call `action(n)` `rate` times a second for `secs` on a fixed schedule (open loop: a slow
    action does not lower the rate, it shows as lag); the count of calls."""
    if rate <= 0:
        return 0
    start = time.monotonic()
    n = 0
    while (due := start + n / rate) < start + secs:
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            lag[0] = max(lag[0], -delay)
        result = action(n)
        if asyncio.iscoroutine(result):
            await result
        n += 1
    return n


# -- seeding ---------------------------------------------------------------------------------------


@dataclass
class Member:
    user_id: str
    token: str
    host: bool


@dataclass
class PartySeed:
    id: str
    members: list[Member]


async def seed(env: dict[str, str], clients: int, parties: int) -> list[PartySeed]:
    """Users, sessions and tokens, parties and participants, straight into the database."""
    from watchparty.auth import passwords
    from watchparty.auth.tokens import encode_access_token
    from watchparty.db import utcnow
    from watchparty.runtime import open_runtime, use_runtime
    from watchparty.services.parties import check_create_party
    from watchparty.tables import PartyParticipant, RefreshTokenFamily, User

    settings = settings_from(env)
    async with open_runtime(settings) as rt:
        password_hash = await passwords.hash_password(PASSWORD, settings=settings)
        now = utcnow()
        tag = uuid.uuid4().hex[:6]
        users = [
            User(
                username=f"soak{tag}_{n}",
                email=f"soak{tag}_{n}@example.com",
                password_hash=password_hash,
                display_name=f"Soak {n}",
                plan="pro" if n < parties else "free",  # hosts: room for the whole party
                date_joined=now,
                password_changed_at=now,
            )
            for n in range(clients)
        ]
        families = [RefreshTokenFamily(user_id=u.id, created_at=now) for u in users]
        async with rt.db.session() as session:
            session.add_all(users)
            await session.flush()
            session.add_all(families)
            await session.commit()
        tokens = {
            u.id: encode_access_token(
                settings=settings, user_id=u.id, role=u.role, family_id=f.id, now=now
            )
            for u, f in zip(users, families, strict=True)
        }
        seeds: list[PartySeed] = []
        guests = iter(users[parties:])
        with use_runtime(rt):
            for p, host in enumerate(users[:parties]):
                size = clients // parties + (1 if p < clients % parties else 0)
                async with rt.db.session() as session:
                    body = {
                        "title": f"Soak {p}",
                        "scheduled_for": (now + dt.timedelta(days=1)).isoformat(),
                        "settings": {"visibility": "private"},
                    }
                    view = await check_create_party(session=session, host=host, body=body)
                    mine = [Member(str(host.id), tokens[host.id], True)]
                    for guest in itertools.islice(guests, size - 1):
                        session.add(
                            PartyParticipant(
                                party_id=view.party.id,
                                user_id=guest.id,
                                status="joined",
                                joined_at=now,
                                created_at=now,
                            )
                        )
                        mine.append(Member(str(guest.id), tokens[guest.id], False))
                    await session.commit()
                seeds.append(PartySeed(str(view.party.id), mine))
    return seeds


def settings_from(env: dict[str, str]) -> Any:
    """The server's settings, read from the environment it is started with."""
    from watchparty.settings import Settings

    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return Settings(_env_file=None)
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def stored_client_ids(env: dict[str, str]) -> set[tuple[str, str]]:
    """(author id, client_id) of every chat message in the database."""
    import sqlalchemy as sa

    from watchparty.db import Database

    db = await Database.open(settings_from(env).prepare())
    try:
        async with db.engine.connect() as conn:
            rows = await conn.execute(
                sa.text(
                    "SELECT author_id, client_id FROM chat_messages WHERE client_id IS NOT NULL"
                )
            )
            return {(str(uuid.UUID(str(a))), c) for a, c in rows}
    finally:
        await db.close()


# -- client processes ------------------------------------------------------------------------------


@dataclass
class Stats:
    """What one client process (or the REST process) saw in one wave."""

    sockets: int = 0
    refused: list[str] = field(default_factory=list)
    connect_secs: float = 0.0
    chat_sent: int = 0
    acked: list[tuple[str, str]] = field(default_factory=list)
    ack_ms: list[float] = field(default_factory=list)
    unacked: int = 0
    chat_frames: int = 0
    # party id -> (chat sockets, fewest and most `message.created` one saw, WS acks): every
    # socket of a party sees every message stored in it (WS acks + REST 201s).
    party_chat: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    party_rest: Counter[str] = field(default_factory=Counter)
    playback_sent: int = 0
    playback_applied: int = 0
    playback_frames: int = 0
    playback_expected: int = 0
    seq_gaps: int = 0
    pings: int = 0
    pongs: int = 0
    rtt_ms: list[float] = field(default_factory=list)  # sync.ping round trips
    error_frames: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    closes: Counter[str] = field(default_factory=Counter)
    send_lag_secs: float = 0.0
    cpu_secs: float = 0.0
    rest_status: Counter[str] = field(default_factory=Counter)
    rest_ms: dict[str, list[float]] = field(default_factory=dict)
    rest_skipped: int = 0
    rest_secs: float = 0.0


class Sock:
    """One client socket and what it has seen."""

    __slots__ = ("ws", "member", "party", "pending", "last_seq", "chat_seen", "closing")

    def __init__(self, ws: ClientConnection, member: Member, party: RunParty) -> None:
        self.ws = ws
        self.member = member
        self.party = party
        self.pending: dict[str, float] = {}  # client_id -> send time (chat sockets)
        self.last_seq: int | None = None
        self.chat_seen = 0
        self.closing = False


@dataclass
class RunParty:
    seed: PartySeed
    party: list[Sock] = field(default_factory=list)
    chat: list[Sock] = field(default_factory=list)
    applied: int = 0
    acked: int = 0  # WS messages acknowledged in this party


def note_error(stats: Stats, where: str, frame: dict[str, Any]) -> None:
    payload = frame.get("payload") or {}
    stats.error_frames[str(payload.get("code"))] += 1
    if len(stats.error_samples) < 5:
        stats.error_samples.append(f"{where}: {orjson.dumps(payload).decode()[:200]}")


async def read_party(sock: Sock, stats: Stats) -> None:
    try:
        async for raw in sock.ws:
            frame = orjson.loads(raw)
            kind = frame["type"]
            if kind == "playback.state":
                payload = frame["payload"]
                seq = payload["seq"]
                if payload["cause"] != "join":
                    stats.playback_frames += 1
                    if sock.last_seq is not None and seq != sock.last_seq + 1:
                        stats.seq_gaps += 1
                    if sock.member.host:
                        sock.party.applied += 1
                sock.last_seq = seq
            elif kind == "sync.pong":
                stats.pongs += 1
                stats.rtt_ms.append(time.time() * 1000 - frame["payload"]["client_ts"])
            elif kind == "error":
                note_error(stats, "party", frame)
    except ConnectionClosed:
        pass
    if not sock.closing:
        stats.closes[f"party {sock.ws.close_code} {sock.ws.close_reason}"] += 1


async def read_chat(sock: Sock, stats: Stats) -> None:
    try:
        async for raw in sock.ws:
            frame = orjson.loads(raw)
            kind = frame["type"]
            if kind == "message.created":
                sock.chat_seen += 1
                stats.chat_frames += 1
                client_id = frame["payload"].get("client_id")
                sent = sock.pending.pop(client_id, None)
                if sent is not None:
                    stats.ack_ms.append((time.monotonic() - sent) * 1000)
                    stats.acked.append((sock.member.user_id, client_id))
                    sock.party.acked += 1
            elif kind == "error":
                note_error(stats, "chat", frame)
    except ConnectionClosed:
        pass
    if not sock.closing:
        stats.closes[f"chat {sock.ws.close_code} {sock.ws.close_reason}"] += 1


async def open_socket(
    url: str, member: Member, party: RunParty, greeting: str, stats: Stats
) -> Sock | None:
    try:
        ws = await connect(
            f"{url}?token={member.token}", max_size=2**22, open_timeout=300, ping_interval=None
        )
        sock = Sock(ws, member, party)
        while True:
            frame = orjson.loads(await asyncio.wait_for(ws.recv(), 120))
            if frame["type"] == "playback.state":
                sock.last_seq = frame["payload"]["seq"]
            if frame["type"] == greeting:
                return sock
    except (OSError, TimeoutError, ConnectionClosed) as exc:
        if len(stats.refused) < 20:
            stats.refused.append(f"{url.split('/ws/')[1][:6]}: {exc!r}"[:200])
        else:
            stats.refused.append("")
        return None


def client_process(
    base: str, parties: list[PartySeed], rates: dict[str, float], wave: int, proc: int,
    out: Any, events: tuple[Any, Any, Any],
) -> None:  # fmt: skip
    asyncio.run(client_main(base, parties, rates, wave, proc, out, events))


async def client_main(
    base: str, seeds: list[PartySeed], rates: dict[str, float], wave: int, proc: int,
    out: Any, events: tuple[Any, Any, Any],
) -> None:  # fmt: skip
    """Open the sockets; on `go` send traffic; after the drain and `count` (REST is done)
    report; on `close` close every socket."""
    go, count, close = events
    stats = Stats()
    runs = [RunParty(s) for s in seeds]
    started = time.monotonic()
    jobs = [
        (f"{base}/ws/{channel}/{run.seed.id}/", member, run, channel)
        for run in runs
        for member in run.seed.members
        for channel in ("party", "chat")
    ]
    readers: list[asyncio.Task[None]] = []
    for start in range(0, len(jobs), OPEN_BATCH):
        batch = jobs[start : start + OPEN_BATCH]
        opened = await asyncio.gather(
            *(
                open_socket(url, m, run, "presence" if ch == "party" else "session.welcome", stats)
                for url, m, run, ch in batch
            )
        )
        for sock, (_, _, run, channel) in zip(opened, batch, strict=True):
            if sock is None:
                continue
            stats.sockets += 1
            if channel == "party":
                run.party.append(sock)
                readers.append(asyncio.create_task(read_party(sock, stats)))
            else:
                run.chat.append(sock)
                readers.append(asyncio.create_task(read_chat(sock, stats)))
    stats.connect_secs = time.monotonic() - started
    out.put(("ready", proc, stats.sockets))
    await asyncio.to_thread(go.wait)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    await traffic(runs, rates, wave, proc, stats)
    # The last answers: every send acknowledged and every change delivered, or give up.
    deadline = time.monotonic() + rates["drain"]
    while time.monotonic() < deadline and not settled(runs, stats):
        await asyncio.sleep(0.2)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    stats.cpu_secs = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    out.put(("drained", proc, None))
    await asyncio.to_thread(count.wait)
    deadline = time.monotonic() + rates["drain"]
    while time.monotonic() < deadline and not all(same_chat(run) for run in runs):
        await asyncio.sleep(0.2)
    for run in runs:
        stats.playback_expected += run.applied * len(run.party)
        seen = [sock.chat_seen for sock in run.chat] or [0]
        stats.party_chat[run.seed.id] = (len(run.chat), min(seen), max(seen), run.acked)
        for sock in run.chat:
            stats.unacked += len(sock.pending)
    out.put(("stats", proc, stats))
    await asyncio.to_thread(close.wait)
    socks = [s for run in runs for s in (*run.party, *run.chat)]
    for sock in socks:
        sock.closing = True
    closing: set[asyncio.Task[None]] = set()

    def close_one(n: int) -> None:  # paced: every leave writes to the database
        if n >= len(socks):
            return
        task = asyncio.create_task(socks[n].ws.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    if rates["close"] > 0:
        await paced(rates["close"], len(socks) / rates["close"], close_one, [0.0])
    else:  # all at once
        for n in range(len(socks)):
            close_one(n)
    await asyncio.gather(*closing, *readers, return_exceptions=True)
    out.put(("closed", proc, None))


def settled(runs: list[RunParty], stats: Stats) -> bool:
    """Every send answered, and every party socket at its party's latest playback `seq`."""
    return (
        stats.pongs == stats.pings
        and all(not sock.pending for run in runs for sock in run.chat)
        and all(sock.last_seq == run.party[0].last_seq for run in runs for sock in run.party)
    )


def same_chat(run: RunParty) -> bool:
    return len({sock.chat_seen for sock in run.chat}) <= 1


async def traffic(runs: list[RunParty], rates: dict[str, float], wave: int, proc: int,
                  stats: Stats) -> None:  # fmt: skip
    secs = rates["duration"]
    chatters = [s for run in runs for s in run.chat]
    random.Random(proc).shuffle(chatters)
    hosts = [s for run in runs for s in run.party if s.member.host]
    pingers = [s for run in runs for s in run.party]
    lag = [0.0]

    async def chat(n: int) -> None:
        sock = chatters[n % len(chatters)]
        client_id = f"w{wave}p{proc}n{n}"
        sock.pending[client_id] = time.monotonic()
        frame = {"type": "message.send", "id": client_id,
                 "payload": {"content": f"soak message {n}", "client_id": client_id}}  # fmt: skip
        stats.chat_sent += 1
        with contextlib.suppress(ConnectionClosed):
            await sock.ws.send(orjson.dumps(frame).decode())

    async def playback(n: int) -> None:
        sock = hosts[n % len(hosts)]
        kind = PLAYBACK_CYCLE[(n // len(hosts)) % len(PLAYBACK_CYCLE)]
        frame = {"type": kind, "payload": {"position": round(10 + n * 0.5, 3)}}
        stats.playback_sent += 1
        with contextlib.suppress(ConnectionClosed):
            await sock.ws.send(orjson.dumps(frame).decode())

    async def ping(n: int) -> None:
        sock = pingers[n % len(pingers)]
        stats.pings += 1
        frame = {"type": "sync.ping", "payload": {"client_ts": time.time() * 1000}}
        with contextlib.suppress(ConnectionClosed):
            await sock.ws.send(orjson.dumps(frame).decode())

    share = [
        paced(rates["chat"], secs, chat, lag) if chatters else asyncio.sleep(0),
        paced(rates["playback"], secs, playback, lag) if hosts else asyncio.sleep(0),
        paced(len(pingers) / rates["ping_every"], secs, ping, lag) if pingers else asyncio.sleep(0),
    ]
    await asyncio.gather(*share)
    stats.send_lag_secs = lag[0]


async def ghost_members(ws_base: str, seeds: list[PartySeed]) -> int:
    """After a wave: each host opens its party socket again; the `presence` it is greeted
    with should hold the host alone. The members beyond that, summed over the parties."""
    gate = asyncio.Semaphore(20)

    async def extra(seed: PartySeed) -> int:
        host = next(m for m in seed.members if m.host)
        async with gate, connect(f"{ws_base}/ws/party/{seed.id}/?token={host.token}") as ws:
            while True:
                frame = orjson.loads(await asyncio.wait_for(ws.recv(), 60))
                if frame["type"] == "presence":
                    return int(frame["payload"]["count"]) - 1

    return sum(await asyncio.gather(*(extra(seed) for seed in seeds)))


# -- REST traffic ----------------------------------------------------------------------------------


def rest_process(base: str, seeds: list[PartySeed], rates: dict[str, float], wave: int,
                 out: Any, go: Any) -> None:  # fmt: skip
    asyncio.run(rest_main(base, seeds, rates, wave, out, go))


async def rest_main(base: str, seeds: list[PartySeed], rates: dict[str, float], wave: int,
                    out: Any, go: Any) -> None:  # fmt: skip
    stats = Stats()
    callers = [(m, s.id) for s in seeds for m in s.members]
    random.Random(wave).shuffle(callers)
    mix = [op for op, weight in REST_MIX.items() for _ in range(weight)]
    random.Random(7).shuffle(mix)
    in_flight = 0
    tasks: set[asyncio.Task[None]] = set()
    limits = httpx.Limits(max_connections=REST_IN_FLIGHT, max_keepalive_connections=REST_IN_FLIGHT)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def request(n: int) -> None:
            nonlocal in_flight
            member, party = callers[n % len(callers)]
            op = mix[n % len(mix)]
            headers = {"Authorization": f"Bearer {member.token}"}
            started = time.perf_counter()
            client_id = f"w{wave}r{n}"
            text = ""
            try:
                if op == "getParty":
                    r = await client.get(f"/api/parties/{party}/", headers=headers)
                elif op == "listParties":
                    r = await client.get("/api/parties/", headers=headers)
                elif op == "sendChatMessage":
                    body = {"content": f"soak rest {n}", "client_id": client_id}
                    r = await client.post(
                        f"/api/chat/{party}/messages/send/", json=body, headers=headers
                    )
                elif op == "listChatMessages":
                    r = await client.get(f"/api/chat/{party}/messages/", headers=headers)
                elif op == "listNotifications":
                    r = await client.get("/api/notifications/", headers=headers)
                else:
                    r = await client.get("/api/notifications/unread-count/", headers=headers)
                status, text = str(r.status_code), r.text[:200]
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            finally:
                in_flight -= 1
            stats.rest_ms.setdefault(op, []).append((time.perf_counter() - started) * 1000)
            stats.rest_status[f"{op} {status}"] += 1
            if op == "sendChatMessage" and status == "201":
                stats.acked.append((member.user_id, client_id))
                stats.party_rest[party] += 1
            elif not status.startswith("2") and len(stats.error_samples) < 5:
                stats.error_samples.append(f"{op} {status}: {text}")

        def fire(n: int) -> None:
            nonlocal in_flight
            if in_flight >= REST_IN_FLIGHT:
                stats.rest_skipped += 1  # the client is saturated: say so, do not queue
                return
            in_flight += 1
            task = asyncio.create_task(request(n))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        await asyncio.to_thread(go.wait)
        started = time.monotonic()
        await paced(rates["rest"], rates["duration"], fire, [0.0])
        await asyncio.gather(*list(tasks))
        stats.rest_secs = time.monotonic() - started
    out.put(("rest", -1, stats))


# -- the server ------------------------------------------------------------------------------------


def server_env(data_dir: Path, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHPARTY_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "WATCHPARTY_DATA_DIR": str(data_dir),
            "WATCHPARTY_SECRET_KEY": secrets.token_urlsafe(48),
            "WATCHPARTY_ACCESS_TOKEN_TTL_SECONDS": str(TOKEN_TTL_SECS),
            "WATCHPARTY_LOG_FORMAT": "json",
        }
    )
    if args.redis:
        env["WATCHPARTY_REDIS_URL"] = args.redis
        env["WATCHPARTY_REALTIME_REDIS_PREFIX"] = f"soak{os.getpid()}:rt"
    return env


@contextlib.contextmanager
def running_server(args: argparse.Namespace, env: dict[str, str], log: Path) -> Iterator[
    tuple[int, str]
]:  # fmt: skip
    """`watchparty serve` on a free port until the block ends: (pid, base URL)."""
    watchparty = shutil.which("watchparty", path=str(Path(sys.executable).parent))
    assert watchparty, "install the project first (pip install -e .)"
    port = free_port()
    command = [watchparty, "serve", "--host", HOST, "--port", str(port)]
    if args.redis:
        command += ["--workers", "2"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"watchparty serve exited:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/health/ready/", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"watchparty serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield proc.pid, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def open_sockets_gauge(base: str) -> float | None:
    """`watchparty_websockets_open` summed over channels (one process answers)."""
    try:
        text = httpx.get(f"{base}/metrics", timeout=10).text
    except httpx.HTTPError:
        return None
    values = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("watchparty_websockets_open{")
    ]
    return sum(values) if values else None


def settled_gauge(base: str, timeout: float = 60.0) -> float | None:
    """The open-socket gauge once the server has handled the closes: 0 read 6 times in a row
    (each a new connection, so with two workers both answer), else the last reading."""
    deadline = time.monotonic() + timeout
    zeros = 0
    gauge = open_sockets_gauge(base)
    while time.monotonic() < deadline and zeros < 6:
        zeros = zeros + 1 if gauge == 0 else 0
        time.sleep(0.5)
        gauge = open_sockets_gauge(base)
    return gauge


def log_problems(log: Path) -> tuple[int, int, list[str]]:
    """(error lines, 5xx request lines, samples) of the server log."""
    errors = fivexx = 0
    samples: list[str] = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            bad = "Traceback" in line or "ERROR" in line
            entry = {}
        else:
            bad = str(entry.get("level", "")).lower() in ("error", "critical", "exception")
        if isinstance(entry, dict) and int(entry.get("status") or 0) >= 500:
            fivexx += 1
            bad = True
        if bad:
            errors += 1
            if len(samples) < 5:
                samples.append(line[:300])
    return errors, fivexx, samples


class Sampler:
    """Server RSS (whole process tree) every `every` seconds, in a thread."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        self.pid = pid
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self._stop = False
        self._thread: Any = None

    def __enter__(self) -> Sampler:
        import threading

        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self._thread.join()

    def _run(self) -> None:
        while not self._stop:
            self.samples.append((time.monotonic(), rss_mib(process_tree(self.pid))))
            time.sleep(self.every)

    def now(self) -> float:
        return rss_mib(process_tree(self.pid))

    def peak(self, since: float) -> float:
        return max((rss for at, rss in self.samples if at >= since), default=self.now())


# -- one wave --------------------------------------------------------------------------------------


@dataclass
class Wave:
    clients: list[Stats]
    rest: Stats
    rss: dict[str, float]
    server_cpu_pct: float
    connect_cpu_pct: float
    traffic_secs: float
    connect_secs: float
    gauge_after: float | None
    ghosts: int
    load: tuple[str, str]


def gather(out: Any, kind: str, count: int, timeout: float) -> list[Any]:
    found: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(found) < count:
        got_kind, _proc, value = out.get(timeout=max(1.0, deadline - time.monotonic()))
        assert got_kind == kind, (got_kind, kind)
        found.append(value)
    return found


def run_wave(
    wave: int, base: str, seeds: list[PartySeed], args: argparse.Namespace, pid: int,
    sampler: Sampler,
) -> Wave:  # fmt: skip
    ws_base = base.replace("http://", "ws://")
    procs = min(args.client_procs, len(seeds))
    groups = [seeds[i::procs] for i in range(procs)]
    clients = sum(len(s.members) for s in seeds)
    ctx = mp.get_context("fork")
    out, rest_out = ctx.Queue(), ctx.Queue()
    go, count, close = ctx.Event(), ctx.Event(), ctx.Event()
    rss = {"before": sampler.now()}
    load_start = load_average()
    workers = []
    for n, group in enumerate(groups):
        size = sum(len(s.members) for s in group)
        rates = {
            "chat": args.chat_rate * size / clients,
            "playback": args.playback_rate * len(group) / len(seeds),
            "ping_every": args.ping_every,
            "duration": args.duration,
            "drain": args.drain,
            "close": args.close_rate * size / clients,
        }
        worker = ctx.Process(
            target=client_process, args=(ws_base, group, rates, wave, n, out, (go, count, close))
        )
        worker.start()
        workers.append(worker)
    rest_rates = {"rest": args.rest_rate, "duration": args.duration}
    rest = ctx.Process(target=rest_process, args=(base, seeds, rest_rates, wave, rest_out, go))
    rest.start()
    started, cpu0 = time.monotonic(), cpu_secs(process_tree(pid))
    gather(out, "ready", procs, 1800)
    connect_secs = time.monotonic() - started
    cpu1 = cpu_secs(process_tree(pid))
    connect_cpu = (cpu1 - cpu0) / connect_secs * 100
    time.sleep(1.0)
    rss["connected"] = sampler.now()
    cpu1, traffic_start = cpu_secs(process_tree(pid)), time.monotonic()
    go.set()
    time.sleep(args.duration / 2)
    rss["mid traffic"] = sampler.now()
    gather(out, "drained", procs, args.duration + args.drain + 600)
    rest_stats = gather(rest_out, "rest", 1, 600)[0]
    traffic_secs = time.monotonic() - traffic_start
    server_cpu = (cpu_secs(process_tree(pid)) - cpu1) / traffic_secs * 100
    count.set()
    stats = gather(out, "stats", procs, args.drain + 600)
    rss["end of traffic"] = sampler.now()
    close.set()
    gather(out, "closed", procs, 600)
    for worker in [*workers, rest]:
        worker.join(timeout=60)
    gauge = settled_gauge(base)
    rss["after disconnect"] = sampler.now()
    time.sleep(args.settle)
    rss["after settle"] = sampler.now()
    rss["peak"] = sampler.peak(started)
    ghosts = asyncio.run(ghost_members(ws_base, seeds))
    return Wave(
        ghosts=ghosts,
        clients=stats,
        rest=rest_stats,
        rss=rss,
        server_cpu_pct=server_cpu,
        connect_cpu_pct=connect_cpu,
        traffic_secs=traffic_secs,
        connect_secs=connect_secs,
        gauge_after=gauge,
        load=(load_start, load_average()),
    )


# -- report ----------------------------------------------------------------------------------------


def merged(stats: list[Stats]) -> Stats:
    total = Stats()
    for s in stats:
        for name in ("sockets", "chat_sent", "unacked", "chat_frames",
                     "playback_sent", "playback_frames", "playback_expected", "seq_gaps",
                     "pings", "pongs", "cpu_secs"):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.refused += s.refused
        total.acked += s.acked
        total.ack_ms += s.ack_ms
        total.rtt_ms += s.rtt_ms
        total.error_frames.update(s.error_frames)
        total.error_samples += s.error_samples
        total.closes.update(s.closes)
        total.party_chat.update(s.party_chat)
        total.send_lag_secs = max(total.send_lag_secs, s.send_lag_secs)
        total.connect_secs = max(total.connect_secs, s.connect_secs)
    return total


def report(
    args: argparse.Namespace, waves: list[Wave], lost: int, stored_extra: int,
    log: tuple[int, int, list[str]], db_name: str,
) -> list[str]:  # fmt: skip
    """Print the figures; the failed criteria."""
    failed: list[str] = []
    expected_sockets = 2 * args.clients
    print(
        f"soak: {args.clients} clients ({expected_sockets} sockets) in {args.parties} parties, "
        f"{args.duration:.0f} s x {len(waves)} waves, {db_name}, "
        f"{'2 server processes + Redis' if args.redis else '1 server process'}, "
        f"{args.client_procs} client processes"
    )
    print(
        f"rates: chat {args.chat_rate:g} msg/s, playback {args.playback_rate:g} commands/s, "
        f"sync.ping every {args.ping_every:g} s per party socket, REST {args.rest_rate:g} req/s"
    )
    for n, w in enumerate(waves, 1):
        c = merged(w.clients)
        r = w.rest
        print(f"\nwave {n} (load average {w.load[0]} -> {w.load[1]})")
        print(
            f"  sockets open {c.sockets}/{expected_sockets} in {w.connect_secs:.1f} s "
            f"({c.sockets / w.connect_secs:.0f}/s) "
            f"(server CPU {w.connect_cpu_pct:.0f}% of a core); refused {len(c.refused)}"
        )
        acked_ws = len(c.acked)
        short = {  # parties where some chat socket missed a stored message
            party: (low, high, ws + r.party_rest[party])
            for party, (_, low, high, ws) in c.party_chat.items()
            if not low == high == ws + r.party_rest[party]
        }
        chat_expected = sum(
            n * (ws + r.party_rest[party]) for party, (n, _, _, ws) in c.party_chat.items()
        )
        print(
            f"  chat (WS): sent {c.chat_sent}, acknowledged {acked_ws}, unacknowledged "
            f"{c.unacked}, ack p50 {pct(c.ack_ms, 50):.0f} ms p99 {pct(c.ack_ms, 99):.0f} ms; "
            f"message.created delivered {c.chat_frames}/{chat_expected}"
        )
        print(
            f"  playback: commands {c.playback_sent}, frames delivered "
            f"{c.playback_frames}/{c.playback_expected}, seq gaps {c.seq_gaps}; "
            f"sync.ping {c.pings} -> pong {c.pongs}, round trip p50 {pct(c.rtt_ms, 50):.0f} ms "
            f"p99 {pct(c.rtt_ms, 99):.0f} ms"
        )
        all_ms = [ms for values in r.rest_ms.values() for ms in values]
        done = sum(r.rest_status.values())
        print(
            f"  REST: {done} requests, {done / r.rest_secs:.1f} req/s, "
            f"p50 {pct(all_ms, 50):.0f} ms p99 {pct(all_ms, 99):.0f} ms, "
            f"skipped (client at {REST_IN_FLIGHT} in flight) "
            f"{r.rest_skipped}, chat sent {len(r.acked)}"
        )
        for op, values in sorted(r.rest_ms.items()):
            codes = {k.split()[1]: v for k, v in r.rest_status.items() if k.split()[0] == op}
            print(f"    {op:<28} {len(values):6d}  p50 {pct(values, 50):6.0f} ms  "
                  f"p99 {pct(values, 99):6.0f} ms  {dict(sorted(codes.items()))}")  # fmt: skip
        print(
            f"  server CPU during traffic {w.server_cpu_pct:.0f}% of a core over "
            f"{w.traffic_secs:.1f} s; clients: CPU "
            f"{c.cpu_secs / w.traffic_secs * 100 / max(1, len(w.clients)):.0f}% of a core each, "
            f"largest send lag {c.send_lag_secs * 1000:.0f} ms"
        )
        print("  server RSS MiB: " + ", ".join(f"{k} {v:.0f}" for k, v in w.rss.items()))
        print(
            f"  after disconnect: open-socket gauge {w.gauge_after}, members still in the "
            f"rooms' presence {w.ghosts}"
        )
        print(f"  error frames {dict(c.error_frames)}; unexpected closes {dict(c.closes)}")
        for sample in c.error_samples[:3] + r.error_samples[:3] + [x for x in c.refused if x][:3]:
            print(f"    {sample}")
        bad_rest = {k: v for k, v in r.rest_status.items() if not k.split()[1].startswith("2")}
        checks = {
            "every socket opened": c.sockets == expected_sockets and not c.refused,
            "no error frame": not c.error_frames,
            "no unexpected close": not c.closes,
            "every chat send acknowledged": c.unacked == 0 and acked_ws == c.chat_sent,
            "every message delivered to every chat socket": (
                not short and c.chat_frames == chat_expected
            ),
            "every playback change delivered, no seq gap": (
                c.playback_frames == c.playback_expected and c.seq_gaps == 0
            ),
            "every sync.ping answered": c.pongs == c.pings,
            "REST: only 2xx": not bad_rest,
            "load delivered as set (REST never at its in-flight cap)": r.rest_skipped == 0,
            "open-socket gauge back to 0": w.gauge_after == 0,
            "presence empty after the disconnect": w.ghosts == 0,
        }
        failed += [f"wave {n}: {name}" for name, ok in checks.items() if not ok]
    acked = sum(len(merged(w.clients).acked) + len(w.rest.acked) for w in waves)
    print(
        f"\ndatabase: {acked} acknowledged messages (WS + REST), lost {lost}; "
        f"stored but never acknowledged {stored_extra}"
    )
    if lost:
        failed.append(f"{lost} acknowledged messages missing from the database")
    errors, fivexx, samples = log
    print(f"server log: {errors} error lines, {fivexx} 5xx responses")
    for sample in samples[:3]:
        print(f"    {sample}")
    if errors or fivexx:
        failed.append("server log errors or 5xx")
    first, last = waves[0].rss, waves[-1].rss
    growth = first["peak"] - first["before"]
    allowed = max(MEMORY_TOLERANCE * growth, MEMORY_FLOOR_MIB)
    drift = last["after settle"] - first["after settle"]
    if len(waves) >= 2:
        print(
            f"memory: wave 1 grew RSS by {growth:.0f} MiB at peak; after settle, wave "
            f"{len(waves)} ends {drift:+.0f} MiB from wave 1 "
            f"({drift * 1024 / expected_sockets:+.2f} KiB per socket), "
            f"allowed {allowed:.0f} MiB ({MEMORY_TOLERANCE:.0%} of the growth, at least "
            f"{MEMORY_FLOOR_MIB:.0f})"
        )
        if drift > allowed:
            failed.append("memory not flat between waves")
    else:
        print("memory: one wave; flatness is judged between waves (--waves 2)")
    print("\nPASS" if not failed else "\nFAIL:\n  " + "\n  ".join(failed))
    return failed


# -- main ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=5000, help="users, 2 sockets each")
    parser.add_argument("--parties", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of traffic a wave")
    parser.add_argument("--waves", type=int, default=2)
    parser.add_argument(
        "--chat-rate", type=float, help="WS chat messages/s in all (default: clients / 50)"
    )
    parser.add_argument(
        "--playback-rate", type=float, help="playback commands/s in all (default: parties / 10)"
    )
    parser.add_argument("--ping-every", type=float, default=30.0, help="secs per party socket")
    parser.add_argument("--rest-rate", type=float, default=20.0, help="REST requests/s")
    parser.add_argument("--client-procs", type=int, default=3)
    parser.add_argument("--drain", type=float, default=30.0, help="max wait for last answers")
    parser.add_argument(
        "--close-rate",
        type=float,
        default=250.0,
        help="socket closes/s in all, at the end (0: all at once)",
    )
    parser.add_argument("--settle", type=float, default=20.0, help="secs after disconnect")
    parser.add_argument("--postgres", help="e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", help="two server processes sharing rooms through this Redis")
    parser.add_argument("--keep", action="store_true", help="keep the data dir and server log")
    args = parser.parse_args()
    args.chat_rate = args.clients / 50 if args.chat_rate is None else args.chat_rate
    args.playback_rate = args.parties / 10 if args.playback_rate is None else args.playback_rate
    if args.clients < 2 * args.parties:
        parser.error("need at least 2 clients per party")
    per_user_minute = (args.chat_rate + args.rest_rate * 4 / 20) / args.clients * 60
    if per_user_minute > 20:
        parser.error(f"{per_user_minute:.0f} chat sends per user-minute: above `chat_send` (30)")

    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    env = server_env(tmp / "var", args)
    log = tmp / "server.log"
    failed: list[str] = []
    try:
        with contextlib.ExitStack() as stack:
            if args.postgres:
                stack.enter_context(postgres_schema(args.postgres, env))
            began = time.monotonic()
            seeds = asyncio.run(seed(env, args.clients, args.parties))
            print(f"seeded {args.clients} users in {args.parties} parties in "
                  f"{time.monotonic() - began:.1f} s", flush=True)  # fmt: skip
            pid, base = stack.enter_context(running_server(args, env, log))
            sampler = stack.enter_context(Sampler(pid))
            waves = []
            for wave in range(1, args.waves + 1):
                waves.append(run_wave(wave, base, seeds, args, pid, sampler))
                print(f"wave {wave} done", flush=True)
            acked = {a for w in waves for s in (*w.clients, w.rest) for a in s.acked}
            stored = asyncio.run(stored_client_ids(env))
            lost = len(acked - stored)
        failed = report(
            args, waves, lost, len(stored - acked), log_problems(log),
            "PostgreSQL" if args.postgres else "SQLite",
        )  # fmt: skip
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
