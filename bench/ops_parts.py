"""CPU per request of issue 9's three REST operations, in-process (docs/benchmarks.md).

    python bench/ops_parts.py [--requests 1000] [--repeat 5] [--postgres URL]
    python bench/ops_parts.py --profile getParty      # cProfile of one operation

Seeds one host with `--parties` parties (the first page of `GET /api/parties/` is full), the
first of them public with `--participants` joined participants (the free plan's cap is 10)
and `--messages` chat messages, then calls each operation as an ASGI callable, one request at
a time, with no server and no socket (bench/asgi_parts.py's method): the figure is the CPU our
code spends per request, far steadier than req/s on a shared machine. Rows:

  getParty          GET  /api/parties/{id}/             (detail with participants, chat, polls)
  listParties       GET  /api/parties/                  (first page of 20)
  sendChatMessage   POST /api/chat/{id}/messages/send/  (stored by the chat group commit)

each for the app with response validation on (tests, the mock, development) and off
(`WATCHPARTY_VALIDATE_RESPONSES=false`, what production runs). Throttles are off (the send
scope allows 30 a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asgi_parts import ASGI, lifespan, request  # noqa: E402  (bench/asgi_parts.py)

from watchparty.app import create_app  # noqa: E402
from watchparty.settings import Settings  # noqa: E402

PASSWORD = "bench-password-1"


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    body: bytes = b""
    status: int = 200

    def __post_init__(self) -> None:
        if isinstance(self.body, str):  # read back from bench-seed.json
            object.__setattr__(self, "body", self.body.encode())


@dataclass(frozen=True)
class Seeded:
    token: str
    party_id: str
    operations: list[Operation]


async def _call(
    app: ASGI, method: str, path: str, *, token: str | None = None, body: Any = None
) -> Any:
    raw = json.dumps(body).encode() if body is not None else b""
    status, answer = await request(app, method, path, token=token, body=raw)
    if status >= 300:
        raise SystemExit(f"{method} {path} answered {status}: {answer[:300]!r}")
    return json.loads(answer) if answer else None


async def _register(app: ASGI, name: str) -> str:
    user = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    return str((await _call(app, "POST", "/api/auth/register/", body=user))["access"])


async def seed(app: ASGI, *, parties: int, participants: int, messages: int) -> Seeded:
    """A host, its parties, guests joined to the first one and its chat history."""
    token = await _register(app, "host")
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    party_ids = []
    for n in range(parties):
        body = {"title": f"Party {n}", "scheduled_for": when,
                "settings": {"visibility": "public", "max_participants": 10}}  # fmt: skip
        party_ids.append((await _call(app, "POST", "/api/parties/", token=token, body=body))["id"])
    party_id = party_ids[0]
    for n in range(participants - 1):
        guest = await _register(app, f"guest{n}")
        await _call(app, "POST", f"/api/parties/{party_id}/join/", token=guest)
    for n in range(messages):
        body = {"content": f"message {n}"}
        await _call(app, "POST", f"/api/chat/{party_id}/messages/send/", token=token, body=body)
    send = json.dumps({"content": "This scene!"}).encode()
    return Seeded(
        token=token,
        party_id=party_id,
        operations=[
            Operation("getParty", "GET", f"/api/parties/{party_id}/"),
            Operation("listParties", "GET", "/api/parties/"),
            Operation("sendChatMessage", "POST", f"/api/chat/{party_id}/messages/send/", send, 201),
        ],
    )


async def cpu_us_per_request(app: ASGI, op: Operation, token: str, *, requests: int) -> float:
    for _ in range(20):
        status, answer = await request(app, op.method, op.path, token=token, body=op.body)
        assert status == op.status, (op.name, status, answer[:300])
    start = time.process_time()
    for _ in range(requests):
        await request(app, op.method, op.path, token=token, body=op.body)
    return (time.process_time() - start) / requests * 1e6


@contextlib.asynccontextmanager
async def apps(
    data_dir: Path, database_url: str | None, *, peer: bool
) -> AsyncIterator[dict[str, ASGI]]:
    # Tokens outlive a reused `--data-dir` between runs.
    common: dict[str, Any] = {
        "data_dir": data_dir,
        "throttle_enabled": False,
        "access_token_ttl_seconds": 30 * 86400,
    }
    if database_url:
        common["database_url"] = database_url
    async with contextlib.AsyncExitStack() as stack:
        built: dict[str, ASGI] = {
            label: await stack.enter_async_context(
                lifespan(create_app(Settings(**common, validate_responses=validate)))
            )
            for label, validate in (("resp. validation on", True), ("off (production)", False))
        }
        if peer:
            built["fastapi peer"] = await stack.enter_async_context(
                fastapi_peer(Settings(**common).prepare())
            )
        yield built


@contextlib.asynccontextmanager
async def fastapi_peer(settings: Settings) -> AsyncIterator[ASGI]:
    """bench/peers/fastapi_app.py on the same database and secret (needs the peers' venv)."""
    os.environ["PEER_DATABASE_URL"] = settings.database_url
    os.environ["PEER_SECRET_KEY"] = settings.secret_key.get_secret_value()
    if settings.database_schema:
        os.environ["PEER_DATABASE_SCHEMA"] = settings.database_schema
    sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))
    from fastapi_app import app  # noqa: PLC0415

    async with app.router.lifespan_context(app):
        yield app


