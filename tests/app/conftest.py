"""Fixtures for the app wiring tests, and the pattern other API tests copy.

The pattern (B copies it into tests/conftest.py):

    settings = Settings(env="test", data_dir=tmp_path)  # SQLite file under tmp_path
    app = create_app(settings)  # or create_app(settings, runtime=rt)
    async with app.router.lifespan_context(app):  # opens db (migrated), throttler, mailer
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            ...

`create_app(settings, runtime=rt)` serves an already opened `Runtime` (a test that owns its
database and throttler); `create_app(settings, overrides={"getMe": handler})` binds test
handlers instead of the catalog's. Apps built with the same overrides and `validate_responses`
share one connexion app (the spec is parsed and checked once per process), so an app per
test costs little beyond its lifespan. `client` comes from tests/conftest.py and
uses the `app` defined here. starlette's TestClient is not used: it warns under this
starlette version, and warnings are errors here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path

import pytest
from starlette.applications import Starlette

from watchparty.app import create_app
from watchparty.auth.tokens import encode_access_token
from watchparty.resolver import Handler
from watchparty.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Explicit values and no .env: the wiring tests run the same whatever the environment
    # says (CI's DATABASE_URL and Redis are for the API tests).
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        env="test",
        data_dir=tmp_path / "var",
        database_url="",
        redis_url=None,
        secret_key="test-secret-" + "x" * 32,
        validate_responses=True,
    )


@pytest.fixture
def overrides() -> Mapping[str, Handler]:
    """operationId -> handler; override in a test module to install test handlers."""
    return {}


@pytest.fixture
async def app(settings: Settings, overrides: Mapping[str, Handler]) -> AsyncIterator[Starlette]:
    application = create_app(settings, overrides=overrides)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def auth_headers(app: Starlette) -> Callable[..., dict[str, str]]:
    """`auth_headers(user_id=None, role="user")`: a valid bearer header (no user row behind it:
    enough for the app wiring, whose test handlers never load the user)."""
    settings = app.state.runtime.settings

    def make(user_id: uuid.UUID | None = None, role: str = "user") -> dict[str, str]:
        token = encode_access_token(
            settings=settings,
            user_id=user_id or uuid.uuid4(),
            role=role,
            family_id=uuid.uuid4(),
            now=dt.datetime.now(dt.UTC),
        )
        return {"Authorization": f"Bearer {token}"}

    return make
