"""Developer sessions: `nox -s tests`, `nox -s gen`, `nox -s lint`, `nox -s fuzz`."""

from __future__ import annotations

import nox

nox.options.sessions = ["gen", "tests", "lint"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite; absent services skip unless WATCHPARTY_REQUIRE_SERVICES=1."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The long contract profile: schemathesis with 100 cases per operation (CI runs 10).

    Fuzzes the real server on SQLite and PostgreSQL and the mock in its examples, dynamic and
    stateful modes (100 scenarios of 10 steps over the spec's links); each test prints which
    checks ran and how often each had something to judge. `nox -s fuzz -- -x` stops at the
    first failure, `-- -k sqlite` skips PostgreSQL. Takes about 30 minutes per backend and
    25 for the mock on a busy 2-core box.
    """
    session.install("-e", ".[test]")
    session.env.setdefault("WATCHPARTY_FUZZ_EXAMPLES", "100")
    session.run("pytest", "tests/contract", "tests/mocks/test_schemathesis.py", *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """The load soak: 5,000 WebSocket clients in 200 parties for 60 s, twice (issue 10).

    Chat, playback and REST traffic against `watchparty serve` on loopback (bench/soak.py).
    Fails on any server error, lost acknowledged message or memory growth between the waves;
    options follow `--` (`nox -s soak -- --clients 500 --parties 20 --duration 15` is a short
    run, `-- --postgres URL`, `-- --redis URL`). Takes about 10 minutes on 2 cores.
    """
    session.install("-e", ".[test]")
    session.run("python", "bench/soak.py", *session.posargs)


@nox.session
def gen(session: nox.Session) -> None:
    """Fail when the committed specs or generated code drift from the catalog."""
    session.install("-e", ".[gen]")
    session.run("watchparty", "gen", "--check")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint + format) over everything, mypy --strict over the product code."""
    session.install("-e", ".[dev]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "watchparty", "handlers", "mocks")