async def seed_once(app: ASGI, args: argparse.Namespace, data_dir: Path) -> Seeded:
    """Seed, or reuse what an earlier run with the same `--data-dir` seeded."""
    saved = data_dir / "bench-seed.json"
    if saved.exists():
        raw = json.loads(saved.read_text(encoding="utf-8"))
        return Seeded(raw["token"], raw["party_id"], [Operation(**op) for op in raw["ops"]])
    seeded = await seed(
        app, parties=args.parties, participants=args.participants, messages=args.messages
    )
    ops = [{**op.__dict__, "body": op.body.decode()} for op in seeded.operations]
    saved.write_text(json.dumps({"token": seeded.token, "party_id": seeded.party_id, "ops": ops}))
    return seeded


async def run(args: argparse.Namespace, data_dir: Path) -> None:
    async with apps(data_dir, args.postgres, peer=args.fastapi) as built:
        first = next(iter(built.values()))
        seeded = await seed_once(first, args, data_dir)
        if args.profile:
            await profile(built["off (production)"], seeded, args.profile, args.requests)
            return
        if args.spin:  # for an outside sampler: py-spy record --gil -- python bench/ops_parts.py
            op = next(op for op in seeded.operations if op.name == args.spin)
            us = await cpu_us_per_request(
                built["off (production)"], op, seeded.token, requests=args.requests
            )
            print(f"{op.name}: {us:.0f} us/request")
            return
        results: dict[tuple[str, str], list[float]] = {}
        rt = first.state.runtime  # type: ignore[attr-defined]
        # Rounds over every app and operation: a burst of load elsewhere skews one round.
        for _ in range(args.repeat):
            for op in seeded.operations:
                for label, app in built.items():
                    us = await cpu_us_per_request(app, op, seeded.token, requests=args.requests)
                    results.setdefault((op.name, label), []).append(us)
                us = await handler_us_per_call(rt, op, seeded, requests=args.requests)
                results.setdefault((op.name, "handler alone"), []).append(us)
    print(
        f"\nin-process CPU microseconds per request, median of {args.repeat} rounds x "
        f"{args.requests} requests ({args.participants} participants, {args.messages}+ messages)"
    )
    for (name, label), values in results.items():
        print(
            f"  {name:<16} {label:<22} {statistics.median(values):>8.0f}   "
            f"{[round(v) for v in values]}"
        )


async def handler_us_per_call(rt: Any, op: Operation, seeded: Seeded, *, requests: int) -> float:
    """The operation's handler called directly (its database work and JSON, no connexion)."""
    from handlers.chat import send_chat_message
    from handlers.parties import get_party, list_parties
    from watchparty.auth.tokens import decode_access_token
    from watchparty.runtime import use_runtime

    token_info = decode_access_token(seeded.token, settings=rt.settings)
    calls = {
        "getParty": lambda: get_party(partyId=seeded.party_id, token_info=token_info),
        "listParties": lambda: list_parties(token_info=token_info),
        "sendChatMessage": lambda: send_chat_message(
            partyId=seeded.party_id, body=json.loads(op.body), token_info=token_info
        ),
    }
    call = calls[op.name]
    with use_runtime(rt):
        for _ in range(20):
            await call()
        start = time.process_time()
        for _ in range(requests):
            await call()
    return (time.process_time() - start) / requests * 1e6


async def profile(app: ASGI, seeded: Seeded, name: str, requests: int) -> None:
    """cProfile's top functions by own time, then by cumulative time, for one operation."""
    import cProfile
    import pstats

    op = next(op for op in seeded.operations if op.name == name)
    await cpu_us_per_request(app, op, seeded.token, requests=50)
    with cProfile.Profile() as profiler:
        await cpu_us_per_request(app, op, seeded.token, requests=requests)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000, help="per app, operation, round")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parties", type=int, default=25)
    parser.add_argument("--participants", type=int, default=10)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL URL (a fresh schema)")
    parser.add_argument(
        "--profile", metavar="OPERATION", help="cProfile one operation (validation off) instead"
    )
    parser.add_argument(
        "--fastapi",
        action="store_true",
        help="add bench/peers/fastapi_app.py as a row (run with ../peers-venv/bin/python)",
    )
    parser.add_argument(
        "--spin", metavar="OPERATION", help="only run one operation (validation off), for py-spy"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="SQLite data directory to seed once and reuse (default: a temporary one)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watchparty-ops-") as tmp:
        if args.data_dir and not args.postgres:
            asyncio.run(run(args, args.data_dir))
        elif args.postgres:
            from rest import postgres_schema  # noqa: PLC0415  (bench/rest.py)

            env = {"WATCHPARTY_DATA_DIR": str(Path(tmp) / "var")}
            with postgres_schema(args.postgres, env):
                os.environ["WATCHPARTY_DATABASE_SCHEMA"] = env["WATCHPARTY_DATABASE_SCHEMA"]
                asyncio.run(run(args, Path(tmp) / "var"))
        else:
            asyncio.run(run(args, Path(tmp) / "var"))


if __name__ == "__main__":
    main()
