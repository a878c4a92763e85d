"""operationId -> handler binding: 501 fallback, throttling, the runtime inside handlers."""

from __future__ import annotations

import dataclasses
import importlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest

from generated.operations import OPERATIONS
from watchparty.app import create_app
from watchparty.resolver import Handler, find_handler, implemented_operations
from watchparty.runtime import Runtime, runtime, use_runtime
from watchparty.settings import Settings

AuthHeaders = Callable[..., dict[str, str]]
SEEN: list[Runtime] = []


async def login(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    SEEN.append(runtime())
    return {"two_factor_required": True, "challenge": "c"}, 200


async def enable_two_factor(body: dict[str, Any], user: str) -> tuple[None, int]:
    return None, 204


@pytest.fixture
def overrides() -> Mapping[str, Handler]:
    return {"login": login, "enableTwoFactor": enable_two_factor}


LOGIN = {"email": "ana@example.com", "password": "pw"}


async def test_missing_handler_answers_501(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    info = dataclasses.replace(
        OPERATIONS["listPlans"], handler="handlers._no_such_module.list_plans"
    )
    monkeypatch.setitem(OPERATIONS, "listPlans", info)
    # A fresh override set gives a fresh connexion app, resolved with the patched catalog.
    app = create_app(settings, overrides={"login": login, "getMe": enable_two_factor})
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/api/billing/plans/")
    assert response.status_code == 501
    assert response.json() == {
        "detail": "GET /api/billing/plans/ (listPlans) is not implemented yet.",
        "code": "not_implemented",
    }
    assert "listPlans" not in implemented_operations()


def test_find_handler_reports_missing_functions_and_modules() -> None:
    missing_module = dataclasses.replace(OPERATIONS["getMe"], handler="handlers._nope.get_me")
    missing_function = dataclasses.replace(OPERATIONS["getMe"], handler="watchparty.errors.nope")
    present = dataclasses.replace(OPERATIONS["getMe"], handler="watchparty.resolver.throttle_key")
    assert find_handler(missing_module) is None
    assert find_handler(missing_function) is None
    assert find_handler(present) is not None


def test_broken_handler_module_stays_loud(monkeypatch: pytest.MonkeyPatch) -> None:
    # A handler module that exists but cannot import its own dependency is a bug, not a 501.
    broken = dataclasses.replace(OPERATIONS["getMe"], handler="handlers._broken.get_me")

    def import_module(name: str) -> Any:
        raise ModuleNotFoundError("No module named 'missing_dep'", name="missing_dep")

    monkeypatch.setattr(importlib, "import_module", import_module)
    with pytest.raises(ModuleNotFoundError, match="missing_dep"):
        find_handler(broken)


def test_implemented_operations_match_the_catalog() -> None:
    implemented = implemented_operations()
    assert set(implemented) <= set(OPERATIONS)
    assert implemented == [op for op in OPERATIONS if op in implemented]


async def test_sync_handler_is_refused_at_startup(settings: Settings) -> None:
    def sync_login(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        return {}, 200

    app = create_app(settings, overrides={"login": sync_login})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="async def"):
        async with app.router.lifespan_context(app):
            pass


async def test_handlers_see_the_apps_runtime(client: httpx.AsyncClient, app: Any) -> None:
    SEEN.clear()
    response = await client.post("/api/auth/login/", json=LOGIN)
    assert response.status_code == 200
    assert [app.state.runtime] == SEEN


def test_runtime_outside_a_request_raises() -> None:
    with pytest.raises(RuntimeError, match="No watchparty runtime"):
        runtime()


def test_use_runtime_sets_and_restores(app: Any) -> None:
    rt = app.state.runtime
    with use_runtime(rt) as current:
        assert runtime() is current is rt
    with pytest.raises(RuntimeError):
        runtime()


async def test_throttled_scope_answers_429_with_retry_after(
    client: httpx.AsyncClient, app: Any
) -> None:
    await app.state.runtime.throttler.reset()
    limit = 10  # login: 10/minute from the catalog
    for _ in range(limit):
        assert (await client.post("/api/auth/login/", json=LOGIN)).status_code == 200
    response = await client.post("/api/auth/login/", json=LOGIN)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert 0 < int(response.headers["retry-after"]) <= 60
    assert response.headers["retry-after"] in body["detail"]


async def test_authenticated_throttle_counts_per_user(
    client: httpx.AsyncClient, app: Any, auth_headers: AuthHeaders
) -> None:
    await app.state.runtime.throttler.reset()
    ana, ben = auth_headers(uuid.uuid4()), auth_headers(uuid.uuid4())
    code = {"code": "123456"}
    for _ in range(5):  # verify_2fa: 5/minute
        assert (
            await client.post("/api/auth/2fa/enable/", json=code, headers=ana)
        ).status_code == 204
    assert (await client.post("/api/auth/2fa/enable/", json=code, headers=ana)).status_code == 429
    # Same address, other user: a separate counter.
    assert (await client.post("/api/auth/2fa/enable/", json=code, headers=ben)).status_code == 204
