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

    Fuzzes the real server on SQLite and PostgreSQL and the mock in its dynamic and stateful
    modes; `nox -s fuzz -- -x` stops at the first failure. Takes tens of minutes.
    """
    session.install("-e", ".[test]")
    session.env.setdefault("WATCHPARTY_FUZZ_EXAMPLES", "100")
    session.run("pytest", "tests/contract", "tests/mocks/test_schemathesis.py", *session.posargs)


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
