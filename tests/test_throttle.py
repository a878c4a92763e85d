"""watchparty.throttle on process memory and on a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from generated.operations import THROTTLES
from tests.utils.services import require_service
from watchparty.errors import Throttled
from watchparty.settings import Settings
from watchparty.throttle import Throttler

REDIS_URL = "redis://127.0.0.1:6379/0"
RATES = {"tight": "3/minute", "other": "2/minute", "second": "2/second"}

MakeThrottler = Callable[[], Awaitable[Throttler]]


@pytest.fixture(params=["memory", "redis"])
async def make_throttler(request: pytest.FixtureRequest) -> AsyncIterator[MakeThrottler]:
    """Build throttlers on one store; on Redis they share one key prefix unique to this test."""
    redis_url = None
    if request.param == "redis":
        require_service("redis")
        redis_url = REDIS_URL
    prefix = f"test-throttle:{uuid.uuid4().hex}"
    made: list[Throttler] = []

    async def make() -> Throttler:
        throttler = Throttler(rates=RATES, redis_url=redis_url, key_prefix=prefix)
        made.append(throttler)
        return throttler

    yield make
    if made:
        await made[0].reset()
    for throttler in made:
        await throttler.close()


async def hit_until_throttled(throttler: Throttler, scope: str, key: str, limit: int) -> Throttled:
    for _ in range(limit):
        await throttler.hit(scope, key)
    with pytest.raises(Throttled) as caught:
        await throttler.hit(scope, key)
    return caught.value


async def test_allows_the_rate_then_throttles_with_a_sensible_wait(
    make_throttler: MakeThrottler,
) -> None:
    throttler = await make_throttler()
    error = await hit_until_throttled(throttler, "tight", "ip:10.0.0.1", 3)
    assert 55 <= error.wait <= 60
    assert error.status_code == 429 and error.code == "throttled"
    assert error.headers == {"Retry-After": str(error.wait)}
    # Refused hits are not counted, and the refusal repeats while the window holds.
    with pytest.raises(Throttled):
        await throttler.hit("tight", "ip:10.0.0.1")


async def test_keys_and_scopes_are_independent(make_throttler: MakeThrottler) -> None:
    throttler = await make_throttler()
    await hit_until_throttled(throttler, "tight", "user:a", 3)
    for _ in range(3):
        await throttler.hit("tight", "user:b")
    for _ in range(2):
        await throttler.hit("other", "user:a")


async def test_reset_clears_counters(make_throttler: MakeThrottler) -> None:
    throttler = await make_throttler()
    await hit_until_throttled(throttler, "tight", "ip:1", 3)
    await throttler.reset()
    for _ in range(3):
        await throttler.hit("tight", "ip:1")


async def test_short_window_frees_a_slot_after_retry_after(make_throttler: MakeThrottler) -> None:
    throttler = await make_throttler()
    error = await hit_until_throttled(throttler, "second", "ip:1", 2)
    assert error.wait == 1
    # A moving window: exactly one window after the first hits, they no longer count.
    await asyncio.sleep(1.05)
    await throttler.hit("second", "ip:1")


async def test_unknown_scope_is_a_programming_error(make_throttler: MakeThrottler) -> None:
    throttler = await make_throttler()
    with pytest.raises(KeyError):
        await throttler.hit("nope", "ip:1")


async def test_two_throttlers_share_counters_only_on_redis(
    make_throttler: MakeThrottler, request: pytest.FixtureRequest
) -> None:
    """Two Throttlers stand for two server processes."""
    first, second = await make_throttler(), await make_throttler()
    for _ in range(3):
        await first.hit("tight", "ip:1")
    if "redis" in request.node.callspec.id:
        with pytest.raises(Throttled):
            await second.hit("tight", "ip:1")
    else:
        await second.hit("tight", "ip:1")


async def test_disabled_throttler_never_throttles() -> None:
    throttler = Throttler(rates=RATES, enabled=False)
    for _ in range(10):
        await throttler.hit("tight", "ip:1")
    await throttler.close()


@pytest.mark.parametrize("redis", [False, True])
async def test_from_settings_uses_catalog_rates_and_redis(redis: bool) -> None:
    if redis:
        require_service("redis")
    settings = Settings(redis_url=REDIS_URL if redis else None, throttle_enabled=True)
    throttler = Throttler.from_settings(settings, key_prefix=f"test-throttle:{uuid.uuid4().hex}")
    try:
        limit = int(THROTTLES["verify_2fa"].split("/")[0])
        error = await hit_until_throttled(throttler, "verify_2fa", "ip:1", limit)
        assert error.wait >= 1
    finally:
        await throttler.reset()
        await throttler.close()
    assert Throttler.from_settings(Settings(throttle_enabled=False)).enabled is False
