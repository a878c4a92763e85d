"""Developer sessions: `nox -s tests`, `nox -s gen`, `nox -s lint`."""

from __future__ import annotations

import nox

nox.options.sessions = ["gen", "tests", "lint"]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (services skip when absent; set WATCHPARTY_REQUIRE_SERVICES=1 to require them)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def gen(session: nox.Session) -> None:
    """Fail when the committed specs or generated code drift from the catalog."""
    session.install("-e", ".[gen]")
    session.run("watchparty", "gen", "--check")


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "watchparty", "handlers", "mocks", "tests", "noxfile.py")
