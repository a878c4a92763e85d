"""REST throughput of our stack against bare Starlette, in one run (issue 3; docs/benchmarks.md).

    python bench/rest.py                  # bare vs ours, 3 rounds of 10 s, 32 connections
    python bench/rest.py --variants static-handler,no-resp-validation,starlette-me,serve
    python bench/rest.py --profile        # + a py-spy profile of our server under that load
    python bench/rest.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test

Every server is a real uvicorn process on a free loopback port with the same uvicorn settings
(one worker, httptools + uvloop, no access log), started here and stopped at the end. Ours runs
`watchparty.app:create_app` on a fresh SQLite data directory with a registered, logged-in user;
the baseline (bench/bare_app.py) returns the same JSON from a bare Starlette route. Load comes
from `wrk` (Debian package) in its own process: bounded in time and connections, loopback only.
Rounds alternate between the servers so drift on the machine hits all of them alike; the table
shows the median round, and `cpu ms/req` (the server's CPU time over its requests), which is
far steadier than req/s on a shared machine. Variants (`--variants a,b` or `all`):

  static-handler       our app, `getMe` answering fixed JSON: connexion without the database
  no-resp-validation   our app with WATCHPARTY_VALIDATE_RESPONSES=false
  starlette-me         our getMe work (JWT, session, query) on bare Starlette (starlette_me.py)
  serve                `watchparty serve` as shipped (uvicorn defaults: access log on)
  pool32, switch-interval, no-pre-ping   one knob turned (tuned_app.py)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PATH = "/api/auth/me/"
HOST = "127.0.0.1"
UVICORN_FLAGS = ["--workers", "1", "--no-access-log", "--log-level", "warning"]
START_TIMEOUT_SECS = 60.0
USER = {"username": "bench", "email": "bench@example.com", "password": "bench-password-1"}


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    ours: bool
    process: subprocess.Popen[bytes] | None = None
    results: list[WrkResult] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{PATH}"


@dataclass(frozen=True)
class WrkResult:
    requests_per_sec: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_secs: float = 0.0  # the server process's user+system CPU time during the run


def cpu_secs(pid: int) -> float:
    """User + system CPU seconds of a process, all threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start(server: Server, log_dir: Path) -> None:
    log = (log_dir / f"{server.slug}.log").open("wb")
    server.process = subprocess.Popen(
        server.command,
        env={**os.environ, **server.env},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stop() ends its workers too
    )
    deadline = time.monotonic() + START_TIMEOUT_SECS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited early; see {log.name}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, server.port), 0.2):
            return
        time.sleep(0.1)
    raise SystemExit(f"{server.name} did not listen on port {server.port} in time")


def stop(server: Server) -> None:
    if server.process is None or server.process.poll() is not None:
        return
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def log_in(server: Server) -> str:
    """Register the bench user (first time) and return an access token."""
    base = f"http://{HOST}:{server.port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        registered = client.post("/api/auth/register/", json=USER)
        if registered.status_code not in (200, 201, 400):
            raise SystemExit(f"register answered {registered.status_code}: {registered.text}")
        login = client.post(
            "/api/auth/login/", json={"email": USER["email"], "password": USER["password"]}
        )
        if login.status_code != 200 or "access" not in login.json():
            raise SystemExit(f"login answered {login.status_code}: {login.text}")
        return str(login.json()["access"])


def get_me(server: Server, token: str) -> object:
    response = httpx.get(server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if response.status_code != 200:
        raise SystemExit(f"{server.name}: GET {PATH} answered {response.status_code}")
    return response.json()


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS_MS[unit]


@dataclass(frozen=True)
class Load:
    """One wrk thread (the server under test gets the other core), bounded in time and sockets."""

    seconds: int
    connections: int


def wrk(
    url: str, token: str, load: Load, *, seconds: int | None = None, script: Path | None = None
) -> WrkResult:
    """`script`: a wrk Lua script (bench/compare.py POSTs with one)."""
    command = [
        "wrk", "-t1", f"-c{load.connections}", f"-d{seconds or load.seconds}s", "--latency",
        "-H", f"Authorization: Bearer {token}", *(["-s", str(script)] if script else []), url,
    ]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    percentile = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.MULTILINE))
    if set(percentile) != {"50", "99"}:
        raise SystemExit(f"cannot read wrk's latency distribution:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )  # noqa: E501
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return WrkResult(
        requests_per_sec=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentile["50"]),
        p99_ms=_ms(percentile["99"]),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        errors=errors,
    )


