"""Our stack against the stacks people would pick instead, in one run (issue 9).

    ../peers-venv/bin/python bench/compare.py                 # everything, < 10 minutes
    ../peers-venv/bin/python bench/compare.py --only rest --ops detail,send --duration 5
    ../peers-venv/bin/python bench/compare.py --only ws --sockets 1000

Run it with the peers' venv (bench/requirements-peers.txt says how to make it): every stack
then runs on the same interpreter, uvicorn, uvloop, httptools, SQLAlchemy and drivers.

One database is prepared through our own API (migrations, then users, 20 parties, one party
with 9 participants and 25 chat messages), and every stack serves it in turn on loopback:

  watchparty      `watchparty.app:create_app` (connexion), as bench/rest.py runs it
  fastapi         bench/peers/fastapi_app.py (FastAPI, SQLModel, our tables)
  drf             bench/peers/django_peer (Django + DRF, models mapped on our tables)
  bare starlette  bench/peers/bare_ops.py: our JSON, no auth, no database (the limit row)

each under uvicorn, one worker, httptools + uvloop, no access log. Before any load, each
peer's JSON must equal ours for the same rows (volatile fields: VOLATILE below). REST load
is `wrk` (Debian package) in its own process, bounded in time and connections, POST with a
Lua script; the table gives req/s, p50, p99 and our req/s over each peer's.

Realtime: one `playback.seek` (the peers store the new state and group-send it too; the bare
server answers a trigger frame with one `websockets.broadcast`) reaching N sockets of one
party, measured by bench/realtime.py's client (p50/p99 of receive time - send time over all
sockets and rounds), for: ours, FastAPI, Channels (in-memory layer), bare websockets, and
the two-process case (sockets split over two processes of one stack): ours through Redis
(WATCHPARTY_REDIS_URL) against Channels with channels_redis, on a Redis db of its own key
prefix (--redis-db), whose keys are deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import realtime as rt  # noqa: E402  (bench/realtime.py: the WS client and bare server)
import rest  # noqa: E402  (bench/rest.py: servers, wrk)

PEERS_DIR = BENCH_DIR / "peers"
HOST = rest.HOST
# Every stack under the same uvicorn settings. permessage-deflate off for all: ours ships it
# off (WATCHPARTY_WS_PER_MESSAGE_DEFLATE); uvicorn's default (on) would cost the peers more.
# A longer keepalive timeout than uvicorn's 20 s: a stack slow to greet 1,000 sockets on a
# busy machine should show in its figures, not drop its sockets.
UVICORN = ["-m", "uvicorn", *rest.UVICORN_FLAGS, "--loop", "uvloop", "--http", "httptools",
           "--ws-per-message-deflate", "false", "--ws-ping-timeout", "120",
           "--host", HOST]  # fmt: skip
PASSWORD = "bench-password-1"
GUESTS = 8
PARTIES = 20  # one full first page (page size 20): no cursor to compare
MESSAGES = 25
POST_BODY = {"content": "A message from the bench."}
# Fields that differ between two correct answers: the default playback reference time of a
# party nobody played (now), and the id and time of a newly stored message.
VOLATILE = {"detail": [("playback", "ref_ts")], "list": [], "send": [("id",), ("created_at",)]}
VERSIONED = [
    "watchparty",
    "connexion",
    "starlette",
    "fastapi",
    "pydantic",
    "django",
    "djangorestframework",
    "channels",
    "channels-redis",
    "uvicorn",
    "uvloop",
    "httptools",
    "websockets",
    "sqlalchemy",
    "sqlmodel",
    "aiosqlite",
    "asyncpg",
    "psycopg",
    "pyjwt",
    "redis",
    "orjson",
]


@dataclass(frozen=True)
class Op:
    name: str
    label: str
    method: str
    path: str  # formatted with party=<detail party>, send_party=<chat party>


OPS = {
    op.name: op
    for op in (
        Op("detail", "GET /api/parties/{id}/", "GET", "/api/parties/{party}/"),
        Op("list", "GET /api/parties/", "GET", "/api/parties/"),
        Op(
            "send",
            "POST /api/chat/{id}/messages/send/",
            "POST",
            "/api/chat/{send_party}/messages/send/",
        ),
    )
}


@dataclass
class Bench:
    """The prepared database and who calls it."""

    token: str
    party: str  # the party of the detail and the sockets (9 participants, 25 messages)
    send_party: str  # where POSTs go, so they do not grow the detail party's chat
    ours_env: dict[str, str]
    peer_env: dict[str, str]
    tmp: Path
    out: Path

    def url(self, server: rest.Server, op: Op) -> str:
        return f"http://{HOST}:{server.port}" + op.path.format(
            party=self.party, send_party=self.send_party
        )


@dataclass
class Stack:
    name: str
    server: rest.Server
    results: dict[str, rest.WrkResult] = field(default_factory=dict)


def python() -> str:
    return sys.executable


def server(name: str, args: list[str], env: dict[str, str]) -> rest.Server:
    port = rest.free_port()
    return rest.Server(name, [python(), *args, "--port", str(port)], env, port, ours=False)


def uvicorn_server(name: str, app: list[str], env: dict[str, str]) -> rest.Server:
    return server(name, [*UVICORN, *app], env)


def ours(env: dict[str, str], name: str = "watchparty") -> rest.Server:
    return uvicorn_server(name, ["--factory", "watchparty.app:create_app"], env)


def fastapi(env: dict[str, str]) -> rest.Server:
    return uvicorn_server("fastapi", ["--app-dir", str(PEERS_DIR), "fastapi_app:app"], env)


def django(name: str, env: dict[str, str], layer: str = "memory") -> rest.Server:
    env = {**env, "DJANGO_SETTINGS_MODULE": "django_peer.settings", "PEER_CHANNEL_LAYER": layer}
    return uvicorn_server(name, ["--app-dir", str(PEERS_DIR), "django_peer.asgi:application"], env)


@contextlib.contextmanager
def started(*servers: rest.Server, out: Path) -> Iterator[None]:
    try:
        for s in servers:
            rest.start(s, out)
        yield
    finally:
        for s in servers:
            rest.stop(s)


# -- the database ----------------------------------------------------------------------------------


def prepare(base: str) -> tuple[str, str, str]:
    """Users, parties and chat through our API; (host token, detail party, send party)."""
    with httpx.Client(base_url=base, timeout=60) as client:

        def login(name: str) -> dict[str, str]:
            email = f"{name}@example.com"
            client.post(
                "/api/auth/register/", json={"username": name, "email": email, "password": PASSWORD}
            )
            answer = client.post("/api/auth/login/", json={"email": email, "password": PASSWORD})
            answer.raise_for_status()
            return {"Authorization": f"Bearer {answer.json()['access']}"}

        def ok(response: httpx.Response) -> Any:
            if response.status_code >= 300:
                raise SystemExit(
                    f"{response.request.url} answered {response.status_code}: {response.text}"
                )
            return response.json() if response.content else None

        host = login("benchhost")
        parties = []
        for n in range(PARTIES):
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400 * (n + 1)))
            body = {
                "title": f"Bench party {n}",
                "description": "Seeded by bench/compare.py.",
                "scheduled_for": when,
                "settings": {"visibility": "public"},
            }
            parties.append(ok(client.post("/api/parties/", json=body, headers=host))["id"])
        party, send_party = parties[0], parties[1]
        guests = [login(f"benchguest{n}") for n in range(GUESTS)]
        for guest in guests:
            ok(client.post(f"/api/parties/{party}/join/", headers=guest))
        ok(client.post(f"/api/parties/{send_party}/join/", headers=guests[0]))
        speakers = [host, *guests]
        for n in range(MESSAGES):
            body = {"content": f"Message {n} of the bench chat.", "client_id": f"seed-{n}"}
            ok(
                client.post(
                    f"/api/chat/{party}/messages/send/",
                    json=body,
                    headers=speakers[n % len(speakers)],
                )
            )
        return host["Authorization"].removeprefix("Bearer "), party, send_party


def peer_env(ours_env: dict[str, str]) -> dict[str, str]:
    """How the peers reach the same database and check the same tokens."""
    from watchparty.settings import Settings

    settings = Settings(
        data_dir=Path(ours_env["WATCHPARTY_DATA_DIR"]),
        database_url=ours_env.get("DATABASE_URL", ""),
        database_schema=ours_env.get("WATCHPARTY_DATABASE_SCHEMA"),
    ).prepare()
    env = {
        "PEER_DATABASE_URL": settings.database_url,
        "PEER_SECRET_KEY": settings.secret_key.get_secret_value(),
    }
    if settings.database_schema:
        env["PEER_DATABASE_SCHEMA"] = settings.database_schema
    return env


# -- same JSON -------------------------------------------------------------------------------------


def call(bench: Bench, s: rest.Server, op: Op) -> Any:
    headers = {"Authorization": f"Bearer {bench.token}"}
    response = httpx.request(
        op.method,
        bench.url(s, op),
        headers=headers,
        timeout=30,
        json=POST_BODY if op.method == "POST" else None,
    )
    if response.status_code != (201 if op.method == "POST" else 200):
        raise SystemExit(f"{s.name}: {op.label} answered {response.status_code}: {response.text}")
    return response.json()


def without_volatile(body: Any, op: Op) -> Any:
    body = json.loads(json.dumps(body))
    for path in VOLATILE[op.name]:
        parent = body
        for key in path[:-1]:
            parent = parent[key]
        parent.pop(path[-1], None)
    return body


def check_same_json(bench: Bench, stacks: list[Stack]) -> dict[str, Any]:
    """Start each peer beside ours and check that it answers our JSON on every operation,
    before any load. Returns our answers (the bodies of the bare row)."""
    ours_bodies = {op.name: call(bench, stacks[0].server, op) for op in OPS.values()}
    for stack in stacks[1:]:
        if stack.name == "bare starlette":
            continue
        with started(stack.server, out=bench.out):
            for op in OPS.values():
                theirs, mine = call(bench, stack.server, op), ours_bodies[op.name]
                if without_volatile(theirs, op) != without_volatile(mine, op):
                    dump = bench.out / f"mismatch-{stack.server.slug}-{op.name}.json"
                    dump.write_text(json.dumps({"ours": mine, "theirs": theirs}, indent=1))
                    raise SystemExit(f"{stack.name}: {op.label} differs from ours; see {dump}")
        print(f"  {stack.name}: same JSON as ours on {', '.join(OPS)}")
    return ours_bodies


# -- REST ------------------------------------------------------------------------------------------


def post_script(tmp: Path) -> Path:
    script = tmp / "post.lua"
    body = json.dumps(POST_BODY).replace("\\", "\\\\").replace("'", "\\'")
    script.write_text(
        f"wrk.method = 'POST'\nwrk.body = '{body}'\n"
        "wrk.headers['Content-Type'] = 'application/json'\n"
    )
    return script


def run_rest(bench: Bench, args: argparse.Namespace, ops: list[Op]) -> list[Stack]:
    stacks = [Stack("watchparty", ours(bench.ours_env))]
    wanted = {
        # Ours with WATCHPARTY_VALIDATE_RESPONSES=false (requests are still validated).
        "watchparty novalidate": lambda: ours(
            {**bench.ours_env, "WATCHPARTY_VALIDATE_RESPONSES": "false"}, "watchparty novalidate"
        ),
        "fastapi": lambda: fastapi(bench.peer_env),
        "drf": lambda: django("drf", bench.peer_env),
        "bare starlette": lambda: uvicorn_server(
            "bare starlette",
            ["--app-dir", str(PEERS_DIR), "bare_ops:app"],
            {"BENCH_OPS_JSON": str(bench.tmp / "ops.json")},
        ),
    }
    stacks += [Stack(name, make()) for name, make in wanted.items() if name in args.stacks]
    load = rest.Load(seconds=args.duration, connections=args.connections)
    script = post_script(bench.tmp)
    with started(stacks[0].server, out=bench.out):
        bodies = check_same_json(bench, stacks)
    (bench.tmp / "ops.json").write_text(json.dumps(bodies))
    for stack in stacks:
        with started(stack.server, out=bench.out):
            for op in ops:
                kwargs: dict[str, Any] = {"script": script} if op.method == "POST" else {}
                url = bench.url(stack.server, op)
                if args.warmup:
                    rest.wrk(url, bench.token, load, seconds=args.warmup, **kwargs)
                assert stack.server.process is not None
                before = rest.cpu_secs(stack.server.process.pid)
                result = rest.wrk(url, bench.token, load, **kwargs)
                used = rest.cpu_secs(stack.server.process.pid) - before
                stack.results[op.name] = dataclasses.replace(result, cpu_secs=used)
    return stacks


def print_rest(stacks: list[Stack], ops: list[Op], args: argparse.Namespace, db: str) -> None:
    print(
        f"\nREST: wrk -t1 -c{args.connections} -d{args.duration}s (+{args.warmup}s warm-up) "
        f"per operation and stack; one uvicorn worker each (httptools, uvloop); {db}"
    )
    # Ratios of ours to each other stack: as tests and development run it (response validation
    # on) and, when measured, as production runs it (`watchparty novalidate`).
    prod = next((s for s in stacks if s.name == "watchparty novalidate"), None)
    header = (
        f"{'operation':<36} {'stack':<22} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'cpu ms/req':>10} {'errors':>6} {'us/peer':>8} {'prod/peer':>9}"
    )
    print(header)
    print("-" * len(header))
    for op in ops:
        for n, stack in enumerate(stacks):
            r = stack.results[op.name]
            peer = n > 0 and stack is not prod and r.requests_per_sec
            ratios = [
                f"{ours.results[op.name].requests_per_sec / r.requests_per_sec:.2f}x"
                if peer and ours is not None
                else ""
                for ours in (stacks[0], prod)
            ]
            cpu = 1000 * r.cpu_secs / max(r.requests, 1)
            # No completed request (all past wrk's 2 s timeout): wrk has no latencies to show.
            p50, p99 = (f"{r.p50_ms:>7.2f}", f"{r.p99_ms:>7.2f}") if r.requests else ("-", "-")
            print(
                f"{op.label if n == 0 else '':<36} {stack.name:<22} {r.requests_per_sec:>8.0f} "
                f"{p50:>7} {p99:>7} {cpu:>10.2f} {r.errors:>6} {ratios[0]:>8} {ratios[1]:>9}"
            )


# -- realtime --------------------------------------------------------------------------------------


def next_report(queue: Any, workers: list[Any], timeout: float) -> Any:
    """The next report of a client process; fails fast when one died (instead of waiting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Empty):
            return queue.get(timeout=1)
        if any(w.exitcode not in (None, 0) for w in workers):
            raise SystemExit("a client process died (its error is above)")
    raise SystemExit(f"no report from the client processes in {timeout:.0f} s")


def fanout(urls: list[str], trigger: str, n: int, procs: int, ours_shape: bool) -> dict[str, Any]:
    """bench/realtime.py's fan-out measurement, with the sockets split over `urls`."""
    groups = []
    try:
        for k, url in enumerate(urls):
            count = n // len(urls) + (1 if k < n % len(urls) else 0)
            per_url = max(1, procs // len(urls))
            groups.append(
                (
                    # + the unmeasured first round (bench/realtime.py's `measure_fanout`)
                    rt.spread(
                        rt.fanout_client, count, per_url, ((url, ours_shape),), rt.ROUNDS + 1
                    ),
                    per_url,
                )
            )
        for (workers, queue, _), per_url in groups:
            for _ in range(per_url):
                next_report(queue, workers, 300)
        return measure_fanout(groups, trigger, n, ours_shape)
    finally:
        for (workers, _, go), _ in groups:
            rt.finish(workers, go)


def measure_fanout(groups: list[Any], trigger: str, n: int, ours_shape: bool) -> dict[str, Any]:
    sent: dict[int, float] = {}
    last: dict[str, Any] = {}  # the last round's frame as the trigger socket got it

    async def send_triggers() -> None:
        # The trigger socket waits for its own join, as a user's does, before it steers.
        (ws,) = await rt.open_many(trigger, 1, "presence" if ours_shape else None)
        async with ws:
            for r in (rt.ROUNDS + 1, *range(1, rt.ROUNDS + 1)):
                sent[r] = time.time()
                frame = (
                    {"type": "playback.seek", "payload": {"position": r}}
                    if ours_shape
                    else {"round": r}
                )
                await ws.send(json.dumps(frame))
                await asyncio.sleep(max(0.3, n / 2000))
            # Closing at once could cancel a last round still being handled (Channels does).
            with contextlib.suppress(TimeoutError):
                last.update(await asyncio.wait_for(last_round_seen(ws, ours_shape), 60))

    async def last_round_seen(ws: Any, ours_shape: bool) -> dict[str, Any]:
        async for raw in ws:
            frame = json.loads(raw)
            payload = frame.get("payload") or {}
            if ours_shape and payload.get("cause") == "seek" and payload["position"] == rt.ROUNDS:
                return dict(frame)
            if not ours_shape and payload.get("round") == rt.ROUNDS:
                return dict(frame)
        return {}

    asyncio.run(send_triggers())
    latencies: list[float] = []
    for (workers, queue, _), per_url in groups:
        for _ in range(per_url):
            _, received = next_report(queue, workers, 120 + rt.ROUNDS * 5)
            latencies += [(at - sent[tag]) * 1000 for _, tag, at in received if tag <= rt.ROUNDS]
    if not latencies:
        raise SystemExit(f"no fan-out frame arrived from {trigger}")
    return {
        "p50": rt.pct(latencies, 50),
        "p99": rt.pct(latencies, 99),
        "delivered": len(latencies),
        "expected": n * rt.ROUNDS,
        "frame": last,
    }


@dataclass
class WsCase:
    name: str
    servers: list[rest.Server]
    path: str  # "" for the bare server
    ours_shape: bool = True
    result: dict[str, Any] = field(default_factory=dict)


def run_ws(bench: Bench, args: argparse.Namespace) -> list[WsCase]:
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    prefix = f"bench-compare-{os.getpid()}"
    ours_redis = {
        **bench.ours_env,
        "WATCHPARTY_REDIS_URL": redis_url,
        "WATCHPARTY_REALTIME_REDIS_PREFIX": f"{prefix}:ours",
    }
    channels_redis = {
        **bench.peer_env,
        "PEER_REDIS_URL": redis_url,
        "PEER_REDIS_PREFIX": f"{prefix}:channels",
    }
    party = f"/ws/party/{bench.party}/?token={bench.token}"
    bare_port = rest.free_port()
    bare = rest.Server(
        "bare websockets",
        [python(), str(BENCH_DIR / "realtime.py"), "bare-server", "--port", str(bare_port)],
        {},
        bare_port,
        ours=False,
    )
    cases = {
        "bare websockets": lambda: WsCase("bare websockets", [bare], "", ours_shape=False),
        "watchparty": lambda: WsCase("watchparty", [ours(bench.ours_env)], party),
        "fastapi": lambda: WsCase("fastapi", [fastapi(bench.peer_env)], party),
        "channels": lambda: WsCase(
            "channels (in-memory)", [django("channels", bench.peer_env)], party
        ),
        "watchparty x2": lambda: WsCase(
            "watchparty x2 (redis)",
            [ours(ours_redis, "watchparty-a"), ours(ours_redis, "watchparty-b")],
            party,
        ),
        "channels x2": lambda: WsCase(
            "channels x2 (channels_redis)",
            [
                django("channels-a", channels_redis, "redis"),
                django("channels-b", channels_redis, "redis"),
            ],
            party,
        ),
    }
    done = []
    try:
        for name, make in cases.items():
            if name not in args.stacks:
                continue
            case, began = make(), time.monotonic()
            try:
                with started(*case.servers, out=bench.out):
                    urls = [f"ws://{HOST}:{s.port}{case.path}" for s in case.servers]
                    case.result = fanout(
                        urls, urls[0], args.sockets, args.client_procs, case.ours_shape
                    )
            except (SystemExit, Exception) as failed:  # keep the other stacks' rows
                case.result = {"error": str(failed)}
            print(f"  {case.name}: {row_text(case.result)} ({time.monotonic() - began:.0f} s)")
            done.append(case)
    finally:
        drop_redis_keys(redis_url, prefix)
    check_same_frames(done)
    return done


def comparable_frame(frame: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    # Volatile: the server time of the state, and seq (each stack's seeks add to the row).
    payload = {k: v for k, v in frame.get("payload", {}).items() if k not in ("ref_ts", "seq")}
    return frame.get("type"), payload


def check_same_frames(cases: list[WsCase]) -> None:
    """Each peer's last `playback.state` frame against ours (`same frame` in the table)."""
    ours = next((c for c in cases if c.name == "watchparty" and c.result.get("frame")), None)
    for case in cases:
        if ours is not None and case.ours_shape and "frame" in case.result:
            theirs, mine = case.result["frame"], ours.result["frame"]
            case.result["same"] = comparable_frame(theirs) == comparable_frame(mine)
            if not case.result["same"]:
                print(f"  {case.name}: playback.state differs from ours:\n    ours   {mine}"
                      f"\n    theirs {theirs}")  # fmt: skip


def drop_redis_keys(url: str, prefix: str) -> None:
    """Our own keys only (the Redis server is shared: never flush it)."""
    import redis

    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def row_text(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"failed: {result['error']}"
    return f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms"


def print_ws(cases: list[WsCase], args: argparse.Namespace) -> None:
    print(
        f"\nRealtime: one playback event to {args.sockets} sockets of one party, {rt.ROUNDS} "
        f"rounds after an unmeasured one, {args.client_procs} client processes "
        "(bench/realtime.py's client)"
    )
    header = (
        f"{'stack':<30} {'p50 ms':>8} {'p99 ms':>8} {'delivered':>12} "
        f"{'p50/bare':>9} {'p99/bare':>9} {'same frame':>10}"
    )
    print(header)
    print("-" * len(header))
    bare = next((c.result for c in cases if not c.ours_shape and "error" not in c.result), None)
    for case in cases:
        r = case.result
        if "error" in r:
            print(f"{case.name:<30} failed: {r['error']}")
            continue
        ratios = f"{r['p50'] / bare['p50']:>8.2f}x {r['p99'] / bare['p99']:>8.2f}x" if bare else ""
        delivered = f"{r['delivered']}/{r['expected']}"
        same = {True: "yes", False: "NO"}.get(r.get("same"), "")  # type: ignore[call-overload]
        print(
            f"{case.name:<30} {r['p50']:>8.1f} {r['p99']:>8.1f} {delivered:>12} {ratios} {same:>10}"
        )
    by_name = {c.name: c.result for c in cases if "error" not in c.result}
    pairs = [
        ("watchparty", "fastapi"),
        ("watchparty", "channels (in-memory)"),
        ("watchparty x2 (redis)", "channels x2 (channels_redis)"),
        ("watchparty x2 (redis)", "watchparty"),
    ]
    for a, b in pairs:
        if a in by_name and b in by_name:
            print(
                f"{a} / {b}: p50 {by_name[a]['p50'] / by_name[b]['p50']:.2f}x, "
                f"p99 {by_name[a]['p99'] / by_name[b]['p99']:.2f}x"
            )


# -- main ------------------------------------------------------------------------------------------


def versions() -> str:
    found = []
    for name in VERSIONED:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    redis_version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    tools = [
        (wrk_version.stdout or wrk_version.stderr).split("[")[0].strip(),
        " ".join(redis_version.stdout.split()[:3]),
    ]
    return (
        f"Python {platform.python_version()}; "
        + ", ".join(found)
        + "; "
        + "; ".join(tools)
        + f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
        f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} at start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["rest", "ws"], help="one half of the comparison")
    parser.add_argument("--ops", default=",".join(OPS), help=f"REST operations: {', '.join(OPS)}")
    parser.add_argument(
        "--stacks",
        default="watchparty novalidate,fastapi,drf,bare,channels,watchparty x2,channels x2",
        help="peers to run (ours always runs): 'watchparty novalidate' (ours as production "
        "runs it, without response validation), fastapi, drf, bare, channels, "
        "'watchparty x2', 'channels x2'",
    )
    parser.add_argument("--duration", type=int, default=10, help="measured seconds per REST load")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds before each")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--sockets", type=int, default=1000, help="WS fan-out sockets")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument(
        "--open-batch",
        type=int,
        default=50,
        help="sockets each client process opens at once (bench/realtime.py's OPEN_BATCH, 200, "
        "made ours drop joins on SQLite on a busy machine: 'database is locked')",
    )
    parser.add_argument("--redis-db", type=int, default=13, help="Redis db of the two-process case")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a fresh schema of this PostgreSQL database instead of SQLite, e.g. "
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument("--out", type=Path, default=rest.ROOT / "var" / "bench", help="server logs")
    args = parser.parse_args()
    args.stacks = {s.strip() for s in args.stacks.split(",")} | {"watchparty"}
    if "bare" in args.stacks:
        args.stacks |= {"bare starlette", "bare websockets"}
    if unknown := set(args.ops.split(",")) - set(OPS):
        raise SystemExit(f"unknown operations: {', '.join(sorted(unknown))}")
    ops = [OPS[name] for name in args.ops.split(",")]
    if args.only != "ws" and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    args.out.mkdir(parents=True, exist_ok=True)
    rt.OPEN_BATCH = args.open_batch  # read by the (forked) client processes
    print(versions())
    started_at = time.monotonic()

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="watchparty-compare-")))
        ours_env = {
            **rt.ours_env(tmp / "var", deflate=False),
            "WATCHPARTY_ENV": "development",
            "WATCHPARTY_ACCESS_TOKEN_TTL_SECONDS": "86400",
        }
        if args.postgres:
            stack.enter_context(rest.postgres_schema(args.postgres, ours_env))
        first = ours(ours_env)
        with started(first, out=args.out):
            token, party, send_party = prepare(f"http://{HOST}:{first.port}")
        bench = Bench(
            token, party, send_party, ours_env, {**os.environ, **peer_env(ours_env)}, tmp, args.out
        )
        db = "PostgreSQL" if args.postgres else "SQLite"
        rest_stacks = run_rest(bench, args, ops) if args.only != "ws" else []
        ws_cases = run_ws(bench, args) if args.only != "rest" else []
    if rest_stacks:
        print_rest(rest_stacks, ops, args, db)
    if ws_cases:
        print_ws(ws_cases, args)
    print(
        f"\nwhole run: {time.monotonic() - started_at:.0f} s; load average at end "
        f"{os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