def median_round(results: list[WrkResult]) -> WrkResult:
    ordered = sorted(results, key=lambda r: r.requests_per_sec)
    return ordered[len(ordered) // 2]


EXTRA_VARIANTS = (
    "static-handler",
    "no-resp-validation",
    "starlette-me",
    "serve",
    "pool32",
    "switch-interval",
    "no-pre-ping",
)


def build_servers(extras: list[str], ours_env: dict[str, str], me_json: Path) -> list[Server]:
    """The baseline, our stack, and the `extras` asked for, each on a free port."""
    python = sys.executable
    uvicorn = [python, "-m", "uvicorn", *UVICORN_FLAGS, "--host", HOST]
    ours = [*uvicorn, "--factory", "watchparty.app:create_app"]
    servers = [
        Server("bare starlette", [*uvicorn, "--app-dir", str(BENCH_DIR), "bare_app:app"],
               {"BENCH_ME_JSON": str(me_json)}, 0, ours=False),
        Server("watchparty", ours, ours_env, 0, ours=True),
    ]  # fmt: skip
    variants = {
        "no-resp-validation": Server(
            "watchparty, validate_responses=false", ours,
            {**ours_env, "WATCHPARTY_VALIDATE_RESPONSES": "false"}, 0, ours=True),
        # Our auth + database work without connexion (bench/starlette_me.py).
        "starlette-me": Server(
            "starlette + our getMe work",
            [*uvicorn, "--app-dir", str(BENCH_DIR), "starlette_me:app"], ours_env, 0, ours=True),
        # As shipped: uvicorn's defaults, so its access log is on.
        "serve": Server(
            "watchparty serve (access log on)",
            [str(Path(python).parent / "watchparty"), "serve", "--host", HOST, "--port", "{port}"],
            ours_env, 0, ours=True),
    }  # fmt: skip
    # Experiments: the full app with one knob turned (bench/tuned_app.py).
    tuned = [*uvicorn, "--app-dir", str(BENCH_DIR), "--factory", "tuned_app:create_app"]
    experiments: dict[str, tuple[str, dict[str, str]]] = {
        "static-handler": ("watchparty, getMe without database", {"BENCH_STATIC_ME": str(me_json)}),
        "pool32": ("watchparty, pool_size=32", {"BENCH_POOL_SIZE": "32"}),
        "switch-interval": (
            "watchparty, switchinterval=0.5ms",
            {"BENCH_SWITCH_INTERVAL_SECS": "0.0005"},
        ),
        "no-pre-ping": ("watchparty, pool_pre_ping=False", {"BENCH_NO_PRE_PING": "1"}),
    }
    for name, (label, knobs) in experiments.items():
        variants[name] = Server(label, tuned, {**ours_env, **knobs}, 0, ours=True)
    servers += [variants[name] for name in extras]
    for server in servers:
        server.port = free_port()
        if "{port}" in server.command:
            server.command = [str(server.port) if a == "{port}" else a for a in server.command]
        else:
            server.command = [*server.command, "--port", str(server.port)]
    return servers


@contextlib.contextmanager
def postgres_schema(base_url: str, env: dict[str, str]) -> Iterator[None]:
    """A fresh schema in `base_url`'s database, migrated, dropped afterwards."""
    import asyncio

    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    from watchparty.db import Database
    from watchparty.settings import Settings

    schema = f"bench_{os.getpid()}_{int(time.time())}"

    async def run(statement: str) -> None:
        engine = create_async_engine(base_url)
        try:
            async with engine.begin() as conn:
                await conn.execute(sa.text(statement))
        finally:
            await engine.dispose()

    async def migrate() -> None:
        settings = Settings(
            database_url=base_url, database_schema=schema, data_dir=Path(env["WATCHPARTY_DATA_DIR"])
        )
        db = await Database.open(settings.prepare())
        try:
            await db.migrate()
        finally:
            await db.close()

    asyncio.run(run(f'CREATE SCHEMA "{schema}"'))
    try:
        asyncio.run(migrate())
        env.update({"DATABASE_URL": base_url, "WATCHPARTY_DATABASE_SCHEMA": schema})
        yield
    finally:
        asyncio.run(run(f'DROP SCHEMA "{schema}" CASCADE'))


@contextlib.contextmanager
def running(servers: list[Server]) -> Iterator[None]:
    try:
        yield
    finally:
        for server in servers:
            stop(server)


def profile(server: Server, token: str, out_dir: Path, load: Load) -> Path:
    """py-spy samples our server while wrk loads it; returns the collapsed-stack file."""
    venv_bin = Path(sys.executable).parent
    py_spy = shutil.which("py-spy", path=f"{venv_bin}{os.pathsep}{os.environ['PATH']}")
    if py_spy is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    assert server.process is not None
    raw = out_dir / f"profile-{server.slug}.txt"
    spy = subprocess.Popen(
        [py_spy, "record", "--pid", str(server.process.pid), "--duration", str(load.seconds + 1),
         "--rate", "250", "--format", "raw", "--output", str(raw), "--nonblocking", "--gil"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(0.5)
    wrk(server.url, token, load)
    _, err = spy.communicate(timeout=60)
    if spy.returncode != 0:
        raise SystemExit(f"py-spy failed: {err.decode(errors='replace')}")
    return raw


def print_table(servers: list[Server], load: Load) -> None:
    base = median_round(servers[0].results)
    rounds = len(servers[0].results)
    print(
        f"\nGET {PATH}  wrk -t1 -c{load.connections} -d{load.seconds}s, median of {rounds} rounds\n"
    )
    header = (
        f"{'server':<36} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs bare':>8}"
        f" {'cpu %':>6} {'cpu ms/req':>10} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for server in servers:
        r = median_round(server.results)
        ratio = r.requests_per_sec / base.requests_per_sec
        errors = sum(x.errors for x in server.results)
        cpu_pct = 100 * r.cpu_secs / load.seconds
        cpu_per_req = 1000 * r.cpu_secs / max(r.requests, 1)
        print(
            f"{server.name:<36} {r.requests_per_sec:>8.0f} {r.p50_ms:>7.2f} {r.p99_ms:>7.2f}"
            f" {ratio:>7.3f}x {cpu_pct:>6.0f} {cpu_per_req:>10.2f} {errors:>6}"
        )
    all_rounds = {s.name: [round(r.requests_per_sec) for r in s.results] for s in servers}
    print(f"\nreq/s per round: {json.dumps(all_rounds)}")


def measure(servers: list[Server], token: str, load: Load, *, rounds: int, warmup: int) -> None:
    # Alternating servers within each round: drift on the machine hits every server alike.
    for _ in range(rounds):
        for server in servers:
            assert server.process is not None
            if warmup:
                wrk(server.url, token, load, seconds=warmup)
            before = cpu_secs(server.process.pid)
            result = wrk(server.url, token, load)
            used = cpu_secs(server.process.pid) - before
            server.results.append(dataclasses.replace(result, cpu_secs=used))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per round")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--variants",
        default="",
        help=f"extra servers, comma-separated, or 'all': {', '.join(EXTRA_VARIANTS)}",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run ours on a fresh schema of this PostgreSQL database instead of SQLite "
        "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="then py-spy our server under the same load"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "var" / "bench", help="server logs and profiles"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    args.out.mkdir(parents=True, exist_ok=True)
    load = Load(seconds=args.seconds, connections=args.connections)

    extras = (
        list(EXTRA_VARIANTS)
        if args.variants == "all"
        else [name for name in args.variants.split(",") if name]
    )
    if unknown := set(extras) - set(EXTRA_VARIANTS):
        raise SystemExit(f"unknown variants: {', '.join(sorted(unknown))}")

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="watchparty-bench-")))
        ours_env = {
            "WATCHPARTY_DATA_DIR": str(tmp / "var"),
            "WATCHPARTY_ENV": "development",
            # Long enough that no token expires during a run.
            "WATCHPARTY_ACCESS_TOKEN_TTL_SECONDS": "86400",
        }
        if args.postgres:
            stack.enter_context(postgres_schema(args.postgres, ours_env))
        me_json = tmp / "me.json"
        servers = build_servers(extras, ours_env, me_json)
        ours = [s for s in servers if s.ours]
        with running(servers):
            # Ours first: its answer is the JSON the baseline serves.
            start(ours[0], args.out)
            token = log_in(ours[0])
            me = get_me(ours[0], token)
            me_json.write_text(json.dumps(me), encoding="utf-8")
            for server in servers:
                if server.process is None:
                    start(server, args.out)
                if get_me(server, token) != me:
                    raise SystemExit(f"{server.name} does not answer the same JSON")
            measure(servers, token, load, rounds=args.rounds, warmup=args.warmup)
            print_table(servers, load)
            if args.profile:
                from profile_summary import summarize  # bench/profile_summary.py

                raw = profile(ours[0], token, args.out, load)
                print(f"\nprofile of {ours[0].name} under the same load ({raw}):")
                print(summarize(raw.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
